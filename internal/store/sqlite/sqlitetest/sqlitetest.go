// Package sqlitetest opens SQLite stores for tests, closed when the test
// ends.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

// Open opens (creating it if needed) the store at path. Opening one path
// twice gives two handles on one database, as two processes would have.
func Open(t testing.TB, path string) *sqldb.DB {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Temp opens a new store in the test's temporary directory.
func Temp(t testing.TB) *sqldb.DB {
	t.Helper()
	return Open(t, filepath.Join(t.TempDir(), "test.db"))
}

// Pair opens two handles on one new database, as two processes would
// have: what one writes, the other sees only once committed.
func Pair(t testing.TB) (*sqldb.DB, *sqldb.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	return Open(t, path), Open(t, path)
}
