// Package storetest is the conformance suite for store.Store: every
// implementation (SQLite, PostgreSQL) must pass the same tests.
package storetest

import (
	"context"
	"errors"
	"fmt"
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
		ins, err := s.PutArticle(ctx, a, []int64{1, 2, 2})
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
	if ins, err := s.PutArticle(ctx, a, nil); err != nil || !ins {
		t.Fatalf("first PutArticle = %v, %v", ins, err)
	}
	b := article("same", day(5))
	b.Title = "Changed"
	if ins, err := s.PutArticle(ctx, b, nil); err != nil || ins {
		t.Fatalf("second PutArticle = %v, %v; want false, nil", ins, err)
	}
	got, _ := s.GetArticle(ctx, a.ID)
	if got.Title != a.Title {
		t.Errorf("title after duplicate put = %q; want %q (first version kept)", got.Title, a.Title)
	}
	if n, _ := s.CountArticles(ctx); n != 1 {
		t.Errorf("CountArticles = %d; want 1", n)
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
		if _, err := s.PutArticle(ctx, a, nil); err != nil {
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
		if _, err := s.PutArticle(ctx, article(fmt.Sprint("k", i), nil), nil); err != nil {
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
		if _, err := s.PutArticle(ctx, a, hs); err != nil {
			t.Fatal(err)
		}
	}
	other := article("o", nil)
	other.Source = "Other"
	s.PutArticle(ctx, other, []int64{30, 30})
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
	if _, err := s.PutArticle(ctx, a, nil); err != nil {
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
				ins, err := s.PutArticle(ctx, article(fmt.Sprint("c", j), nil), []int64{int64(j)})
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
