package storetest

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// placed stores an article with a story decision.
func placed(t *testing.T, s store.Store, key string, pub int, storyID int64, vec map[string]float64, derivs ...model.Derivation) *model.Article {
	t.Helper()
	a := article(key, day(pub))
	if pub == 0 {
		a.Published = nil
	}
	terms := make([]string, 0, len(vec))
	for k := range vec {
		terms = append(terms, k)
	}
	via := model.ViaNew
	if storyID != 0 {
		via = model.ViaSimilarity
	}
	w := store.ArticleWrite{Article: a, Derivations: derivs, Story: &store.StoryWrite{
		Assignment: model.Assignment{Story: storyID, Via: via, Score: 0.5, Shared: []string{"ferry"}, Mentions: nil},
		Vector:     vec, Terms: terms,
	}}
	if _, err := s.PutArticle(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	if a.Story == 0 {
		t.Fatalf("PutArticle did not fill in the story of %s", key)
	}
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func testStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := placed(t, s, "s1", 10, 0, map[string]float64{"ferry": 0.8, "lesbos": 0.6})
	b := placed(t, s, "s2", 12, a.Story, map[string]float64{"ferry": 0.6, "#12": 0.8})
	c := placed(t, s, "s3", 20, 0, map[string]float64{"wildfire": 1})
	if b.Story != a.Story || c.Story == a.Story || c.Story < a.Story {
		t.Fatalf("stories: a %d, b %d, c %d", a.Story, b.Story, c.Story)
	}

	// Document frequencies count articles per term, and articles overall.
	df, n, err := s.TermStats(ctx, []string{"ferry", "wildfire", "absent"})
	if err != nil || n != 3 || df["ferry"] != 2 || df["wildfire"] != 1 || df["absent"] != 0 {
		t.Errorf("TermStats = %v, %d, %v", df, n, err)
	}
	// The centroid is the sum of the members' vectors.
	cents, err := s.StoryCentroids(ctx, []int64{a.Story, c.Story})
	if err != nil || !near(cents[a.Story]["ferry"], 1.4) || !near(cents[a.Story]["#12"], 0.8) || !near(cents[c.Story]["wildfire"], 1) {
		t.Errorf("centroids = %v, %v", cents, err)
	}
	// Matches read the centroid on the asked terms, and its length.
	ms, err := s.StoryMatches(ctx, []int64{a.Story, c.Story}, []string{"ferry", "wildfire"})
	if err != nil || len(ms[a.Story].Weights) != 1 || !near(ms[a.Story].Weights["ferry"], 1.4) ||
		!near(ms[a.Story].Norm, math.Sqrt(1.4*1.4+0.6*0.6+0.8*0.8)) || !near(ms[c.Story].Norm, 1) {
		t.Errorf("matches = %+v, %v", ms, err)
	}
	// Candidates come from the term index, most shared terms first,
	// within the time window.
	ids, err := s.StoryCandidates(ctx, store.StoryQuery{Terms: []string{"ferry", "#12", "wildfire"}, Limit: 10})
	if err != nil || len(ids) != 2 || ids[0] != a.Story {
		t.Errorf("candidates = %v, %v", ids, err)
	}
	ids, err = s.StoryCandidates(ctx, store.StoryQuery{Terms: []string{"ferry", "wildfire"}, Around: day(21), Window: 48 * time.Hour})
	if err != nil || len(ids) != 1 || ids[0] != c.Story {
		t.Errorf("candidates around day 21 = %v, %v; want only the wildfire story", ids, err)
	}
	got, err := s.ArticleStories(ctx, []string{a.ID, c.ID, "unknown"})
	if err != nil || got[a.ID] != a.Story || got[c.ID] != c.Story || len(got) != 2 {
		t.Errorf("ArticleStories = %v, %v", got, err)
	}

	st, err := s.GetStory(ctx, a.Story)
	if err != nil || st.Articles != 2 || !st.FirstSeen.Equal(*day(10)) || !st.LastSeen.Equal(*day(12)) || st.Lineages != 2 || st.Sources != 1 {
		t.Errorf("story = %+v, %v", st, err)
	}
	if _, err := s.GetStory(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetStory(999) = %v; want ErrNotFound", err)
	}
	list, err := s.ListStories(ctx, store.StoryListOptions{})
	if err != nil || len(list) != 2 || list[0].ID != c.Story {
		t.Errorf("stories by recency = %v, %v; want the wildfire first", list, err)
	}
	list, err = s.ListStories(ctx, store.StoryListOptions{Order: store.BySources})
	if err != nil || len(list) != 2 || list[0].ID != a.Story {
		t.Errorf("stories by sources = %v, %v; want the ferry (2 lineages) first", list, err)
	}
	arts, err := s.StoryArticles(ctx, a.Story)
	if err != nil || len(arts) != 2 || arts[0].ID != a.ID || arts[0].Story != a.Story {
		t.Errorf("story articles = %v, %v", arts, err)
	}
	as, err := s.Assignment(ctx, b.ID)
	if err != nil || as.Story != a.Story || as.Via != model.ViaSimilarity || as.Score != 0.5 || len(as.Shared) != 1 {
		t.Errorf("assignment = %+v, %v", as, err)
	}

	// A copy of b joins b's story, and the lineage count does not grow.
	d := placed(t, s, "s4", 12, b.Story, map[string]float64{"ferry": 1}, derivation("s2", "s4", true))
	st, _ = s.GetStory(ctx, a.Story)
	if d.Story != a.Story || st.Articles != 3 || st.Lineages != 2 {
		t.Errorf("after a copy: story %+v", st)
	}

	// An undated article extends first/last seen by its ingest time but
	// not the dated span used for candidate lookup.
	e := placed(t, s, "s5", 0, c.Story, map[string]float64{"wildfire": 1})
	ids, _ = s.StoryCandidates(ctx, store.StoryQuery{Terms: []string{"wildfire"}, Around: day(21), Window: 48 * time.Hour})
	if e.Story != c.Story || len(ids) != 1 {
		t.Errorf("undated member changed the dated span: candidates %v", ids)
	}

	// A decision naming a story merged meanwhile lands in its heir.
	m := &model.StoryCorrection{Action: model.CorrectMerge, Story: c.Story, Other: a.Story}
	if err := s.CorrectStories(ctx, m); err != nil {
		t.Fatal(err)
	}
	f := placed(t, s, "s6", 13, c.Story, map[string]float64{"ferry": 1})
	if f.Story != a.Story {
		t.Errorf("article placed in merged story %d went to %d; want %d", c.Story, f.Story, a.Story)
	}
	// Mentions are kept and survive merges without duplicates.
	g := article("s7", day(14))
	w := store.ArticleWrite{Article: g, Story: &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew,
		Mentions: []model.Mention{{Story: a.Story, Score: 0.1}}}, Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}}
	if _, err := s.PutArticle(ctx, w); err != nil {
		t.Fatal(err)
	}
	as, err = s.Assignment(ctx, g.ID)
	if err != nil || len(as.Mentions) != 1 || as.Mentions[0].Story != a.Story {
		t.Errorf("mentions = %+v, %v", as, err)
	}
}

// testStorySpan: a story's count and span follow each member as it
// joins, by publication time, or by ingest time for an undated one; the
// time window of story candidates uses the dated members only.
func testStorySpan(t *testing.T, s store.Store) {
	ctx := context.Background()
	vec := map[string]float64{"quake": 1}
	a := placed(t, s, "p1", 14, 0, vec)
	check := func(when string, n int, first, last time.Time) {
		t.Helper()
		st, err := s.GetStory(ctx, a.Story)
		if err != nil || st.Articles != n || !st.FirstSeen.Equal(first) || !st.LastSeen.Equal(last) {
			t.Errorf("%s: story = %+v, %v; want %d articles from %v to %v", when, st, err, n, first, last)
		}
	}
	check("one member", 1, *day(14), *day(14))
	placed(t, s, "p2", 11, a.Story, vec)
	check("an earlier member", 2, *day(11), *day(14))
	placed(t, s, "p3", 16, a.Story, vec)
	check("a later member", 3, *day(11), *day(16))
	// Undated: its ingest time (1 March, 12:00) stands in for the span.
	placed(t, s, "p4", 0, a.Story, vec)
	check("an undated member", 4, article("x", nil).IngestedAt, *day(16))
	// The dated span is still 11–16 March: a window around 1 March
	// misses the story, one around 12 March finds it.
	for _, tc := range []struct {
		around int
		want   int
	}{{1, 0}, {12, 1}} {
		ids, err := s.StoryCandidates(ctx, store.StoryQuery{Terms: []string{"quake"}, Around: day(tc.around), Window: 24 * time.Hour})
		if err != nil || len(ids) != tc.want {
			t.Errorf("candidates around %d March = %v, %v; want %d", tc.around, ids, err, tc.want)
		}
	}
}

func testStoryCorrections(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := placed(t, s, "c1", 10, 0, map[string]float64{"ferry": 1})
	b := placed(t, s, "c2", 10, a.Story, map[string]float64{"ferry": 0.6, "toll": 0.8})
	c := placed(t, s, "c3", 11, 0, map[string]float64{"strike": 1, "zh:罢工": 0.5})

	// Move: the article leaves its story with its vector, and is pinned.
	if err := s.CorrectStories(ctx, &model.StoryCorrection{Action: model.CorrectMove, Story: c.Story, Articles: []string{b.ID}, Who: "ana", Why: "about the strike"}); err != nil {
		t.Fatal(err)
	}
	cents, _ := s.StoryCentroids(ctx, []int64{a.Story, c.Story})
	if !near(cents[a.Story]["ferry"], 1) || cents[a.Story]["toll"] != 0 || !near(cents[c.Story]["toll"], 0.8) {
		t.Errorf("centroids after move = %v", cents)
	}
	checkNorms(t, s, a.Story, c.Story)
	as, err := s.Assignment(ctx, b.ID)
	if err != nil || as.Story != c.Story || as.Via != model.ViaAnalyst || !as.Pinned {
		t.Errorf("moved assignment = %+v, %v", as, err)
	}
	sa, _ := s.GetStory(ctx, a.Story)
	sc, _ := s.GetStory(ctx, c.Story)
	if sa.Articles != 1 || sc.Articles != 2 {
		t.Errorf("counts after move: %d, %d", sa.Articles, sc.Articles)
	}

	// Split: a new story with a new, higher ID.
	split := &model.StoryCorrection{Action: model.CorrectSplit, Story: c.Story, Articles: []string{b.ID}}
	if err := s.CorrectStories(ctx, split); err != nil {
		t.Fatal(err)
	}
	if split.Other <= c.Story {
		t.Fatalf("split made story %d", split.Other)
	}
	if got, _ := s.ArticleStories(ctx, []string{b.ID}); got[b.ID] != split.Other {
		t.Errorf("split article is in %d; want %d", got[b.ID], split.Other)
	}
	// Splitting an article that is not in the story is refused, and
	// changes nothing.
	if err := s.CorrectStories(ctx, &model.StoryCorrection{Action: model.CorrectSplit, Story: c.Story, Articles: []string{a.ID}}); err == nil {
		t.Errorf("split of a foreign article accepted")
	}
	// Merge: the older ID survives whatever the order given.
	if err := s.CorrectStories(ctx, &model.StoryCorrection{Action: model.CorrectMerge, Story: split.Other, Other: a.Story}); err != nil {
		t.Fatal(err)
	}
	old, _ := s.GetStory(ctx, a.Story)
	gone, _ := s.GetStory(ctx, split.Other)
	if old.MergedInto != 0 || old.Articles != 2 || gone.MergedInto != a.Story {
		t.Errorf("after merge: survivor %+v, merged %+v", old, gone)
	}
	cents, _ = s.StoryCentroids(ctx, []int64{a.Story, split.Other})
	if !near(cents[a.Story]["toll"], 0.8) || len(cents[split.Other]) != 0 {
		t.Errorf("centroids after merge = %v", cents)
	}
	checkNorms(t, s, a.Story, c.Story, split.Other)
	live, _ := s.ListStories(ctx, store.StoryListOptions{})
	if len(live) != 2 {
		t.Errorf("%d live stories after merge; want 2", len(live))
	}
	// Merging a merged story, an unknown one, or a story with itself
	// fails with a clear error.
	for _, bad := range []model.StoryCorrection{
		{Action: model.CorrectMerge, Story: a.Story, Other: split.Other},
		{Action: model.CorrectMerge, Story: a.Story, Other: 999},
		{Action: model.CorrectMerge, Story: a.Story, Other: a.Story},
		{Action: model.CorrectMove, Story: a.Story, Articles: []string{"nope"}},
		{Action: "shuffle", Story: a.Story},
	} {
		if err := s.CorrectStories(ctx, &bad); err == nil {
			t.Errorf("correction %+v accepted", bad)
		}
	}
	cs, err := s.StoryCorrections(ctx, 0)
	if err != nil || len(cs) != 3 || cs[0].Action != model.CorrectMove || cs[0].Who != "ana" || cs[0].Why != "about the strike" || len(cs[0].Articles) != 1 {
		t.Errorf("corrections = %+v, %v", cs, err)
	}
	if cs, _ := s.StoryCorrections(ctx, a.Story); len(cs) != 1 || cs[0].Action != model.CorrectMerge {
		t.Errorf("corrections of story %d = %+v", a.Story, cs)
	}
}

// checkNorms compares the kept centroid lengths with the centroids.
func checkNorms(t *testing.T, s store.Store, ids ...int64) {
	t.Helper()
	ctx := context.Background()
	cents, err := s.StoryCentroids(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := s.StoryMatches(ctx, ids, []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		var n, shared float64
		for term, w := range cents[id] {
			n += w * w
			if !strings.HasPrefix(term, "zh:") {
				shared += w * w
			}
		}
		if !near(ms[id].Norm, math.Sqrt(n)) || !near(ms[id].SharedNorm, math.Sqrt(shared)) {
			t.Errorf("story %d: kept lengths %v / %v, centroid lengths %v / %v", id, ms[id].Norm, ms[id].SharedNorm, math.Sqrt(n), math.Sqrt(shared))
		}
	}
}

// testBatchTermStats: inside a batch, document frequencies count the
// batch's stored articles (not a failed one's) before they are written;
// others see them at Commit, and never after Rollback.
func testBatchTermStats(t *testing.T, s store.Store) {
	ctx := context.Background()
	bt, ok := s.(store.Batcher)
	if !ok {
		t.Skip("store has no batches")
	}
	placed(t, s, "df-0", 1, 0, map[string]float64{"ferry": 1})
	stats := func(st store.Store, want map[string]int, wantN int, when string) {
		t.Helper()
		got, n, err := st.TermStats(ctx, []string{"ferry", "quay", "ferry", "absent"})
		if err != nil {
			t.Fatalf("%s: TermStats: %v", when, err)
		}
		if n != wantN || got["ferry"] != want["ferry"] || got["quay"] != want["quay"] || got["absent"] != 0 {
			t.Errorf("%s: TermStats = %v, %d; want %v, %d", when, got, n, want, wantN)
		}
	}

	b, err := bt.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	bs := b.Store()
	placed(t, bs, "df-1", 2, 0, map[string]float64{"ferry": 0.6, "quay": 0.8})
	placed(t, bs, "df-2", 3, 0, map[string]float64{"quay": 1})
	// An article that fails (a derivation to a missing article) counts
	// nothing.
	w := store.ArticleWrite{Article: article("df-bad", day(4)), Derivations: []model.Derivation{derivation("df-bad", "absent", true)},
		Story: &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew, Score: 1},
			Vector: map[string]float64{"ferry": 1}, Terms: []string{"ferry"}}}
	if _, err := bs.PutArticle(ctx, w); err == nil {
		t.Fatal("PutArticle with a derivation to a missing article succeeded")
	}
	stats(bs, map[string]int{"ferry": 2, "quay": 2}, 3, "inside the batch")
	stats(s, map[string]int{"ferry": 1}, 1, "outside before Commit")
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	stats(s, map[string]int{"ferry": 2, "quay": 2}, 3, "after Commit")

	b2, err := bt.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	placed(t, b2.Store(), "df-3", 5, 0, map[string]float64{"ferry": 1})
	stats(b2.Store(), map[string]int{"ferry": 3, "quay": 2}, 4, "inside the second batch")
	if err := b2.Rollback(); err != nil {
		t.Fatal(err)
	}
	stats(s, map[string]int{"ferry": 2, "quay": 2}, 3, "after Rollback")
}
