package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(key, source, lang, title, text string, published *time.Time, places []model.PlaceMention) *model.Article {
		a := article(key, published)
		a.Source, a.Language, a.Title, a.Text = source, lang, title, text
		for i := range places {
			places[i].Article = a.ID
		}
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, Places: places}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	kharkiv := model.PlaceMention{Start: 0, End: 7, Text: "Kharkiv", PlaceID: "706483", GeonamesID: 706483, Name: "Kharkiv", Lat: 49.98, Lon: 36.25, Country: "UA", Admin1: "07", Precision: "point"}
	ferry := put("s1", "Meridian Wire", "en", "Ferry sinks off Lesbos", "A passenger ferry sank off Lesbos on Saturday. The coast guard rescued 71 people.", day(14), nil)
	strike := put("s2", "Civic Ledger", "en", "Shelling in Kharkiv", "Kharkiv was shelled overnight, the governor said. The ferry terminal was not hit.", day(15), []model.PlaceMention{kharkiv})
	dutch := put("s3", "De Koerier", "nl", "Veerboot gezonken", "Een veerboot is bij Lesbos gezonken, meldt de kustwacht.", day(16), nil)

	ids := func(hs []store.SearchHit) string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Article.Key)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name string
		q    store.SearchQuery
		want string // keys, best first; "" for none
	}{
		{"one word, title above text", store.SearchQuery{Text: "ferry"}, "s1,s2"},
		{"two words, both required", store.SearchQuery{Text: "ferry shelled"}, "s2"},
		{"a phrase", store.SearchQuery{Text: `"coast guard"`}, "s1"},
		{"a phrase not in order", store.SearchQuery{Text: `"guard coast"`}, ""},
		{"exclusion", store.SearchQuery{Text: "ferry -Kharkiv"}, "s1"},
		{"source filter", store.SearchQuery{Text: "ferry", Source: "Civic Ledger"}, "s2"},
		{"language filter", store.SearchQuery{Text: "Lesbos", Language: "nl"}, "s3"},
		{"place by name", store.SearchQuery{Place: "kharkiv"}, "s2"},
		{"place by id", store.SearchQuery{Text: "ferry", Place: "706483"}, "s2"},
		{"date range", store.SearchQuery{From: day(15), To: day(16)}, "s3,s2"},
		{"one day", store.SearchQuery{Text: "Lesbos", From: day(14), To: day(14)}, "s1"},
		{"no text: newest first", store.SearchQuery{}, "s3,s2,s1"},
		{"only an exclusion", store.SearchQuery{Text: "-ferry"}, "s3"},
		{"nothing matches", store.SearchQuery{Text: "volcano"}, ""},
	}
	for _, tc := range tests {
		hs, total, err := s.Search(ctx, tc.q)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := ids(hs); got != tc.want || total != len(hs) {
			t.Errorf("%s: Search(%+v) = %q (total %d); want %q", tc.name, tc.q, got, total, tc.want)
		}
	}
	hs, _, _ := s.Search(ctx, store.SearchQuery{Text: "rescued"})
	if len(hs) != 1 || !strings.Contains(hs[0].Snippet, "\x02rescued\x03") || hs[0].Article.ID != ferry.ID {
		t.Errorf("snippet = %+v; want the match marked", hs)
	}
	// Paging counts everything.
	hs, total, _ := s.Search(ctx, store.SearchQuery{Limit: 1, Offset: 1})
	if len(hs) != 1 || total != 3 || hs[0].Article.ID != strike.ID {
		t.Errorf("page 2 of 1 = %q of %d", ids(hs), total)
	}
	_ = dutch
	// What users type is never SQL nor FTS syntax.
	for _, evil := range []string{`'; DROP TABLE articles; --`, `"unbalanced`, `ferry OR`, `NEAR(a b)`, `a* ^b`, `(((`, `-`, `""`, "\x00", `col:ferry`, `ferry AND NOT`, "caf\xe9"} {
		if _, _, err := s.Search(ctx, store.SearchQuery{Text: evil, Source: evil, Place: evil, Language: evil}); err != nil {
			t.Errorf("Search(%q) = %v", evil, err)
		}
	}
	if n, _ := s.CountArticles(ctx); n != 3 {
		t.Errorf("after hostile searches %d articles; want 3", n)
	}
}

func testSourceStats(t *testing.T, s store.Store) {
	ctx := context.Background()
	// The wire's story is copied by an aggregator; an outlet reports the
	// same story later on its own.
	wire, agg, own := article("w", day(10)), article("c", day(11)), article("o", day(12))
	wire.Source, agg.Source, own.Source = "Wire", "Aggregator", "Outlet"
	sw := func() *store.StoryWrite {
		return &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew}, Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}
	}
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: wire, Story: sw()}); err != nil {
		t.Fatal(err)
	}
	storyID := wire.Story
	for _, a := range []*model.Article{agg, own} {
		w := store.ArticleWrite{Article: a, Story: &store.StoryWrite{Assignment: model.Assignment{Story: storyID, Via: model.ViaSimilarity},
			Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}}
		if a == agg {
			w.Derivations = []model.Derivation{{From: wire.ID, To: agg.ID, Kind: model.KindDuplicate, Score: 1}}
		}
		if _, err := s.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.AddSource(ctx, &model.Source{Name: "Wire", FeedURL: "https://wire.example/rss", Role: model.RoleWire}); err != nil {
		t.Fatal(err)
	}
	stats, err := s.SourceStats(ctx)
	if err != nil || len(stats) != 3 {
		t.Fatalf("SourceStats = %+v, %v", stats, err)
	}
	by := map[string]store.SourceStat{}
	for _, st := range stats {
		by[st.Name] = st
	}
	if w := by["Wire"]; w.Articles != 1 || w.Originated != 1 || w.Copies != 0 || w.FirstInStory != 1 || w.Stories != 1 || w.Watched == nil || w.Watched.Role != model.RoleWire {
		t.Errorf("wire = %+v", w)
	}
	if c := by["Aggregator"]; c.Copies != 1 || c.Originated != 0 || c.FirstInStory != 0 || c.Watched != nil {
		t.Errorf("aggregator = %+v", c)
	}
	if o := by["Outlet"]; o.Copies != 0 || o.Originated != 0 || o.Stories != 1 || o.FirstSeen == nil {
		t.Errorf("outlet = %+v", o)
	}

	// The whole story at once, as article by article.
	as, err := s.StoryAssignments(ctx, storyID)
	if err != nil || len(as) != 3 {
		t.Fatalf("StoryAssignments = %v, %v", as, err)
	}
	for _, a := range []*model.Article{wire, agg, own} {
		one, err := s.Assignment(ctx, a.ID)
		if err != nil || as[a.ID] == nil || as[a.ID].Via != one.Via || as[a.ID].Score != one.Score || as[a.ID].Story != one.Story {
			t.Errorf("StoryAssignments[%s] = %+v; Assignment = %+v, %v", a.Key, as[a.ID], one, err)
		}
	}
	ds, err := s.StoryDerivations(ctx, storyID)
	if err != nil || len(ds) != 1 || ds[0].From != wire.ID || ds[0].To != agg.ID {
		t.Errorf("StoryDerivations = %+v, %v", ds, err)
	}
	if ds, _ := s.StoryDerivations(ctx, 999999); len(ds) != 0 {
		t.Errorf("StoryDerivations of no story = %+v", ds)
	}
}

func testClaimOverrides(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := model.ClaimOverride{Story: 7, Group: "7-killed", Status: "corroborated", Who: "Dana", Why: "same count, different wording"}
	if err := s.PutClaimOverride(ctx, o); err != nil {
		t.Fatal(err)
	}
	o.Status, o.Why = "conflicting", "changed my mind"
	if err := s.PutClaimOverride(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := s.PutClaimOverride(ctx, model.ClaimOverride{Story: 8, Group: "8-x", Status: "updated", Who: "Eli"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimOverrides(ctx, 7)
	if err != nil || len(got) != 1 || got[0].Status != "conflicting" || got[0].Why != "changed my mind" || got[0].Who != "Dana" || got[0].At.IsZero() {
		t.Fatalf("ClaimOverrides = %+v, %v", got, err)
	}
	if err := s.PutClaimOverride(ctx, model.ClaimOverride{Story: 7, Group: "7-killed"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimOverrides(ctx, 7); len(got) != 0 {
		t.Errorf("after clearing: %+v", got)
	}
	if got, _ := s.ClaimOverrides(ctx, 8); len(got) != 1 {
		t.Errorf("another story's override lost: %+v", got)
	}
}
