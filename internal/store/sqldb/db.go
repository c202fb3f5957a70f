package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dialect is what differs between the SQL databases we run on.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered is true when placeholders are $1, $2… instead of ?.
	Numbered bool
	// Pipeline, when set, sends statements in one round trip, each
	// with its own placeholders and arguments, as prepared statements
	// that the connection keeps (pgx's pipeline and statement cache), on
	// the transaction's connection, given as the driver's (sql.Conn.Raw).
	// It returns the rows the last statement affected. Statements queued
	// with Tx.Later then travel together; without it each runs on its
	// own, which costs nothing in process (SQLite).
	Pipeline func(ctx context.Context, driverConn any, qs []string, args [][]any) (int64, error)
}

// postgres reports whether SQL only PostgreSQL has (arrays, LATERAL,
// typed times) may be used; Numbered is about placeholders alone.
func (d Dialect) postgres() bool { return d.Name == "postgres" }

// DB is a store.Store on a database/sql handle.
type DB struct {
	db      *sql.DB
	dialect Dialect
	stmts   *stmtCache
	// batch, when set, is the open transaction every statement of this
	// handle runs in (see Begin); nested transactions become savepoints.
	batch *batchTx
	// claimLock, when set, takes the lock a source's poll holds (SQLite:
	// see SetClaimLock).
	claimLock func() (func(), bool, error)
}

// stmtCache keeps prepared statements by query text: SQLite otherwise
// parses every statement on every call, which was a sixth of ingest's
// CPU time. Queries built with variable-length IN lists make many texts;
// past maxStmts, new texts run unprepared.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStmts = 2000

func (db *DB) stmt(ctx context.Context, q string) *sql.Stmt {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if s, ok := db.stmts.m[q]; ok {
		return s
	}
	if len(db.stmts.m) >= maxStmts {
		return nil
	}
	s, err := db.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sql.Stmt{}
	}
	db.stmts.m[q] = s
	return s
}

// Idle connections. database/sql keeps 2 by default, fewer than ingest
// uses at once (one reader per CPU and the writer); each commit then
// returned one connection too many, which was closed, and the one opened
// in its place started with an empty page cache (SQLite) or a new backend
// (PostgreSQL), and prepared every statement again. On SQLite at 95,000
// articles this was a third of ingest's wall time. So a handle keeps as
// many as it is likely to use at once, scaled with the CPUs as ingest's
// readers are, and lets one go after idleMaxTime unused, so a server
// quiet after a burst of requests does not hold their page caches.
const idleMaxTime = 5 * time.Minute

func maxIdle() int { return max(16, 2*runtime.GOMAXPROCS(0)+2) }

// New wraps an open, migrated database.
func New(db *sql.DB, d Dialect) *DB {
	db.SetMaxIdleConns(maxIdle())
	db.SetConnMaxIdleTime(idleMaxTime)
	return &DB{db: db, dialect: d, stmts: &stmtCache{}}
}

// SQL returns the underlying handle (for tests and tools).
func (db *DB) SQL() *sql.DB { return db.db }

// Close closes the database. Closing a batch's handle does nothing: the
// batch ends with Commit or Rollback.
func (db *DB) Close() error {
	if db.batch != nil {
		return nil
	}
	db.stmts.mu.Lock()
	for _, s := range db.stmts.m {
		s.Close()
	}
	db.stmts.m = nil
	db.stmts.mu.Unlock()
	return db.db.Close()
}

// rebind turns ? placeholders into $n for dialects that need it. Queries
// in this package never hold a literal question mark.
func (db *DB) rebind(q string) string {
	if !db.dialect.Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction whose queries are rebound for the dialect.
type Tx struct {
	tx *sql.Tx
	db *DB
	// later holds the statements queued by Later, with ? placeholders,
	// and their arguments.
	later []queued
	// conn is the connection the transaction runs on (Dialect.Pipeline).
	conn *sql.Conn
	// df, inside a batch's savepoint, collects the article's term_df
	// increments; the batch takes them when the savepoint is released
	// (batchTx.df). Nil outside batches: increments are written at once.
	df map[string]int
	// fts, inside a batch's savepoint, collects the articles stored for
	// the batch to put in SQLite's full-text index at Commit (see
	// indexText); the batch takes them when the savepoint is released.
	fts []string
}

// Later queues a statement whose result nobody reads: it runs before
// the transaction's next statement, or at its end, and its error is
// returned there. On PostgreSQL the queued statements travel in one
// round trip instead of one each (the linker writes ~20 per article);
// elsewhere Later runs the statement at once.
func (t *Tx) Later(ctx context.Context, q string, args ...any) error {
	if t.db.dialect.Pipeline == nil {
		_, err := t.Exec(ctx, q, args...)
		return err
	}
	t.later = append(t.later, queued{q, slices.Clone(args)})
	return nil
}

// queued is a statement waiting in Tx.later. Its arguments are a copy:
// callers may reuse theirs.
type queued struct {
	q    string
	args []any
}

// sendLater runs the queued statements, and then the statement q if it
// is not empty, in one round trip (Dialect.Pipeline); the result is q's,
// or the last queued statement's. Each statement is rebound on its own,
// so its placeholders count from $1.
func (t *Tx) sendLater(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if q != "" {
		t.later = append(t.later, queued{q, args})
	}
	qs := make([]string, len(t.later))
	each := make([][]any, len(t.later))
	for i, l := range t.later {
		qs[i], each[i] = t.db.rebind(l.q), l.args
	}
	t.later = t.later[:0]
	var n int64
	err := t.conn.Raw(func(dc any) (err error) {
		n, err = t.db.dialect.Pipeline(ctx, dc, qs, each)
		return err
	})
	if err != nil {
		return nil, err
	}
	return affected(n), nil
}

// affected is the sql.Result of a pipeline: the rows its last statement
// affected. PostgreSQL has no last insert ID.
type affected int64

func (affected) LastInsertId() (int64, error) {
	return 0, errors.New("no last insert ID on this database")
}
func (n affected) RowsAffected() (int64, error) { return int64(n), nil }

// flush runs the queued statements, if any.
func (t *Tx) flush(ctx context.Context) error {
	if len(t.later) == 0 {
		return nil
	}
	_, err := t.sendLater(ctx, "")
	return err
}

// Exec runs a statement in the transaction, after (and on PostgreSQL
// with) the queued ones.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if len(t.later) > 0 {
		return t.sendLater(ctx, q, args...)
	}
	q = t.db.rebind(q)
	if s := t.db.stmt(ctx, q); s != nil {
		return t.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// Row is one row of Tx.QueryRow: a *sql.Row, or the error of the
// statements queued before it.
type Row struct {
	row *sql.Row
	err error
}

// Scan copies the row's columns into dest, as sql.Row.Scan does.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.row.Scan(dest...)
}

// QueryRow runs a query returning one row in the transaction, after the
// queued statements.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *Row {
	if err := t.flush(ctx); err != nil {
		return &Row{err: err}
	}
	q = t.db.rebind(q)
	if s := t.db.stmt(ctx, q); s != nil {
		return &Row{row: t.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)}
	}
	return &Row{row: t.tx.QueryRowContext(ctx, q, args...)}
}

// Query runs a query in the transaction, after the queued statements.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	q = t.db.rebind(q)
	if s := t.db.stmt(ctx, q); s != nil {
		return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

// Transact runs fn in a transaction, committing when it returns nil and
// rolling back otherwise.
func (db *DB) Transact(ctx context.Context, fn func(*Tx) error) (err error) {
	if db.batch != nil {
		return db.batch.savepoint(ctx, db, fn)
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	t := &Tx{tx: tx, conn: conn, db: db}
	if err = fn(t); err != nil {
		return err
	}
	if err = t.flush(ctx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (db *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if db.batch != nil {
		return db.batch.on(db).Exec(ctx, q, args...)
	}
	q = db.rebind(q)
	if s := db.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return db.db.ExecContext(ctx, q, args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if db.batch != nil {
		return db.batch.on(db).Query(ctx, q, args...)
	}
	q = db.rebind(q)
	if s := db.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return db.db.QueryContext(ctx, q, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *Row {
	if db.batch != nil {
		return db.batch.on(db).QueryRow(ctx, q, args...)
	}
	q = db.rebind(q)
	if s := db.stmt(ctx, q); s != nil {
		return &Row{row: s.QueryRowContext(ctx, args...)}
	}
	return &Row{row: db.db.QueryRowContext(ctx, q, args...)}
}

// timeArg is how times are passed to either database: RFC 3339 in UTC,
// which sorts as text in SQLite and parses as timestamptz in PostgreSQL.
func timeArg(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// boolArg passes a boolean to either database (SQLite stores 0/1).
func (db *DB) boolArg(b bool) any {
	if db.dialect.postgres() {
		return b
	}
	if b {
		return 1
	}
	return 0
}

// sqlBool scans a boolean column from either database.
type sqlBool bool

func (b *sqlBool) Scan(v any) error {
	switch x := v.(type) {
	case bool:
		*b = sqlBool(x)
	case int64:
		*b = x != 0
	case nil:
		*b = false
	default:
		return fmt.Errorf("scan bool: unsupported %T", v)
	}
	return nil
}

// nullTime scans a time column from either database.
type nullTime struct{ t *time.Time }

func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.t = nil
	case time.Time:
		u := x.UTC()
		n.t = &u
	case string:
		return n.parse(x)
	case []byte:
		return n.parse(string(x))
	default:
		return fmt.Errorf("scan time: unsupported %T", v)
	}
	return nil
}

func (n *nullTime) parse(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			u := t.UTC()
			n.t = &u
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}
