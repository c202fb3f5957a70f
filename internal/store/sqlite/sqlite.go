// Package sqlite opens crosscheck's store on an embedded SQLite database
// (modernc.org/sqlite, pure Go) in WAL mode.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// dialect is SQLite's, for the shared SQL.
var dialect = sqldb.Dialect{Name: "sqlite"}

// Open opens (creating if needed) the SQLite database at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	q := url.Values{}
	// temp_store(MEMORY) keeps statement journals (multi-row inserts
	// inside a transaction need one) off temporary files: 4 % of ingest
	// time was their writes.
	for _, p := range []string{"busy_timeout(15000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-65536)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	// Immediate transactions take the write lock up front, so two writers
	// queue on busy_timeout instead of failing with "database is locked"
	// when a read lock cannot be upgraded.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s := sqldb.New(db, dialect)
	ms, err := sqldb.LoadMigrations(migrationFS, "migrations")
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := s.Migrate(ctx, ms); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return s, nil
}
