package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// FeaturesBackfill checks the migration that keeps a candidate's source,
// language, publication time and fingerprint with its features
// (NNNN_features_meta.sql): features stored before it must read back with
// their article's fields. old is a store migrated up to, not including,
// that migration; storeFeatures writes a features row as the schema then
// had it (article and data only); upgrade closes old and opens the store
// at the latest version.
func FeaturesBackfill(t *testing.T, old store.Store, storeFeatures func(id string, data []byte) error, upgrade func() (store.Store, error)) {
	t.Helper()
	ctx := context.Background()
	a := article("before", day(4))
	a.Language = "fr"
	if _, err := old.PutArticle(ctx, store.ArticleWrite{Article: a, Fingerprint: "fp-before"}); err != nil {
		t.Fatal(err)
	}
	data := []byte{1, 2, 3}
	if err := storeFeatures(a.ID, data); err != nil {
		t.Fatal(err)
	}
	s, err := upgrade()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.CandidateFeatures(ctx, []string{a.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.CandidateFeatures{{ID: a.ID, Source: a.Source, Language: "fr", Published: day(4), Fingerprint: "fp-before", Features: data}}
	if !cmp.Equal(got, want) {
		t.Errorf("after the migration, CandidateFeatures = %+v\nwant %+v", got, want)
	}
}
