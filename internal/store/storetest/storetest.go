// Package storetest is the conformance suite for store.Store: every
// implementation (SQLite, PostgreSQL) must pass the same tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Run runs the suite. newStore returns a fresh, empty, migrated store.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Idempotent", testIdempotent},
		{"NotFound", testNotFound},
		{"ListOrderAndPaging", testList},
		{"EachArticleStreamsAll", testEach},
		{"RepeatedLines", testRepeatedLines},
		{"Rejections", testRejections},
		{"ConcurrentSameKey", testConcurrent},
		{"Candidates", testCandidates},
		{"CandidateFeatures", testCandidateFeatures},
		{"DerivationsAndLineages", testLineages},
		{"Overrides", testOverrides},
		{"Directions", testDirections},
		{"Stories", testStories},
		{"StoryCorrections", testStoryCorrections},
		{"StorySpan", testStorySpan},
		{"Claims", testClaims},
		{"Entities", testEntities},
		{"Places", testPlaces},
		{"Dates", testDates},
		{"Sources", testSources},
		{"RenameSource", testRenameSource},
		{"RenameOutlet", testRenameOutlet},
		{"Search", testSearch},
		{"SourceStats", testSourceStats},
		{"ClaimOverrides", testClaimOverrides},
		{"Batch", testBatch},
		{"BatchTermStats", testBatchTermStats},
		{"ArticlesByInput", testArticlesByInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

func article(key string, published *time.Time) *model.Article {
	return &model.Article{
		ID: model.ArticleID(key), Key: key, Source: "Meridian Press", URL: "https://example.test/" + key,
		Path: "in/" + key + ".html", Format: "html", Title: "Title " + key, Author: "A. Writer", Site: "Meridian",
		Published: published, Language: "en", Text: "Body of " + key + ".\n\nSecond paragraph — «quoted» ünïcödé.",
		Removed:    []model.Removal{{Line: 3, Text: "Sign up", Reason: "known-phrase"}},
		IngestedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func day(d int) *time.Time {
	t := time.Date(2026, 3, d, 9, 30, 0, 0, time.UTC)
	return &t
}

func testRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, a := range []*model.Article{article("a", day(2)), article("b", nil)} {
		ins, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, LineHashes: []int64{1, 2, 2}})
		if err != nil || !ins {
			t.Fatalf("PutArticle(%s) = %v, %v; want true, nil", a.Key, ins, err)
		}
		got, err := s.GetArticle(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("GetArticle(%s) mismatch (-want +got):\n%s", a.ID, diff)
		}
	}
	if ok, err := s.HasArticle(ctx, "a"); err != nil || !ok {
		t.Errorf("HasArticle(a) = %v, %v; want true", ok, err)
	}
	if ok, err := s.HasArticle(ctx, "zz"); err != nil || ok {
		t.Errorf("HasArticle(zz) = %v, %v; want false", ok, err)
	}
}

func testIdempotent(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("same", day(1))
	if ins, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, LineHashes: nil}); err != nil || !ins {
		t.Fatalf("first PutArticle = %v, %v", ins, err)
	}
	b := article("same", day(5))
	b.Title = "Changed"
	if ins, err := s.PutArticle(ctx, store.ArticleWrite{Article: b, LineHashes: nil}); err != nil || ins {
		t.Fatalf("second PutArticle = %v, %v; want false, nil", ins, err)
	}
	got, _ := s.GetArticle(ctx, a.ID)
	if got.Title != a.Title {
		t.Errorf("title after duplicate put = %q; want %q (first version kept)", got.Title, a.Title)
	}
	if n, _ := s.CountArticles(ctx); n != 1 {
		t.Errorf("CountArticles = %d; want 1", n)
	}

	// Placed in a new story, the article is stored with it; put again
	// with the same decision, it makes no second story.
	newStory := func(a *model.Article) store.ArticleWrite {
		return store.ArticleWrite{Article: a, Story: &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew, Score: 1},
			Vector: map[string]float64{"ferry": 1}, Terms: []string{"ferry"}}}
	}
	c := article("same-story", day(2))
	if ins, err := s.PutArticle(ctx, newStory(c)); err != nil || !ins || c.Story == 0 {
		t.Fatalf("PutArticle in a new story = %v, %v, story %d", ins, err, c.Story)
	}
	if ins, err := s.PutArticle(ctx, newStory(article("same-story", day(2)))); err != nil || ins {
		t.Fatalf("second PutArticle in a new story = %v, %v; want false, nil", ins, err)
	}
	if got, err := s.GetArticle(ctx, c.ID); err != nil || got.Story != c.Story {
		t.Errorf("stored story = %v, %v; want %d", got, err, c.Story)
	}
	if ss, err := s.ListStories(ctx, store.StoryListOptions{}); err != nil || len(ss) != 1 || ss[0].ID != c.Story {
		t.Errorf("stories after a repeated put = %d, %v; want only %d", len(ss), err, c.Story)
	}
	if st, err := s.GetStory(ctx, c.Story+1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetStory(%d) after a repeated put = %+v, %v; want no such story", c.Story+1, st, err)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	_, err := s.GetArticle(context.Background(), "nope")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetArticle(nope) error = %v; want ErrNotFound", err)
	}
}

func testList(t *testing.T, s store.Store) {
	ctx := context.Background()
	keys := []string{"d1", "d3", "nodate", "d2"}
	dates := []*time.Time{day(1), day(3), nil, day(2)}
	for i, k := range keys {
		a := article(k, dates[i])
		if k == "d2" {
			a.Source = "Other"
		}
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, LineHashes: nil}); err != nil {
			t.Fatal(err)
		}
	}
	titles := func(opts store.ListOptions) []string {
		as, err := s.ListArticles(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.Key)
		}
		return out
	}
	if got, want := titles(store.ListOptions{}), []string{"d3", "d2", "d1", "nodate"}; !cmp.Equal(got, want) {
		t.Errorf("ListArticles() = %v; want %v (newest first, undated last)", got, want)
	}
	if got, want := titles(store.ListOptions{Limit: 2, Offset: 1}), []string{"d2", "d1"}; !cmp.Equal(got, want) {
		t.Errorf("ListArticles(limit 2, offset 1) = %v; want %v", got, want)
	}
	if got, want := titles(store.ListOptions{Source: "Other"}), []string{"d2"}; !cmp.Equal(got, want) {
		t.Errorf("ListArticles(source Other) = %v; want %v", got, want)
	}
}

func testEach(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 1100 // more than two pages
	for i := 0; i < n; i++ {
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: article(fmt.Sprint("k", i), nil)}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	last := ""
	err := s.EachArticle(ctx, func(a *model.Article) error {
		if seen[a.ID] {
			t.Fatalf("EachArticle visited %s twice", a.ID)
		}
		if a.ID <= last {
			t.Fatalf("EachArticle not in ID order: %s after %s", a.ID, last)
		}
		seen[a.ID], last = true, a.ID
		return nil
	})
	if err != nil || len(seen) != n {
		t.Errorf("EachArticle visited %d, err %v; want %d, nil", len(seen), err, n)
	}
	stop := errors.New("stop")
	calls := 0
	err = s.EachArticle(ctx, func(*model.Article) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("EachArticle with failing fn: calls %d, err %v; want 1, stop", calls, err)
	}
}

func testRepeatedLines(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, hs := range [][]int64{{10, 20, 30}, {10, 20}, {10}} {
		a := article(fmt.Sprint("r", i), nil)
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, LineHashes: hs}); err != nil {
			t.Fatal(err)
		}
	}
	other := article("o", nil)
	other.Source = "Other"
	s.PutArticle(ctx, store.ArticleWrite{Article: other, LineHashes: []int64{30, 30}})
	got, err := s.RepeatedLines(ctx, "Meridian Press", []int64{10, 20, 30, 40}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64]bool{10: true, 20: true}; !cmp.Equal(got, want) {
		t.Errorf("RepeatedLines(min 2) = %v; want %v", got, want)
	}
	got, _ = s.RepeatedLines(ctx, "Other", []int64{30}, 2)
	if len(got) != 0 {
		t.Errorf("RepeatedLines counted a line twice within one article: %v", got)
	}
	for _, tc := range []struct {
		min  int
		want map[int64]bool
	}{{1, map[int64]bool{10: true, 20: true, 30: true}}, {3, map[int64]bool{10: true}}, {4, map[int64]bool{}}} {
		got, err := s.RepeatedLines(ctx, "Meridian Press", []int64{40, 30, 20, 10, 10}, tc.min)
		if err != nil || !cmp.Equal(got, tc.want) {
			t.Errorf("RepeatedLines(min %d) = %v, %v; want %v", tc.min, got, err, tc.want)
		}
	}
}

func testRejections(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, r := range []model.Rejection{
		{Input: "in/a.html", Reason: "empty file"},
		{Input: "in/b.bin", Reason: "binary file"},
		{Input: "in/a.html", Reason: "empty file again"},
	} {
		if err := s.RecordRejection(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.ListRejections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rs {
		got[r.Input] = r.Reason
	}
	if want := map[string]string{"in/a.html": "empty file again", "in/b.bin": "binary file"}; !cmp.Equal(got, want) {
		t.Errorf("rejections = %v; want %v", got, want)
	}
	// The input is fixed and ingests: its rejection goes.
	a := article("a", nil)
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, LineHashes: nil}); err != nil {
		t.Fatal(err)
	}
	rs, _ = s.ListRejections(ctx)
	if len(rs) != 1 || rs[0].Input != "in/b.bin" {
		t.Errorf("rejections after in/a.html ingested = %v; want only in/b.bin", rs)
	}
}

func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	inserted := 0
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				ins, err := s.PutArticle(ctx, store.ArticleWrite{Article: article(fmt.Sprint("c", j), nil), LineHashes: []int64{int64(j)}})
				if err != nil {
					errs <- err
					return
				}
				if ins {
					mu.Lock()
					inserted++
					mu.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent PutArticle: %v", err)
	}
	if n, _ := s.CountArticles(ctx); n != 10 || inserted != 10 {
		t.Errorf("after 8 writers × 10 keys: %d rows, %d inserts reported; want 10, 10", n, inserted)
	}
}

func testCandidates(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(key string, fp string, bands ...model.Band) {
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: article(key, nil), Fingerprint: fp, Bands: bands}); err != nil {
			t.Fatal(err)
		}
	}
	put("x", "fpx", model.Band{Band: 1, Hash: 10}, model.Band{Band: 2, Hash: 20}, model.Band{Band: 3, Hash: -30})
	put("y", "fpy", model.Band{Band: 1, Hash: 10})
	put("z", "fpz", model.Band{Band: 1, Hash: 99})
	put("dup", "fpq")
	got, err := s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{{Band: 1, Hash: 10}, {Band: 2, Hash: 20}, {Band: 3, Hash: -30}, {Band: 7, Hash: 1}}, Fingerprint: "fpq", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{model.ArticleID("dup"), model.ArticleID("x"), model.ArticleID("y")}
	if !cmp.Equal(got, want) {
		t.Errorf("Candidates = %v; want %v (fingerprint match, then most shared bands)", got, want)
	}
	if got, _ := s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{{Band: 1, Hash: 10}}, Limit: 1}); len(got) != 1 {
		t.Errorf("Candidates(limit 1) = %v", got)
	}
	// A text too short for bands still finds its exact duplicates.
	if got, err := s.Candidates(ctx, store.CandidateQuery{Fingerprint: "fpy"}); err != nil || !cmp.Equal(got, []string{model.ArticleID("y")}) {
		t.Errorf("Candidates(fingerprint only) = %v, %v", got, err)
	}
	if got, err := s.Candidates(ctx, store.CandidateQuery{}); err != nil || len(got) != 0 {
		t.Errorf("Candidates(nothing) = %v, %v", got, err)
	}
	// A time window keeps articles published long before or after out,
	// and undated ones in.
	old := article("old", day(1))
	old.Published = ptr(day(1).AddDate(0, -3, 0))
	s.PutArticle(ctx, store.ArticleWrite{Article: old, Bands: []model.Band{{Band: 9, Hash: 9}}})
	s.PutArticle(ctx, store.ArticleWrite{Article: article("recent", day(20)), Bands: []model.Band{{Band: 9, Hash: 9}}})
	s.PutArticle(ctx, store.ArticleWrite{Article: article("undated", nil), Bands: []model.Band{{Band: 9, Hash: 9}}})
	got, _ = s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{{Band: 9, Hash: 9}}, Around: day(22), Window: 7 * 24 * time.Hour})
	if want := []string{model.ArticleID("recent"), model.ArticleID("undated")}; !cmp.Equal(sorted(got), sorted(want)) {
		t.Errorf("Candidates(window) = %v; want %v", got, want)
	}
	// A crowded bucket is read only in part — its most recent rows — so
	// the lookup's cost does not grow with the store. The articles come
	// out of time order, so that a store that keeps its newest rows
	// apart (SQLite's staged buckets) holds recent ones in both places.
	for k := 0; k < 130; k++ {
		i := k * 37 % 130
		a := article(fmt.Sprint("crowd", i), nil)
		a.Published = ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour))
		s.PutArticle(ctx, store.ArticleWrite{Article: a, Bands: []model.Band{{Band: 11, Hash: 11}}})
	}
	// Undated rows are read besides the dated ones, bounded on their own.
	s.PutArticle(ctx, store.ArticleWrite{Article: article("crowd-undated", nil), Bands: []model.Band{{Band: 11, Hash: 11}}})
	got, _ = s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{{Band: 11, Hash: 11}}})
	if !slices.Contains(got, model.ArticleID("crowd-undated")) {
		t.Errorf("crowded bucket left out its undated row")
	}
	want = []string{model.ArticleID("crowd-undated")}
	for i := 30; i < 130; i++ {
		want = append(want, model.ArticleID(fmt.Sprint("crowd", i)))
	}
	if !cmp.Equal(sorted(got), sorted(want)) {
		t.Errorf("crowded bucket gave %d candidates; want the 100 most recent dated (crowd30 to crowd129) and the undated one:\n%s", len(got), cmp.Diff(sorted(want), sorted(got)))
	}
	// So are its undated rows, by article.
	for k := 0; k < 120; k++ {
		i := k * 37 % 120
		s.PutArticle(ctx, store.ArticleWrite{Article: article(fmt.Sprintf("still%03d", i), nil), Bands: []model.Band{{Band: 12, Hash: 12}}})
	}
	got, _ = s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{{Band: 12, Hash: 12}}})
	want = nil
	for i := 0; i < 120; i++ {
		want = append(want, model.ArticleID(fmt.Sprintf("still%03d", i)))
	}
	want = sorted(want)[:100]
	if !cmp.Equal(sorted(got), sorted(want)) {
		t.Errorf("crowded undated bucket gave %d candidates; want the first 100 by article ID:\n%s", len(got), cmp.Diff(sorted(want), sorted(got)))
	}
}

func derivation(from, to string, directed bool) model.Derivation {
	return model.Derivation{From: model.ArticleID(from), To: model.ArticleID(to), Kind: model.KindRewrite, Score: 0.61, Directed: directed,
		Evidence: model.Evidence{Rule: "test rule", Direction: "time", CoverageFrom: 0.9, CoverageTo: 0.8, Similarity: 0.62, Sentences: 6,
			Passages: []model.Passage{{FromStart: 0, FromEnd: 120, ToStart: 5, ToEnd: 130, Score: 0.7}}},
		At: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
}

func lineageOf(t *testing.T, s store.Store, key string) string {
	t.Helper()
	a, err := s.GetArticle(context.Background(), model.ArticleID(key))
	if err != nil {
		t.Fatal(err)
	}
	return a.Lineage
}

func testLineages(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Ingest order differs from publication order on purpose.
	put := func(key string, pub *time.Time, ds ...model.Derivation) {
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: article(key, pub), Derivations: ds}); err != nil {
			t.Fatal(err)
		}
	}
	put("copy1", day(3))
	put("other", day(1))
	if got := lineageOf(t, s, "copy1"); got != model.ArticleID("copy1") {
		t.Errorf("a lone article's lineage = %s; want its own ID", got)
	}
	put("copy2", day(4), derivation("copy1", "copy2", false))
	put("origin", day(2), derivation("origin", "copy1", true))
	for _, k := range []string{"origin", "copy1", "copy2"} {
		if got := lineageOf(t, s, k); got != model.ArticleID("origin") {
			t.Errorf("lineage of %s = %s; want the earliest published member, origin (%s)", k, got, model.ArticleID("origin"))
		}
	}
	if got := lineageOf(t, s, "other"); got != model.ArticleID("other") {
		t.Errorf("an unlinked article joined a lineage: %s", got)
	}
	// A partial reuse of two independent articles links both but merges
	// neither: they stay two sources.
	partial := derivation("other", "tabloid", true)
	partial.Kind = model.KindPartial
	partial2 := derivation("origin", "tabloid", true)
	partial2.Kind = model.KindPartial
	put("tabloid", day(5), partial, partial2)
	if lineageOf(t, s, "other") == lineageOf(t, s, "origin") || lineageOf(t, s, "tabloid") != model.ArticleID("tabloid") {
		t.Errorf("partial links merged lineages: other %s, origin %s, tabloid %s", lineageOf(t, s, "other"), lineageOf(t, s, "origin"), lineageOf(t, s, "tabloid"))
	}
	ds, err := s.Derivations(ctx, model.ArticleID("copy1"))
	if err != nil || len(ds) != 2 {
		t.Fatalf("Derivations(copy1) = %d, %v; want 2", len(ds), err)
	}
	for _, d := range ds {
		if d.From == model.ArticleID("origin") {
			if diff := cmp.Diff(derivation("origin", "copy1", true), d); diff != "" {
				t.Errorf("derivation round trip (-want +got):\n%s", diff)
			}
		}
	}
	n := 0
	s.EachDerivation(ctx, func(model.Derivation) error { n++; return nil })
	if n != 4 {
		t.Errorf("EachDerivation visited %d; want 4", n)
	}
	members, _ := s.LineageArticles(ctx, model.ArticleID("origin"))
	var keys []string
	for _, a := range members {
		keys = append(keys, a.Key)
	}
	if want := []string{"origin", "copy1", "copy2"}; !cmp.Equal(keys, want) {
		t.Errorf("LineageArticles = %v; want %v (earliest first)", keys, want)
	}
}

func testOverrides(t *testing.T, s store.Store) {
	ctx := context.Background()
	s.PutArticle(ctx, store.ArticleWrite{Article: article("a", day(1))})
	s.PutArticle(ctx, store.ArticleWrite{Article: article("b", day(2)), Derivations: []model.Derivation{derivation("a", "b", true)}})
	s.PutArticle(ctx, store.ArticleWrite{Article: article("c", day(3))})
	err := s.PutOverride(ctx, model.Override{A: model.ArticleID("a"), B: model.ArticleID("b"), Verdict: model.VerdictNotCopy, Who: "analyst", Why: "independent reporting"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Derivations(ctx, model.ArticleID("a")); len(ds) != 0 {
		t.Errorf("not-copy left derivations: %v", ds)
	}
	if got := lineageOf(t, s, "b"); got != model.ArticleID("b") {
		t.Errorf("after not-copy, lineage of b = %s; want its own", got)
	}
	d := derivation("c", "a", true)
	d.Override = true
	if err := s.PutOverride(ctx, model.Override{A: model.ArticleID("c"), B: model.ArticleID("a"), Verdict: model.VerdictCopyOf, Who: "analyst"}, &d); err != nil {
		t.Fatal(err)
	}
	if got := lineageOf(t, s, "c"); got != model.ArticleID("a") {
		t.Errorf("after copy-of, lineage of c = %s; want a's (earliest)", got)
	}
	os, err := s.Overrides(ctx, model.ArticleID("a"))
	if err != nil || len(os) != 2 {
		t.Fatalf("Overrides(a) = %v, %v", os, err)
	}
	for _, o := range os {
		if o.Verdict == model.VerdictCopyOf && (o.A != model.ArticleID("c") || o.B != model.ArticleID("a")) {
			t.Errorf("copy-of override = %+v; want A = origin c, B = copy a", o)
		}
	}
	if all, _ := s.ListOverrides(ctx); len(all) != 2 {
		t.Errorf("ListOverrides = %d; want 2", len(all))
	}
	if err := s.PutOverride(ctx, model.Override{A: model.ArticleID("a"), B: "missing", Verdict: model.VerdictNotCopy}, nil); err == nil {
		t.Errorf("override on a missing article succeeded")
	}
}

// testDirections: a source's derivations are found through its
// articles, and their directions rewritten, except a pair an analyst
// declared.
func testDirections(t *testing.T, s store.Store) {
	ctx := context.Background()
	mk := func(key, source string, d ...model.Derivation) {
		a := article(key, day(1))
		a.Source = source
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, Derivations: d}); err != nil {
			t.Fatal(err)
		}
	}
	mk("w", "Wire Desk")
	mk("x", "NewsStack", derivation("w", "x", true))
	mk("y", "NewsStack", derivation("y", "x", false))
	mk("z", "Courier")
	decl := derivation("w", "z", true)
	decl.Override = true
	if err := s.PutOverride(ctx, model.Override{A: model.ArticleID("w"), B: model.ArticleID("z"), Verdict: model.VerdictCopyOf, Who: "analyst"}, &decl); err != nil {
		t.Fatal(err)
	}
	ds, err := s.SourceDerivations(ctx, "Wire Desk")
	if err != nil || len(ds) != 2 {
		t.Fatalf("SourceDerivations(Wire Desk) = %+v, %v; want w–x and w–z", ds, err)
	}
	if ns, _ := s.SourceDerivations(ctx, "NewsStack"); len(ns) != 2 {
		t.Errorf("SourceDerivations(NewsStack) = %d; want w–x and x–y", len(ns))
	}
	if none, err := s.SourceDerivations(ctx, "Nobody"); err != nil || len(none) != 0 {
		t.Errorf("SourceDerivations(Nobody) = %v, %v", none, err)
	}
	flip := derivation("x", "w", true)
	flip.Evidence.Direction = "role: NewsStack is a wire service, Wire Desk an aggregator"
	flip.Evidence.CoverageFrom, flip.Evidence.CoverageTo = 0.8, 0.9
	undo := derivation("z", "w", true)
	n, err := s.SetDirections(ctx, []model.Derivation{flip, undo, derivation("w", "missing", false)})
	if err != nil || n != 1 {
		t.Fatalf("SetDirections = %d, %v; want 1 (the override and the missing pair left alone)", n, err)
	}
	ds, _ = s.Derivations(ctx, model.ArticleID("x"))
	for _, d := range ds {
		switch {
		case d.To == model.ArticleID("w"):
			if d.From != model.ArticleID("x") || !d.Directed || d.Evidence.Direction != flip.Evidence.Direction || d.Evidence.CoverageFrom != 0.8 ||
				d.Kind != model.KindRewrite || d.Score != 0.61 || !d.At.Equal(flip.At) {
				t.Errorf("rewritten derivation = %+v", d)
			}
		case d.From == model.ArticleID("w"):
			t.Errorf("w → x not rewritten: %+v", d)
		}
	}
	if got := lineageOf(t, s, "x"); got != lineageOf(t, s, "w") {
		t.Errorf("a new direction changed the lineage: x in %s, w in %s", got, lineageOf(t, s, "w"))
	}
	ws, _ := s.Derivations(ctx, model.ArticleID("z"))
	if len(ws) != 1 || ws[0].From != model.ArticleID("w") || !ws[0].Override {
		t.Errorf("declared pair = %+v; want w → z as declared", ws)
	}
}

func ptr(t time.Time) *time.Time { return &t }

func sorted(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

// testBatch: a batch reads its own writes, others see them only at
// Commit, a failed write in it undoes only itself, Rollback discards.
func testBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	bt, ok := s.(store.Batcher)
	if !ok {
		t.Skip("store has no batches")
	}
	b, err := bt.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	bs := b.Store()
	a1, a2, a3 := article("batch-1", day(1)), article("batch-2", day(2)), article("batch-3", day(3))
	if ins, err := bs.PutArticle(ctx, store.ArticleWrite{Article: a1}); err != nil || !ins {
		t.Fatalf("PutArticle in batch = %v, %v", ins, err)
	}
	if has, err := bs.HasArticle(ctx, a1.Key); err != nil || !has {
		t.Errorf("batch HasArticle(its own write) = %v, %v; want true", has, err)
	}
	if has, err := s.HasArticle(ctx, a1.Key); err != nil || has {
		t.Errorf("outside HasArticle(uncommitted) = %v, %v; want false", has, err)
	}
	// A derivation to an article that does not exist breaks a foreign key.
	bad := store.ArticleWrite{Article: a2, Derivations: []model.Derivation{derivation(a2.Key, "absent", true)}}
	if _, err := bs.PutArticle(ctx, bad); err == nil {
		t.Fatal("PutArticle with a derivation to a missing article succeeded")
	}
	if ins, err := bs.PutArticle(ctx, store.ArticleWrite{Article: a3}); err != nil || !ins {
		t.Fatalf("PutArticle after a failed one = %v, %v", ins, err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a    *model.Article
		want bool
	}{{a1, true}, {a2, false}, {a3, true}} {
		if has, err := s.HasArticle(ctx, c.a.Key); err != nil || has != c.want {
			t.Errorf("after commit HasArticle(%s) = %v, %v; want %v", c.a.Key, has, err, c.want)
		}
	}
	if err := b.Commit(ctx); err == nil {
		t.Error("second Commit succeeded")
	}

	b2, err := bt.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a4 := article("batch-4", day(4))
	if _, err := b2.Store().PutArticle(ctx, store.ArticleWrite{Article: a4}); err != nil {
		t.Fatal(err)
	}
	if err := b2.Rollback(); err != nil {
		t.Fatal(err)
	}
	if has, _ := s.HasArticle(ctx, a4.Key); has {
		t.Error("rolled-back article is stored")
	}
	if n, _ := s.CountArticles(ctx); n != 2 {
		t.Errorf("CountArticles = %d; want 2", n)
	}
	// Full-text search finds the batch's committed articles, and neither
	// the failed one nor the rolled-back one.
	for _, c := range []struct {
		a    *model.Article
		want int
	}{{a1, 1}, {a2, 0}, {a3, 1}, {a4, 0}} {
		if _, n, err := s.Search(ctx, store.SearchQuery{Text: c.a.Key}); err != nil || n != c.want {
			t.Errorf("Search(%s) found %d, %v; want %d", c.a.Key, n, err, c.want)
		}
	}
}

func testArticlesByInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("by-input", day(1))
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticlesByInput(ctx, []string{"in/absent.html", a.Path, "'; DROP TABLE articles; --"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[a.Path] != a.ID {
		t.Errorf("ArticlesByInput = %v; want only %s → %s", got, a.Path, a.ID)
	}
	if got, err := s.ArticlesByInput(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("ArticlesByInput(nil) = %v, %v", got, err)
	}
}

func testCandidateFeatures(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Bytes a text literal would mangle: NUL, quotes, a backslash, high bytes.
	data := []byte{0, 1, '\'', '\\', 'x', 0xff, 0x80, 0}
	a, b := article("with", day(3)), article("without", nil)
	b.Language = "de"
	for _, w := range []store.ArticleWrite{{Article: a, Fingerprint: "fp-with", Features: data}, {Article: b, Fingerprint: "fp-without"}} {
		if _, err := s.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CandidateFeatures(ctx, []string{b.ID, "absent", a.ID})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(x, y store.CandidateFeatures) int { return strings.Compare(x.Fingerprint, y.Fingerprint) })
	want := []store.CandidateFeatures{
		{ID: a.ID, Source: a.Source, Language: "en", Published: day(3), Fingerprint: "fp-with", Features: data},
		{ID: b.ID, Source: b.Source, Language: "de", Fingerprint: "fp-without"},
	}
	if !cmp.Equal(got, want) {
		t.Errorf("CandidateFeatures = %+v\nwant %+v", got, want)
	}
	if got, err := s.CandidateFeatures(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("CandidateFeatures(nil) = %v, %v", got, err)
	}
}
