package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.SQL().ExecContext(ctx, `INSERT INTO rejections (input, reason, at) VALUES ('x', 'y', '2026-01-01T00:00:00Z')`)
	s.Close()
	s, err = Open(ctx, path) // migrations must not run twice
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	rs, err := s.ListRejections(ctx)
	if err != nil || len(rs) != 1 {
		t.Errorf("after reopen: %v, %v; want the one rejection", rs, err)
	}
}

// FuzzSearch: whatever a user types into the search box is neither an
// SQL nor an FTS5 syntax error.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`ferry "coast guard" -kharkiv`, `"unbalanced`, `a OR b AND NOT c`, `NEAR(a b, 2)`, `col:x`, `x*`, `^x`, `-`, `'; DROP TABLE articles; --`} {
		f.Add(s)
	}
	s, err := Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, q string) {
		if _, _, err := s.Search(context.Background(), store.SearchQuery{Text: q, Source: q, Place: q}); err != nil {
			t.Fatalf("Search(%q) = %v", q, err)
		}
	})
}
