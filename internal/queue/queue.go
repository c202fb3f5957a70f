// Package queue spreads the pipeline over many crosscheck processes on
// one PostgreSQL database. Inputs go into an inbox table, each with a
// River job inserted in the same transaction. Any number of workers take
// the jobs and do the expensive, order-independent half of the pipeline
// (parsing and main-content extraction). One linker at a time, elected by
// a PostgreSQL advisory lock, does the order-dependent half (copy
// detection, stories, claims, places) in inbox order, exactly as one
// process would: the same input gives the same stories, lineages and
// claim groups however many workers share it. If the linker's process
// dies, its session lock is released and another worker's linker takes
// over where the inbox says it stopped.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// linkerLock is the advisory lock whose holder is the linker.
const linkerLock = 0x63726f7374 // "crost"

// ExtractArgs is the job that parses one inbox row.
type ExtractArgs struct {
	Seq int64 `json:"seq"`
}

// Kind names the job in River.
func (ExtractArgs) Kind() string { return "crosscheck_extract" }

// Queue is the inbox and its jobs on one PostgreSQL database.
type Queue struct {
	pool   *pgxpool.Pool
	insert *river.Client[pgx.Tx]
}

// Open connects to the database at dsn and brings River's tables up to
// date (the inbox comes with the store's migrations: open the store
// first).
func Open(ctx context.Context, dsn string) (*Queue, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		pool.Close()
		return nil, fmt.Errorf("queue: river migrations: %w", err)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: quiet()})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &Queue{pool: pool, insert: client}, nil
}

// Close closes the connections.
func (q *Queue) Close() { q.pool.Close() }

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Enqueue adds items to the inbox, each with its extract job, in one
// transaction: either all are queued or none.
func (q *Queue) Enqueue(ctx context.Context, items []ingest.Item) error {
	if len(items) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, q.pool, func(tx pgx.Tx) error {
		params := make([]river.InsertManyParams, 0, len(items))
		for _, it := range items {
			b, err := json.Marshal(it)
			if err != nil {
				return err
			}
			var seq int64
			if err := tx.QueryRow(ctx, `INSERT INTO inbox (input, item) VALUES ($1, $2) RETURNING seq`, it.Input(), b).Scan(&seq); err != nil {
				return fmt.Errorf("enqueue %s: %w", it.Input(), err)
			}
			params = append(params, river.InsertManyParams{Args: ExtractArgs{Seq: seq}, InsertOpts: &river.InsertOpts{MaxAttempts: 5}})
		}
		if _, err := q.insert.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue jobs: %w", err)
		}
		return nil
	})
}

// Pending counts inbox rows not yet written.
func (q *Queue) Pending(ctx context.Context) (int, error) {
	var n int
	err := q.pool.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE state <> 'done'`).Scan(&n)
	return n, err
}

// Unparsed counts inbox rows no worker has parsed yet.
func (q *Queue) Unparsed(ctx context.Context) (int, error) {
	var n int
	err := q.pool.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE state = 'queued'`).Scan(&n)
	return n, err
}

// Wait returns once every queued row is written, or ctx ends.
//
// A database that stops answering (a restart) is asked again; only two
// minutes without an answer end the wait with its error.
func (q *Queue) Wait(ctx context.Context) error { return waitFor(ctx, q.Pending) }

// WaitParsed returns once every queued row is parsed (written or not),
// or ctx ends; a database that stops answering is treated as in Wait.
func (q *Queue) WaitParsed(ctx context.Context) error { return waitFor(ctx, q.Unparsed) }

// waitFor polls count until it is 0.
func waitFor(ctx context.Context, count func(context.Context) (int, error)) error {
	var failingSince time.Time
	for {
		n, err := count(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil && failingSince.IsZero():
			failingSince = time.Now()
		case err != nil && time.Since(failingSince) > 2*time.Minute:
			return err
		case err == nil && n == 0:
			return nil
		case err == nil:
			failingSince = time.Time{}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Outcomes counts written rows by outcome (ingested, skipped, rejected).
func (q *Queue) Outcomes(ctx context.Context) (map[string]int, error) {
	rows, err := q.pool.Query(ctx, `SELECT outcome, count(*) FROM inbox WHERE state = 'done' GROUP BY outcome`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, err
		}
		out[o] = n
	}
	return out, rows.Err()
}

// WorkOptions tune a worker. The zero value works.
type WorkOptions struct {
	// Concurrency is how many items this worker parses at once; 0 means
	// one per CPU.
	Concurrency int
	// Ingest are the pipeline's options for the linker.
	Ingest ingest.Options
	// ParseOnly keeps this worker out of the linker role: it only takes
	// extract jobs. The linker sends a few statements per article and
	// waits for each, so it belongs next to the database; parse-only
	// workers can be anywhere.
	ParseOnly bool
	// Stall is how long the linker waits for the next row in order to be
	// parsed by a worker before parsing it itself; 0 means not at all.
	// The linker is the pipeline's bottleneck, so by default it never
	// idles: workers parse ahead of it, and it parses what they have not
	// reached yet.
	Stall time.Duration
	// Ahead bounds how many parsed rows may wait for the linker: past
	// it, this worker's jobs wait before parsing. 0 means DefaultAhead;
	// a negative value, no bound (parse everything, as bench --stages
	// does before it starts a linker).
	Ahead int
	Log   *slog.Logger
}

// DefaultAhead is how many parsed rows may wait for the linker before
// workers pause: about ten seconds of the linker's work here. Parsing
// further ahead gains nothing (the linker sets the pace), stores ~10 KB
// of parsed row per input in PostgreSQL, and takes the CPU that the
// linker and its backend need when they share machines with workers.
const DefaultAhead = 1024

// aheadPoll is how often a paused job looks whether the linker has
// caught up; aheadWait is how long it waits before handing its job back
// to the queue (a job runs for at most River's timeout, a minute).
const (
	aheadPoll = 100 * time.Millisecond
	aheadWait = 45 * time.Second
)

// Work runs a worker until ctx is cancelled: River takes extract jobs,
// and the linker competes for the lock and, holding it, writes parsed
// rows in order.
func (q *Queue) Work(ctx context.Context, st store.Store, opts WorkOptions) error {
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if opts.Log == nil {
		opts.Log = quiet()
	}
	if opts.Ahead == 0 {
		opts.Ahead = DefaultAhead
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &extractWorker{pool: q.pool, st: st, opts: opts.Ingest.ForStore(st), ahead: opts.Ahead})
	client, err := river.NewClient(riverpgxv5.New(q.pool), &river.Config{
		Logger:            quiet(),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}},
		Workers:           workers,
		FetchCooldown:     river.FetchCooldownMin,
		FetchPollInterval: 50 * time.Millisecond,
	})
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	var linkErr error
	if opts.ParseOnly {
		<-ctx.Done()
	} else {
		linkErr = q.link(ctx, st, opts)
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	stopErr := client.Stop(stopCtx)
	if linkErr != nil && !errors.Is(linkErr, context.Canceled) {
		return linkErr
	}
	if stopErr != nil && !errors.Is(stopErr, context.Canceled) {
		return fmt.Errorf("worker stop: %w", stopErr)
	}
	return nil
}

type extractWorker struct {
	river.WorkerDefaults[ExtractArgs]
	pool  *pgxpool.Pool
	st    store.Store
	opts  ingest.Options
	ahead int // see WorkOptions.Ahead; negative: no bound
}

// waitForLinker returns once fewer than w.ahead parsed rows wait for
// the linker. After aheadWait it snoozes the job instead (River then
// hands it out again), so a job never outlives River's timeout while
// no linker runs; a worker being stopped snoozes it at once, to be taken
// up without counting as a failed attempt.
func (w *extractWorker) waitForLinker(ctx context.Context) error {
	if w.ahead < 0 {
		return nil
	}
	deadline := time.Now().Add(aheadWait)
	for {
		var n int
		err := w.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM inbox WHERE state = 'parsed' ORDER BY seq LIMIT $1) p`, w.ahead).Scan(&n)
		if err != nil {
			if ctx.Err() != nil {
				return river.JobSnooze(0)
			}
			return err
		}
		if n < w.ahead {
			return nil
		}
		if time.Now().After(deadline) {
			return river.JobSnooze(time.Second)
		}
		select {
		case <-ctx.Done():
			return river.JobSnooze(0)
		case <-time.After(aheadPoll):
		}
	}
}

// Work parses one row and works out ahead what the linker would (see
// ingest.Item.Prepare), so the linker, the one stage that cannot be
// spread, does as little as it can. A row the linker already took is
// left alone.
func (w *extractWorker) Work(ctx context.Context, job *river.Job[ExtractArgs]) error {
	if err := w.waitForLinker(ctx); err != nil {
		return err
	}
	var raw []byte
	err := w.pool.QueryRow(ctx, `SELECT item FROM inbox WHERE seq = $1 AND state = 'queued'`, job.Args.Seq).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var it ingest.Item
	if err := json.Unmarshal(raw, &it); err != nil {
		return fmt.Errorf("inbox row %d: %w", job.Args.Seq, err)
	}
	parsed, err := json.Marshal(it.Prepare(ctx, w.st, w.opts))
	if err != nil {
		return err
	}
	_, err = w.pool.Exec(ctx, `UPDATE inbox SET parsed = $2, state = 'parsed' WHERE seq = $1 AND state = 'queued'`, job.Args.Seq, parsed)
	return err
}

// link waits for the linker lock, then writes rows in seq order until
// ctx ends. When the database fails (a restart, a lost connection) it
// waits and starts again with a fresh connection and writer: what the
// failed batch wrote was rolled back, and its rows are still open.
func (q *Queue) link(ctx context.Context, st store.Store, opts WorkOptions) error {
	wait := time.Second
	for {
		start := time.Now()
		err := q.linkUntilError(ctx, st, opts)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Since(start) > time.Minute {
			wait = time.Second // it worked for a while: start backing off again
		}
		opts.Log.Warn("linker stopped; retrying", "error", err, "in", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (q *Queue) linkUntilError(ctx context.Context, st store.Store, opts WorkOptions) error {
	conn, err := q.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// Try, rather than wait in pg_advisory_lock: a statement waiting for
	// the lock holds a snapshot for as long as it waits, which keeps
	// PostgreSQL from pruning the row versions the linker leaves behind
	// (term counts are updated by every article), and the linker then
	// slowed down with every article — a second worker made the whole
	// pipeline six times slower.
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, linkerLock).Scan(&got); err != nil {
			return err
		}
		if got {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(linkerPoll):
		}
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, linkerLock)
	opts.Log.Info("linker elected")
	w := ingest.NewWriter(st, opts.Ingest)
	var waitingFor int64
	var since time.Time
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		progressed, blocked, err := q.linkBatch(ctx, w, opts, &waitingFor, &since)
		if err != nil {
			return err
		}
		if !progressed {
			pause := 100 * time.Millisecond
			if blocked {
				pause = 20 * time.Millisecond
			}
			lap := opts.Ingest.Stages.Clock()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
			lap("wait")
		}
	}
}

// linkerPoll is how often a worker that is not the linker tries to
// become it.
const linkerPoll = 500 * time.Millisecond

type row struct {
	seq          int64
	state        string
	item, parsed []byte
}

// linkBatch writes the open rows in order, stopping at one that is not
// parsed yet (unless it has waited opts.Stall: then the linker parses it
// itself, so a lost job cannot stall the pipeline).
//
// The rows' articles are written in one transaction; the rows are marked
// done after it commits. A crash in between leaves them open, and the
// next linker skips their articles as already stored.
func (q *Queue) linkBatch(ctx context.Context, w *ingest.Writer, opts WorkOptions, waitingFor *int64, since *time.Time) (progressed, blocked bool, err error) {
	type written struct {
		seq int64
		res ingest.Result
	}
	var done []written
	lap := opts.Ingest.Stages.Clock()
	defer func() {
		if err != nil {
			w.Abort()
			return
		}
		lap("")
		defer lap("commit")
		if err = w.Flush(ctx); err != nil {
			return
		}
		if len(done) == 0 {
			return
		}
		seqs := make([]int64, len(done))
		outcomes := make([]string, len(done))
		ids := make([]string, len(done))
		reasons := make([]string, len(done))
		for i, d := range done {
			seqs[i], outcomes[i], ids[i], reasons[i] = d.seq, string(d.res.Outcome), d.res.ArticleID, d.res.Reason
		}
		// The rows are marked done, and feed items a watcher queued for
		// the same pages get their outcome (a page queued from two feeds
		// is stored once: the feed items take the ingested outcome).
		_, err = q.pool.Exec(ctx, `WITH d AS (
				SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS d (seq, outcome, article_id, reason)),
			marked AS (
				UPDATE inbox SET state = 'done', item = NULL, parsed = NULL, outcome = d.outcome, article_id = d.article_id, done_at = now()
				FROM d WHERE inbox.seq = d.seq
				RETURNING inbox.input, d.outcome, d.article_id, d.reason),
			page AS (
				SELECT DISTINCT ON (input) input, outcome, article_id, reason FROM marked
				ORDER BY input, outcome = 'ingested' DESC, outcome = 'skipped' DESC)
			UPDATE feed_items f SET outcome = page.outcome, article_id = page.article_id, reason = page.reason
			FROM page WHERE f.outcome = 'queued' AND f.url = page.input`, seqs, outcomes, ids, reasons)
	}()
	rows, err := q.pool.Query(ctx, `SELECT seq, state, CASE WHEN state = 'queued' THEN item END, parsed FROM inbox WHERE state <> 'done' ORDER BY seq LIMIT 64`)
	if err != nil {
		return false, false, err
	}
	var open []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.state, &r.item, &r.parsed); err != nil {
			rows.Close()
			return false, false, err
		}
		open = append(open, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, false, err
	}
	for _, r := range open {
		data := r.parsed
		if r.state == "queued" {
			if *waitingFor != r.seq {
				*waitingFor, *since = r.seq, time.Now()
			}
			if opts.Stall > 0 && time.Since(*since) < opts.Stall {
				return progressed, true, nil
			}
			data = r.item // parsed by the writer itself
		}
		var it ingest.Item
		if err := json.Unmarshal(data, &it); err != nil {
			return progressed, false, fmt.Errorf("inbox row %d: %w", r.seq, err)
		}
		lap("read")
		res, err := w.Write(ctx, it)
		lap("")
		if err != nil {
			return progressed, false, err
		}
		done = append(done, written{r.seq, res})
		progressed = true
	}
	return progressed, false, nil
}
