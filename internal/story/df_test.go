package story

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite/sqlitetest"
)

// TestTermStatsFollowStore: the frequencies the clusterer keeps are the
// store's, through its own writes, another process's, and a batch rolled
// back while another process stored as many articles (so the article
// count alone cannot tell).
func TestTermStatsFollowStore(t *testing.T) {
	ctx := context.Background()
	st, other := sqlitetest.Pair(t) // other: another process
	sw := &swapStore{st}
	c := New(sw, nil)

	texts := []string{ferryA, ferryB, strike, ferryA + " " + strike, "Rotterdam dockworkers returned to the Maasvlakte terminals on Wednesday."}
	var seen []string
	theirs := New(other, nil) // the other process's clusterer
	put := func(s store.Store, key, text string, tell bool) {
		t.Helper()
		a := &model.Article{Key: key, ID: model.ArticleID(key), Source: "Outlet", Text: text, Published: date(3, 1), Language: "en"}
		by := c
		if s == other {
			by = theirs
		}
		w, err := by.Assign(ctx, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, Story: w}); err != nil {
			t.Fatal(err)
		}
		if tell {
			c.Stored(w)
		}
		seen = append(seen, w.Terms...)
	}
	check := func(step string) {
		t.Helper()
		terms := append(slices.Clone(seen), "never-seen-term")
		slices.Sort(terms)
		terms = slices.Compact(terms)
		got, n, err := c.termStats(ctx, terms)
		if err != nil {
			t.Fatal(err)
		}
		want, wn, err := st.TermStats(ctx, terms)
		if err != nil {
			t.Fatal(err)
		}
		if n != wn || !maps.Equal(got, want) {
			t.Errorf("%s: kept frequencies (%d articles) differ from the store's (%d): %v\nwant %v", step, n, wn, got, want)
		}
	}

	for i, text := range texts {
		put(st, fmt.Sprint("own", i), text, true)
		if !c.df.valid || c.df.n != i+1 {
			t.Fatalf("after %d articles told to it, the cache is not in use (%+v)", i+1, c.df.valid)
		}
		check(fmt.Sprint("own article ", i))
	}

	put(other, "foreign", ferryB, false)
	check("another process's article")

	b, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sw.Store = b.Store()
	put(sw, "rolled-back", strike, true)
	if err := b.Rollback(); err != nil {
		t.Fatal(err)
	}
	sw.Store = st
	c.Forget()
	put(other, "foreign2", ferryB, false)
	check("a batch rolled back, another process's article")
}

type swapStore struct{ store.Store }
