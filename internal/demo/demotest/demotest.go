// Package demotest loads the demo corpus into a fresh SQLite store for
// tests of the packages that show it (lineage, web, …).
package demotest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/demo"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

// Store ingests the demo corpus into a new SQLite store and returns it
// with its articles by file name (JSONL lines as "file.jsonl#N").
func Store(t testing.TB) (store.Store, map[string]*model.Article) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, Ingest(t, st)
}

// Ingest ingests the demo corpus into st and returns its articles by file
// name.
func Ingest(t testing.TB, st store.Store) map[string]*model.Article {
	t.Helper()
	dir := t.TempDir()
	if err := demo.WriteCorpus(filepath.Join(dir, "corpus")); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(context.Background(), st, []string{filepath.Join(dir, "corpus")}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	as, err := st.ListArticles(context.Background(), store.ListOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*model.Article{}
	for _, a := range as {
		name := filepath.Base(a.Path)
		if i := strings.LastIndex(name, ":"); i > 0 {
			name = name[:i] + "#" + name[i+1:]
		}
		by[name] = a
	}
	return by
}
