package storetest

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
)

// FeaturesBackfill checks the migration that keeps a candidate's source,
// language, publication time and fingerprint with its features
// (NNNN_features_meta.sql): features stored before it must read back with
// their article's fields. raw is an empty database of dialect d, migrations
// the directory of its migrations in fsys; the test migrates raw up to
// that one, stores an article and a features row as the schema then had
// them, closes raw, and reads through upgrade, which opens the database
// at the latest version.
func FeaturesBackfill(t *testing.T, raw *sql.DB, d sqldb.Dialect, fsys fs.FS, migrations string, upgrade func() (store.Store, error)) {
	t.Helper()
	ctx := context.Background()
	ms, err := sqldb.LoadMigrations(fsys, migrations)
	if err != nil {
		t.Fatal(err)
	}
	var before []sqldb.Migration
	for _, m := range ms {
		if strings.Contains(m.Name, "features_meta") {
			break
		}
		before = append(before, m)
	}
	if len(before) == len(ms) {
		t.Fatal("no features_meta migration")
	}
	old := sqldb.New(raw, d)
	if err := old.Migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	a := article("before", day(4))
	a.Language = "fr"
	if _, err := old.PutArticle(ctx, store.ArticleWrite{Article: a, Fingerprint: "fp-before"}); err != nil {
		t.Fatal(err)
	}
	data := []byte{1, 2, 3}
	q := `INSERT INTO article_features (article_id, data) VALUES (?, ?)`
	if d.Numbered {
		q = `INSERT INTO article_features (article_id, data) VALUES ($1, $2)`
	}
	if _, err := raw.ExecContext(ctx, q, a.ID, data); err != nil {
		t.Fatal(err)
	}
	old.Close()
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
