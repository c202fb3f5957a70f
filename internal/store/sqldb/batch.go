package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// batchTx is the transaction of a batch, its savepoint counter, and the
// document-frequency increments of its articles, written at Commit.
type batchTx struct {
	tx   *sql.Tx
	conn *sql.Conn
	next int
	done bool
	// df holds the term_df increments of the batch's released
	// savepoints ("" counts articles). Each article's terms were one
	// upsert of ~60 rows; a batch's repeat many of the same terms, so
	// they are summed here and written once (TermStats adds them in the
	// meantime, so reads inside the batch see them as before).
	df map[string]int
	// fts are the articles of the batch's released savepoints, put in
	// SQLite's full-text index at Commit (Tx.indexText).
	fts []string
}

// Batch groups many writes into one transaction: its Store sees its own
// writes at once, others see them all at Commit or none. Each Transact
// inside it is a savepoint, so a failed write undoes only itself.
type Batch struct {
	db *DB
}

// Begin starts a batch. On SQLite it holds the write lock until Commit or
// Rollback, so callers keep batches short.
func (db *DB) Begin(ctx context.Context) (store.Batch, error) {
	if db.batch != nil {
		return nil, errors.New("begin: a batch is already open on this handle")
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin: %w", err)
	}
	bound := *db
	bound.batch = &batchTx{tx: tx, conn: conn, df: map[string]int{}}
	return &Batch{db: &bound}, nil
}

// Store is the handle whose every statement runs in the batch.
func (b *Batch) Store() store.Store { return b.db }

// Commit puts the batch's articles in the full-text index and writes its
// summed term frequencies, then makes the batch's writes durable and
// visible. When that fails nothing of the batch is stored.
func (b *Batch) Commit(ctx context.Context) error {
	bt := b.db.batch
	if bt.done {
		return errors.New("commit: batch already ended")
	}
	for _, write := range []func(context.Context, *DB) error{bt.writeFTS, bt.writeDF} {
		if err := write(ctx, b.db); err != nil {
			_ = b.Rollback()
			return fmt.Errorf("commit: %w", err)
		}
	}
	bt.done = true
	defer bt.conn.Close()
	if err := bt.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Rollback discards the batch's writes. It is safe after Commit.
func (b *Batch) Rollback() error {
	if b.db.batch.done {
		return nil
	}
	b.db.batch.done = true
	defer b.db.batch.conn.Close()
	return b.db.batch.tx.Rollback()
}

// on is a Tx for statements of the batch's transaction, on db.
func (bt *batchTx) on(db *DB) *Tx { return &Tx{tx: bt.tx, conn: bt.conn, db: db} }

// savepoint runs fn as a nested transaction of the batch. On PostgreSQL
// the SAVEPOINT travels with fn's first statement and the RELEASE with
// its last queued ones (see Tx.Later).
func (bt *batchTx) savepoint(ctx context.Context, db *DB, fn func(*Tx) error) (err error) {
	if bt.done {
		return errors.New("transaction on an ended batch")
	}
	bt.next++
	name := fmt.Sprintf("sp%d", bt.next)
	t := bt.on(db)
	t.df = map[string]int{}
	if err := t.Later(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	undo := func() {
		if len(t.later) > 0 && t.later[0].q == "SAVEPOINT "+name {
			return // never sent: nothing to undo
		}
		bt.undo(name)
	}
	defer func() {
		if p := recover(); p != nil {
			undo()
			panic(p)
		}
		if err != nil {
			undo()
		}
	}()
	if err = fn(t); err != nil {
		return err
	}
	if err = t.Later(ctx, "RELEASE "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	if err = t.flush(ctx); err != nil {
		return err
	}
	for term, n := range t.df {
		bt.df[term] += n
	}
	bt.fts = append(bt.fts, t.fts...)
	return nil
}

// writeFTS puts the batch's articles in SQLite's full-text index, one
// statement for many articles (Tx.indexText says why).
func (bt *batchTx) writeFTS(ctx context.Context, db *DB) error {
	t := bt.on(db)
	for ids := bt.fts; len(ids) > 0; {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		// In rowid order: the index writes its pending terms out whenever
		// a row comes with a rowid below the last one's. The IDs are in the
		// order the articles were stored, so the chunks ascend too.
		if _, err := t.Exec(ctx, ftsInsert+`IN (`+in(len(chunk))+`) ORDER BY rowid`, anyArgs(chunk)...); err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
	}
	return nil
}

// writeDF adds the batch's summed term frequencies to term_df.
func (bt *batchTx) writeDF(ctx context.Context, db *DB) error {
	if len(bt.df) == 0 {
		return nil
	}
	t := bt.on(db)
	if err := addTermCounts(ctx, t, bt.df); err != nil {
		return err
	}
	if err := t.flush(ctx); err != nil {
		return fmt.Errorf("term frequencies: %w", err)
	}
	return nil
}

// undo rolls a savepoint back; it runs without the caller's context,
// which may be the reason for the failure.
func (bt *batchTx) undo(name string) {
	ctx := context.Background()
	_, _ = bt.tx.ExecContext(ctx, "ROLLBACK TO "+name)
	_, _ = bt.tx.ExecContext(ctx, "RELEASE "+name)
}
