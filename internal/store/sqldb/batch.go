package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// batchTx is the transaction of a batch and its savepoint counter.
type batchTx struct {
	tx   *sql.Tx
	next int
	done bool
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
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	bound := *db
	bound.batch = &batchTx{tx: tx}
	return &Batch{db: &bound}, nil
}

// Store is the handle whose every statement runs in the batch.
func (b *Batch) Store() store.Store { return b.db }

// Commit makes the batch's writes durable and visible.
func (b *Batch) Commit() error {
	if b.db.batch.done {
		return errors.New("commit: batch already ended")
	}
	b.db.batch.done = true
	if err := b.db.batch.tx.Commit(); err != nil {
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
	return b.db.batch.tx.Rollback()
}

// savepoint runs fn as a nested transaction of the batch. On PostgreSQL
// the SAVEPOINT travels with fn's first statement and the RELEASE with
// its last queued ones (see Tx.Later).
func (bt *batchTx) savepoint(ctx context.Context, db *DB, fn func(*Tx) error) (err error) {
	if bt.done {
		return errors.New("transaction on an ended batch")
	}
	bt.next++
	name := fmt.Sprintf("sp%d", bt.next)
	t := &Tx{tx: bt.tx, db: db}
	if err := t.Later(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	undo := func() {
		if len(t.later) > 0 && t.later[0] == "SAVEPOINT "+name {
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
	return t.flush(ctx)
}

// undo rolls a savepoint back; it runs without the caller's context,
// which may be the reason for the failure.
func (bt *batchTx) undo(name string) {
	ctx := context.Background()
	_, _ = bt.tx.ExecContext(ctx, "ROLLBACK TO "+name)
	_, _ = bt.tx.ExecContext(ctx, "RELEASE "+name)
}
