package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func testSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	wire := &model.Source{Name: "Meridian Wire", FeedURL: "https://wire.example/world.rss", Home: "https://wire.example/", Language: "en",
		Role: model.RoleWire, Category: "Wires", Every: 10 * time.Minute}
	id, added, err := s.AddSource(ctx, wire)
	if err != nil || !added || id == 0 {
		t.Fatalf("AddSource = %d, %v, %v", id, added, err)
	}
	again, added, err := s.AddSource(ctx, &model.Source{Name: "Other name", FeedURL: wire.FeedURL})
	if err != nil || added || again != id {
		t.Fatalf("AddSource of the same feed = %d, %v, %v; want %d, false", again, added, err, id)
	}
	agg, _, err := s.AddSource(ctx, &model.Source{Name: "Aggregator", FeedURL: "https://agg.example/feed"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSource(ctx, id)
	if err != nil || got.Name != "Meridian Wire" || got.Role != model.RoleWire || got.Every != 10*time.Minute || got.Category != "Wires" || got.AddedAt.IsZero() {
		t.Fatalf("GetSource = %+v, %v", got, err)
	}
	if def, _ := s.GetSource(ctx, agg); def.Every != 30*time.Minute {
		t.Errorf("default poll interval = %v; want 30m", def.Every)
	}
	if _, err := s.GetSource(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSource(999999) = %v; want ErrNotFound", err)
	}
	all, err := s.Sources(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Aggregator" {
		t.Fatalf("Sources = %+v, %v", all, err)
	}

	// Both are due before their first poll; a polled one waits.
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	if due, err := s.DueSources(ctx, now); err != nil || len(due) != 2 {
		t.Fatalf("DueSources before any poll = %d, %v", len(due), err)
	}
	// A due source is claimed by one poll at a time; released, it can
	// be claimed again while still due, and not once a poll has moved
	// its next time on.
	release, ok, err := s.ClaimSource(ctx, agg, now)
	if !ok || err != nil {
		t.Fatalf("first claim = %v, %v", ok, err)
	}
	if _, ok, err := s.ClaimSource(ctx, agg, now); ok || err != nil {
		t.Errorf("second claim while the first holds = %v, %v; want false", ok, err)
	}
	release()
	release, ok, err = s.ClaimSource(ctx, agg, now)
	if !ok || err != nil {
		t.Fatalf("claim after release = %v, %v", ok, err)
	}
	if err := s.PolledSource(ctx, agg, "", "", now, now.Add(time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	release()
	if _, ok, err := s.ClaimSource(ctx, agg, now); ok || err != nil {
		t.Errorf("claim of a source polled meanwhile = %v, %v; want false", ok, err)
	}
	if _, ok, _ := s.ClaimSource(ctx, 1<<30, now); ok {
		t.Errorf("claimed a source that does not exist")
	}
	if err := s.PolledSource(ctx, id, `"e1"`, "Sat, 14 Mar 2026 11:00:00 GMT", now, now.Add(10*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	if err := s.PolledSource(ctx, agg, "", "", now, now.Add(30*time.Minute), "HTTP 503"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{now.Add(time.Minute), 0}, {now.Add(10 * time.Minute), 1}, {now.Add(time.Hour), 2}} {
		if due, err := s.DueSources(ctx, tc.at); err != nil || len(due) != tc.want {
			t.Errorf("DueSources(%s) = %d, %v; want %d", tc.at.Format("15:04"), len(due), err, tc.want)
		}
	}
	got, _ = s.GetSource(ctx, id)
	if got.ETag != `"e1"` || got.LastModified == "" || got.LastPoll == nil || !got.LastPoll.Equal(now) || got.LastError != "" {
		t.Errorf("after a poll: %+v", got)
	}
	if a, _ := s.GetSource(ctx, agg); a.LastError != "HTTP 503" || a.Failures != 1 {
		t.Errorf("poll error = %q, failures %d; want HTTP 503, 1", a.LastError, a.Failures)
	}
	// Failed polls in a row are counted; one that works resets the count.
	for i, pollErr := range []string{"HTTP 503", "", "timeout"} {
		if err := s.PolledSource(ctx, agg, "", "", now, now.Add(30*time.Minute), pollErr); err != nil {
			t.Fatal(err)
		}
		want := []int{2, 0, 1}[i]
		if a, _ := s.GetSource(ctx, agg); a.Failures != want || a.LastError != pollErr {
			t.Errorf("after poll %d (%q): failures %d, last error %q; want %d", i, pollErr, a.Failures, a.LastError, want)
		}
	}
	if got, _ := s.GetSource(ctx, id); got.Failures != 0 {
		t.Errorf("a source that never failed counts %d failures", got.Failures)
	}

	// An analyst's corrections: every field said about a source
	// changes, what polls learnt stays; a shorter interval brings the
	// next poll forward, a longer one does not push it back, and a
	// failing feed keeps its backoff.
	edit, _ := s.GetSource(ctx, id)
	edit.Name, edit.Home, edit.Language, edit.Role, edit.Category, edit.Every = "Meridian World", "https://wire.example/world/", "fr", model.RoleOutlet, "", 5*time.Minute
	if _, err := s.UpdateSource(ctx, edit); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetSource(ctx, id)
	if got.Name != "Meridian World" || got.Home != "https://wire.example/world/" || got.Language != "fr" || got.Role != model.RoleOutlet ||
		got.Category != "" || got.Every != 5*time.Minute || got.ETag != `"e1"` || got.FeedURL != wire.FeedURL {
		t.Errorf("after UpdateSource: %+v", got)
	}
	if want := now.Add(5 * time.Minute); got.NextPoll == nil || !got.NextPoll.Equal(want) {
		t.Errorf("next poll after a shorter interval = %v; want %v", got.NextPoll, want)
	}
	edit.Every = time.Hour
	if _, err := s.UpdateSource(ctx, edit); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetSource(ctx, id); got.NextPoll == nil || !got.NextPoll.Equal(now.Add(5*time.Minute)) || got.Every != time.Hour {
		t.Errorf("after a longer interval: every %v, next poll %v; want 1h, unchanged", got.Every, got.NextPoll)
	}
	failing, _ := s.GetSource(ctx, agg)
	failing.Every = time.Minute
	if _, err := s.UpdateSource(ctx, failing); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetSource(ctx, agg); got.NextPoll == nil || !got.NextPoll.Equal(now.Add(30*time.Minute)) || got.Failures != 1 {
		t.Errorf("failing feed after a shorter interval: next poll %v, failures %d; want its backoff kept", got.NextPoll, got.Failures)
	}
	if _, err := s.UpdateSource(ctx, &model.Source{ID: 1 << 30, Name: "x", Every: time.Minute}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateSource of a missing source = %v; want ErrNotFound", err)
	}

	// Seen items, per source: the same GUID in another feed is new there.
	for _, it := range []model.FeedItem{
		{Source: id, GUID: "g1", URL: "https://wire.example/1", Outcome: "ingested", ArticleID: "abc"},
		{Source: id, GUID: "g2", URL: "https://wire.example/2", Outcome: "rejected", Reason: "HTTP 404"},
		{Source: id, GUID: "g2", URL: "https://wire.example/2", Outcome: "rejected", Reason: "HTTP 410"},
	} {
		if err := s.RecordItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	seen, err := s.SeenItems(ctx, id, []string{"g1", "g2", "g3"})
	if err != nil || !seen["g1"] || !seen["g2"] || seen["g3"] {
		t.Errorf("SeenItems = %v, %v", seen, err)
	}
	if other, _ := s.SeenItems(ctx, agg, []string{"g1"}); other["g1"] {
		t.Errorf("another source saw g1")
	}
	items, err := s.SourceItems(ctx, id, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("SourceItems = %+v, %v", items, err)
	}
	for _, it := range items {
		if it.GUID == "g2" && it.Reason != "HTTP 410" {
			t.Errorf("re-recorded item = %+v; want the later reason", it)
		}
	}

	// Items waiting for a retry: seen (not new again), and listed the
	// longest waiting first, with their attempts and feed date; one
	// that is fetched at last leaves the list.
	pub := time.Date(2026, 3, 11, 6, 30, 0, 0, time.UTC)
	for _, it := range []model.FeedItem{
		{Source: id, GUID: "r-late", URL: "https://wire.example/late", Outcome: model.OutcomeRetry, Reason: "HTTP 503",
			Attempts: 1, SeenAt: now.Add(time.Minute)},
		{Source: id, GUID: "r-early", URL: "https://wire.example/early", Outcome: model.OutcomeRetry, Reason: "HTTP 429",
			Attempts: 2, Published: &pub, SeenAt: now},
		{Source: agg, GUID: "r-other", URL: "https://agg.example/x", Outcome: model.OutcomeRetry, SeenAt: now},
	} {
		if err := s.RecordItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if seen, _ := s.SeenItems(ctx, id, []string{"r-late", "r-early"}); !seen["r-late"] || !seen["r-early"] {
		t.Errorf("items to retry not seen: %v", seen)
	}
	retry, err := s.RetryItems(ctx, id, 10)
	if err != nil || len(retry) != 2 || retry[0].GUID != "r-early" || retry[1].GUID != "r-late" {
		t.Fatalf("RetryItems = %+v, %v; want r-early then r-late", retry, err)
	}
	if r := retry[0]; r.Attempts != 2 || r.Published == nil || !r.Published.Equal(pub) || r.Reason != "HTTP 429" || r.URL != "https://wire.example/early" {
		t.Errorf("retry item round trip = %+v", r)
	}
	if retry[1].Published != nil || retry[1].Attempts != 1 {
		t.Errorf("undated retry item = %+v", retry[1])
	}
	if one, _ := s.RetryItems(ctx, id, 1); len(one) != 1 || one[0].GUID != "r-early" {
		t.Errorf("RetryItems limit 1 = %+v", one)
	}
	done := retry[0]
	done.Outcome, done.ArticleID, done.Reason, done.Attempts = "ingested", "def", "", 3
	if err := s.RecordItem(ctx, done); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.RetryItems(ctx, id, 10); len(left) != 1 || left[0].GUID != "r-late" {
		t.Errorf("after the retry succeeded, RetryItems = %+v; want r-late alone", left)
	}

	if err := s.RemoveSource(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSource(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removed source still there: %v", err)
	}
	if seen, _ := s.SeenItems(ctx, id, []string{"g1"}); len(seen) != 0 {
		t.Errorf("removed source's items remain")
	}
	if err := s.RemoveSource(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice = %v", err)
	}

	// Articles keep their fetch time.
	a := article("fetched", day(12))
	f := time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)
	a.FetchedAt = &f
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a}); err != nil {
		t.Fatal(err)
	}
	if back, err := s.GetArticle(ctx, a.ID); err != nil || back.FetchedAt == nil || !back.FetchedAt.Equal(f) {
		t.Errorf("FetchedAt round trip = %v, %v", back.FetchedAt, err)
	}
}

// putUnder stores an article of day 2 under source, with the repeated
// lines given and a features row, and returns its ID.
func putUnder(t *testing.T, s store.Store, key, source string, lines ...int64) string {
	t.Helper()
	a := article(key, day(2))
	a.Source = source
	if _, err := s.PutArticle(context.Background(), store.ArticleWrite{Article: a, LineHashes: lines, Features: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// testRenameSource: a source's new name carries its stored articles,
// their repeated lines and their features' copy of the name; when
// another feed has the old name, only the articles fetched through
// the renamed one move.
func testRenameSource(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(key, source string) string { return putUnder(t, s, key, source, 7, 8) }
	world, _, err := s.AddSource(ctx, &model.Source{Name: "Meridian Wire", FeedURL: "https://wire.example/world.rss", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	europe, _, err := s.AddSource(ctx, &model.Source{Name: "Meridian Wire", FeedURL: "https://wire.example/europe.rss", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	fetched := put("w1", "Meridian Wire")    // through the world feed
	fromEurope := put("e1", "Meridian Wire") // through the europe feed
	fromFile := put("f1", "Meridian Wire")   // ingested from a file
	other := put("o1", "Harbour Times")      // another outlet
	for _, it := range []model.FeedItem{{Source: world, GUID: "g1", ArticleID: fetched}, {Source: europe, GUID: "g1", ArticleID: fromEurope}} {
		it.URL, it.Outcome, it.SeenAt = "https://wire.example/"+it.ArticleID, "ingested", *day(2)
		if err := s.RecordItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	rename := func(id int64, name string, want int) {
		t.Helper()
		src, err := s.GetSource(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		src.Name = name
		if moved, err := s.UpdateSource(ctx, src); err != nil || moved != want {
			t.Fatalf("UpdateSource(%d, name %q) = %d, %v; want %d articles moved", id, name, moved, err, want)
		}
	}

	// Another feed has the old name: only what this feed fetched moves.
	rename(world, "Meridian Wire (world)", 1)
	wantAttributed(t, s, map[string]string{fetched: "Meridian Wire (world)", fromEurope: "Meridian Wire", fromFile: "Meridian Wire", other: "Harbour Times"})
	if got, _ := s.RepeatedLines(ctx, "Meridian Wire (world)", []int64{7}, 1); !got[7] {
		t.Errorf("the moved article's lines stayed with the old name")
	}
	if got, _ := s.RepeatedLines(ctx, "Meridian Wire", []int64{7}, 3); got[7] {
		t.Errorf("the old name still counts the moved article's lines")
	}

	// The last source with a name takes every article attributed to it,
	// those ingested from files too.
	rename(europe, "Meridian", 2)
	wantAttributed(t, s, map[string]string{fetched: "Meridian Wire (world)", fromEurope: "Meridian", fromFile: "Meridian", other: "Harbour Times"})
	if got, _ := s.RepeatedLines(ctx, "Meridian", []int64{8}, 2); !got[8] {
		t.Errorf("the renamed source's lines do not count under its new name: %v", got)
	}
	// Merging into a name articles already have, and other edits, move
	// nothing more than the renamed source's.
	rename(world, "Meridian", 1)
	if a, _ := attributed(t, s, fetched); a != "Meridian" {
		t.Errorf("merged article attributed to %q", a)
	}
	src, _ := s.GetSource(ctx, world)
	src.Every = 2 * time.Hour
	if moved, err := s.UpdateSource(ctx, src); err != nil || moved != 0 {
		t.Errorf("UpdateSource without a new name = %d, %v; want 0 moved", moved, err)
	}
	// Each rename is recorded, and nothing else is.
	rs, err := s.SourceRenames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%d %s→%s %d", r.Source, r.From, r.To, r.Moved))
		if r.At.IsZero() {
			t.Errorf("rename %d has no time", r.ID)
		}
	}
	want := []string{
		fmt.Sprintf("%d Meridian Wire→Meridian Wire (world) 1", world),
		fmt.Sprintf("%d Meridian Wire→Meridian 2", europe),
		fmt.Sprintf("%d Meridian Wire (world)→Meridian 1", world),
	}
	if !slices.Equal(got, want) {
		t.Errorf("renames recorded = %q; want %q", got, want)
	}
}

// testRenameOutlet: renaming an outlet by name moves every article under
// it (fetched or ingested from files) with its lines and features, and
// renames every watched source of that name; merging into a name in use
// joins the two; a name nothing has is not found, and is not recorded.
func testRenameOutlet(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(key, source string) string { return putUnder(t, s, key, source, 7) }
	feed, _, err := s.AddSource(ctx, &model.Source{Name: "BBC", FeedURL: "https://bbc.example/feed", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a1, a2, b1, o1 := put("a1", "BBC"), put("a2", "BBC"), put("b1", "BBC News"), put("o1", "Harbour Times")
	if moved, err := s.RenameOutlet(ctx, "BBC", "BBC News"); err != nil || moved != 2 {
		t.Fatalf("RenameOutlet = %d, %v; want 2 articles moved", moved, err)
	}
	wantAttributed(t, s, map[string]string{a1: "BBC News", a2: "BBC News", b1: "BBC News", o1: "Harbour Times"})
	// The line of the two moved articles and the one already there
	// counts three times under the joined name, none under the old.
	if got, _ := s.RepeatedLines(ctx, "BBC News", []int64{7}, 3); !got[7] {
		t.Errorf("the moved articles' lines do not count under the new name")
	}
	if got, _ := s.RepeatedLines(ctx, "BBC", []int64{7}, 1); got[7] {
		t.Errorf("the old name still counts the moved articles' lines")
	}
	if src, err := s.GetSource(ctx, feed); err != nil || src.Name != "BBC News" {
		t.Errorf("the watched source of the old name is %+v, %v; want it renamed", src, err)
	}
	for _, bad := range [][2]string{{"BBC", "Other"}, {"", "Other"}, {"Harbour Times", ""}, {"Harbour Times", "Harbour Times"}} {
		if moved, err := s.RenameOutlet(ctx, bad[0], bad[1]); err == nil || moved != 0 {
			t.Errorf("RenameOutlet(%q, %q) = %d, %v; want an error", bad[0], bad[1], moved, err)
		}
	}
	if _, err := s.RenameOutlet(ctx, "BBC", "Other"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("renaming a name nothing has = %v; want ErrNotFound", err)
	}
	rs, err := s.SourceRenames(ctx)
	if err != nil || len(rs) != 1 || rs[0].From != "BBC" || rs[0].To != "BBC News" || rs[0].Source != 0 || rs[0].Moved != 2 {
		t.Errorf("renames recorded = %+v, %v; want the one outlet rename", rs, err)
	}
}

// wantAttributed checks the outlet each stored article (by ID) is
// attributed to, in its row and in its features row.
func wantAttributed(t *testing.T, s store.Store, want map[string]string) {
	t.Helper()
	for id, name := range want {
		if a, f := attributed(t, s, id); a != name || f != name {
			t.Errorf("article %s attributed to %q, features %q; want %q", id, a, f, name)
		}
	}
}

// attributed returns the outlet a stored article is attributed to, and
// the one its features row names.
func attributed(t *testing.T, s store.Store, id string) (article, features string) {
	t.Helper()
	ctx := context.Background()
	a, err := s.GetArticle(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.CandidateFeatures(ctx, []string{id})
	if err != nil || len(fs) != 1 {
		t.Fatalf("CandidateFeatures(%s) = %v, %v", id, fs, err)
	}
	return a.Source, fs[0].Source
}
