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

// walPages is the log size, in pages, at which a commit checkpoints.
const walPages = 65536

// Open opens (creating if needed) the SQLite database at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	q := url.Values{}
	// temp_store(MEMORY) keeps statement journals (multi-row inserts
	// inside a transaction need one) off temporary files: 4 % of ingest
	// time was their writes.
	//
	// wal_autocheckpoint: the committing writer copies the log back into
	// the database (and syncs it) once the log holds this many pages,
	// 256 MiB, rather than SQLite's 1,000. At 100,000 articles an
	// ingest batch writes ~8,000 pages to the log, so with 1,000 every
	// commit checkpointed, and pages every batch dirties (index
	// interiors, term counts, recent articles) were copied and synced
	// once per batch; now once per ~8 batches. Commit time fell from
	// 11–13 s to 7.6–7.9 s for 5,000 articles (docs/PERFORMANCE.md,
	// eighth round). The log file grows to ~256 MiB while a writer works
	// and is removed when the last connection closes; a reader finds a
	// page in it through at most 16 hash tables of the log index.
	for _, p := range []string{"busy_timeout(15000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-65536)", "temp_store(MEMORY)", fmt.Sprintf("wal_autocheckpoint(%d)", walPages)} {
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
	if lock := claimLock(path); lock != nil {
		s.SetClaimLock(lock)
	}
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
