package ingest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite/sqlitetest"
)

// TestSourceWindowFollowsStore: the writer's copy of a source's latest
// articles and their places is what the store holds, after more articles
// than the window keeps, a rolled-back batch, and an article another
// process stored in between.
func TestSourceWindowFollowsStore(t *testing.T) {
	ctx := context.Background()
	st, other := sqlitetest.Pair(t) // other: another process

	const source = "Valley Gazette"
	places := []string{"Kharkiv", "Lviv", "Odesa", "Paris", "Springfield", "Mytilene"}
	dir := t.TempDir()
	var inputs []string
	for i := 0; i < sourcePriorArticles+20; i++ {
		text := fmt.Sprintf("Report %d. Officials in %s and %s said %d families had left their homes after the storm, and schools stayed closed on day %d of the emergency.",
			i, places[i%len(places)], places[(i/len(places))%len(places)], 10+i, i)
		inputs = append(inputs, write(t, dir, fmt.Sprintf("%04d.txt", i), []byte(text)))
	}
	var items []Item
	if err := Read(ctx, inputs, Options{Source: source}, func(it Item) error { items = append(items, it); return nil }); err != nil {
		t.Fatal(err)
	}
	w := NewWriter(st, Options{Source: source})
	for i, it := range items {
		if _, err := w.Write(ctx, it); err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 50: // a batch that fails: its articles are not stored
			if err := w.Abort(); err != nil {
				t.Fatal(err)
			}
		case i == 120: // another process stores an article of the source
			if err := w.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			a := &model.Article{ID: "foreign", Key: "foreign", Source: source, Language: "en", Text: "Officials in Lviv said the bridge had reopened."}
			p := model.PlaceMention{Start: 13, End: 17, Text: "Lviv", PlaceID: "702550", Name: "Lviv", Country: "UA", Admin1: "15", Precision: "point"}
			if _, err := other.PutArticle(ctx, store.ArticleWrite{Article: a, Places: []model.PlaceMention{p, p}}); err != nil {
				t.Fatal(err)
			}
		case i%40 == 39:
			if err := w.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	win := w.w.windows[source]
	if win == nil {
		t.Fatal("the writer keeps no window for the source")
	}
	ids, err := st.SourceLatest(ctx, source, sourcePriorArticles)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(ids)
	if !slices.Equal(win.ids, ids) {
		t.Fatalf("window holds %d articles %v…; the store's latest are %d %v…", len(win.ids), win.ids[:3], len(ids), ids[:3])
	}
	if !slices.Contains(ids, "foreign") {
		t.Error("the other process's article is not among the source's latest")
	}
	stored, err := st.SourcePlaces(ctx, source, sourcePriorArticles)
	if err != nil {
		t.Fatal(err)
	}
	var got []model.PlaceMention
	for _, id := range win.ids {
		got = append(got, win.places[id]...)
	}
	key := func(p model.PlaceMention) string {
		return p.Article + "|" + p.PlaceID + "|" + p.Country + "|" + p.Admin1 + "|" + p.Precision
	}
	var want, have []string
	for _, p := range stored {
		want = append(want, key(p))
	}
	for _, p := range got {
		have = append(have, key(p))
	}
	slices.Sort(want)
	slices.Sort(have)
	if len(want) == 0 || !slices.Equal(have, want) {
		t.Errorf("window's places (%d) differ from the store's (%d): %v\nwant %v", len(have), len(want), have, want)
	}
}
