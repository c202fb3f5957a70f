// Package postgres opens crosscheck's store on a PostgreSQL database
// through pgx's database/sql driver.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key that serialises migrations when
// several crosscheck processes start on one database at once.
const migrationLock = 0x63726f7373 // "cross"

// dialect is PostgreSQL's, for the shared SQL: numbered placeholders,
// and queued statements sent together as a pipeline of prepared
// statements.
var dialect = sqldb.Dialect{Name: "postgres", Numbered: true, Pipeline: pipeline}

// pipeline sends qs, each with its arguments, in one round trip on the
// driver connection dc: pgx's batch, in its default mode, prepares each
// statement text once per connection and keeps it (its statement
// cache), so PostgreSQL parses and plans a queued write once rather
// than every time, as it did when the queue travelled as one text with
// its arguments inlined (simple protocol). It returns the rows the last
// statement affected; the first error stops the rest.
func pipeline(ctx context.Context, dc any, qs []string, args [][]any) (int64, error) {
	c, ok := dc.(*stdlib.Conn)
	if !ok {
		return 0, fmt.Errorf("pipeline: %T is not a pgx connection", dc)
	}
	b := &pgx.Batch{}
	for i, q := range qs {
		b.Queue(q, args[i]...)
	}
	res := c.Conn().SendBatch(ctx, b)
	var n int64
	for range qs {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return 0, err
		}
		n = tag.RowsAffected()
	}
	return n, res.Close()
}

// Open connects to the PostgreSQL database at dsn (postgres://…) and
// brings its schema up to date.
func Open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := sqldb.New(db, dialect)
	ms, err := sqldb.LoadMigrations(migrationFS, "migrations")
	if err != nil {
		db.Close()
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if err := s.Migrate(ctx, ms); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}
