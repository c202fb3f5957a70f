package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func TestOutletAliases(t *testing.T) {
	outlet := func(from, to string) model.SourceRename { return model.SourceRename{From: from, To: to} }
	tests := []struct {
		name    string
		renames []model.SourceRename
		want    map[string]string // name → stored under
	}{
		{"none", nil, map[string]string{"BBC": "BBC"}},
		{"one", []model.SourceRename{outlet("BBC", "BBC News")}, map[string]string{"BBC": "BBC News", "BBC News": "BBC News", "ITV": "ITV"}},
		{"one after another", []model.SourceRename{outlet("A", "B"), outlet("B", "C")}, map[string]string{"A": "C", "B": "C", "C": "C"}},
		{"renamed back", []model.SourceRename{outlet("A", "B"), outlet("B", "A")}, map[string]string{"A": "A", "B": "A"}},
		{"round a circle", []model.SourceRename{outlet("A", "B"), outlet("B", "C"), outlet("C", "A")}, map[string]string{"A": "A", "B": "A", "C": "A"}},
		{"a watched source's rename is no alias", []model.SourceRename{{From: "Desk", To: "Wire", Source: 3}}, map[string]string{"Desk": "Desk"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			to := outletAliases(tc.renames)
			for name, want := range tc.want {
				if got := follow(to, name); got != want {
					t.Errorf("%q is stored under %q; want %q", name, got, want)
				}
			}
		})
	}
}

// TestRenamedOutletTakesLaterArticles: once an outlet is renamed as a
// whole, articles still arriving under its old name (as their input
// names it, or by --source) are stored under the new one, and its
// boilerplate is learnt there.
func TestRenamedOutletTakesLaterArticles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := newStore(t)
	report := func(name, topic string) string {
		body := "---\nsource: BBC\n---\nCouncil news about " + topic + "\n\n" + strings.Replace(prose, "flood barriers", topic, 1) +
			"\n\nFollow BBC News on Mastodon\n\nThe decision on " + topic + " will be reviewed next spring, officials said."
		return write(t, dir, name, []byte(body))
	}
	if _, err := Run(ctx, st, []string{report("a.txt", "roads")}, Options{}); err != nil {
		t.Fatal(err)
	}
	if moved, err := st.RenameOutlet(ctx, "BBC", "BBC News"); err != nil || moved != 1 {
		t.Fatalf("RenameOutlet = %d, %v", moved, err)
	}
	for _, f := range []string{report("b.txt", "schools"), report("c.txt", "water")} {
		if _, err := Run(ctx, st, []string{f}, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	flagged := write(t, dir, "d.txt", []byte("Fire inquiry opens\n\nThe inquiry into the silo fire opened on Tuesday. "+prose))
	if _, err := Run(ctx, st, []string{flagged}, Options{Source: "BBC"}); err != nil {
		t.Fatal(err)
	}
	as, err := st.ListArticles(ctx, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 4 {
		t.Fatalf("%d articles stored; want 4", len(as))
	}
	for _, a := range as {
		if a.Source != "BBC News" {
			t.Errorf("%s stored under %q; want BBC News", filepath.Base(a.Path), a.Source)
		}
		// The line is in a.txt and b.txt under the new name, so c.txt
		// loses it as boilerplate; under the old name b.txt would have
		// been the first to carry it.
		if kept := strings.Contains(a.Text, "Mastodon"); kept != (filepath.Base(a.Path) != "c.txt" && filepath.Base(a.Path) != "d.txt") {
			t.Errorf("%s keeps the outlet's repeated line: %v", filepath.Base(a.Path), kept)
		}
	}
}
