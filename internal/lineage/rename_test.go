package lineage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

// TestRenameReachesCachedArticles: a long-running linker that prepared
// a stored article under its outlet's old name sees the new one once it
// reads the sources again, so the role of the new name applies to it:
// whether a watched source was renamed (the list of sources changed)
// or an outlet named only by its articles was (it did not).
func TestRenameReachesCachedArticles(t *testing.T) {
	tests := []struct {
		name    string
		watched bool // the report's outlet is watched (else the wire it is renamed into is)
		rename  func(t *testing.T, st store.Store, desk int64)
	}{
		{"a watched source renamed and given a role", true, func(t *testing.T, st store.Store, desk int64) {
			src, err := st.GetSource(context.Background(), desk)
			if err != nil {
				t.Fatal(err)
			}
			src.Name, src.Role = "Meridian Wire", model.RoleWire
			if moved, err := st.UpdateSource(context.Background(), src); err != nil || moved != 1 {
				t.Fatalf("UpdateSource = %d, %v; want 1 article moved", moved, err)
			}
		}},
		{"an outlet without a feed merged into a wire's name", false, func(t *testing.T, st store.Store, _ int64) {
			if moved, err := st.RenameOutlet(context.Background(), "Wire Desk", "Meridian Wire"); err != nil || moved != 1 {
				t.Fatalf("RenameOutlet = %d, %v; want 1 article moved", moved, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			testRenameReachesCache(t, tc.watched, tc.rename)
		})
	}
}

func testRenameReachesCache(t *testing.T, watched bool, rename func(*testing.T, store.Store, int64)) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/x.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Either the report's outlet is watched, or the wire service it is
	// renamed into is (with no article yet).
	src := &model.Source{Name: "Wire Desk", FeedURL: "https://desk.example/rss", Every: time.Hour}
	if !watched {
		src = &model.Source{Name: "Meridian Wire", FeedURL: "https://wire.example/rss", Role: model.RoleWire, Every: time.Hour}
	}
	desk, _, err := st.AddSource(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.AddSource(ctx, &model.Source{Name: "NewsStack", FeedURL: "https://newsstack.example/rss", Role: model.RoleAggregator, Every: time.Hour}); err != nil {
		t.Fatal(err)
	}
	text := "A ferry carrying 86 passengers capsized off Lesbos on Monday, the Hellenic Coast Guard said, and 12 people were missing. " +
		"Divers from Mytilene searched the wreck through the night while Alexiou Marina staff sheltered 40 survivors in Petra. " +
		"The Agia Marina left Ayvalik at 9 a.m. and sank four miles from the coast in winds of 70 kilometres an hour, officials said. " +
		"Turkey's disaster agency AFAD sent two boats to help the Greek search near Molyvos, according to the Kalloni harbour master."
	at := time.Date(2026, 7, 6, 9, 0, 0, 0, time.UTC)
	later := at.Add(2 * time.Minute)
	l := NewLinker(st)
	link := func(a *model.Article) []model.Derivation {
		t.Helper()
		w, err := l.Link(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
		return w.Derivations
	}
	link(&model.Article{ID: "w1", Key: "w1", Source: "Wire Desk", Language: "en", Published: &at, Text: text})

	// The analyst renames the outlet to a wire service's name; the linker
	// has the report prepared under the old name.
	rename(t, st, desk)
	l.rolesAt = l.rolesAt.Add(-rolesTTL) // the next article reads the sources again

	ds := link(&model.Article{ID: "n1", Key: "n1", Source: "NewsStack", Language: "en", Published: &later, Text: text})
	if len(ds) != 1 {
		t.Fatalf("derivations = %+v; want one", ds)
	}
	if got := ds[0].Evidence.Direction; got != "role: Meridian Wire is a wire service, NewsStack an aggregator" || ds[0].From != "w1" {
		t.Errorf("direction from %s, %q; want from w1, by the roles under the new name", ds[0].From, got)
	}
	if strings.Contains(ds[0].Evidence.Direction, "Wire Desk") {
		t.Errorf("the evidence names the old name: %q", ds[0].Evidence.Direction)
	}
}
