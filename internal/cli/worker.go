package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/queue"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openQueue opens the store (which migrates the inbox) and the queue.
func openQueue(ctx context.Context, dsn string) (store.Store, *queue.Queue, error) {
	if !isPostgres(dsn) {
		return nil, nil, usagef("the work queue needs PostgreSQL: --db postgres://… (SQLite ingests in one process: drop --queue)")
	}
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	q, err := queue.Open(ctx, dsn)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, q, nil
}

// runEnqueue reads the inputs (cheap: no parsing) and queues them in
// batches, each batch with its jobs in one transaction.
func runEnqueue(ctx context.Context, e *env, o ingestOpts, inputs []string, opts ingest.Options) error {
	st, q, err := openQueue(ctx, o.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	defer q.Close()
	var batch []ingest.Item
	n := 0
	flush := func() error {
		err := q.Enqueue(ctx, batch)
		n += len(batch)
		batch = batch[:0]
		return err
	}
	err = ingest.Read(ctx, inputs, opts, func(it ingest.Item) error {
		batch = append(batch, it)
		if len(batch) == 200 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("enqueue stopped after %d inputs: %w", n, err)
	}
	fmt.Fprintf(e.stdout, "queued %d inputs for `crosscheck worker`\n", n)
	if !o.wait {
		return nil
	}
	if err := q.Wait(ctx); err != nil {
		return err
	}
	out, err := q.Outcomes(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, ingest.Summary{Ingested: out[string(ingest.Ingested)], Skipped: out[string(ingest.Skipped)], Rejected: out[string(ingest.Rejected)]})
	if out[string(ingest.Rejected)] > 0 {
		return errRejected
	}
	return nil
}

func newWorkerCmd(e *env) *cobra.Command {
	var dsn string
	var concurrency, ahead int
	var timings, link bool
	cmd := &cobra.Command{
		Use:   "worker --db postgres://…",
		Short: "Process queued inputs, sharing the work with other workers on the same PostgreSQL database",
		Long: `Run until interrupted: take extract jobs from the River queue in the database
(parsing is shared by every worker), and compete for the single linker
role, which writes parsed inputs in the order they were queued (copy
detection, stories, claims and places need one order). Start as many
workers as you like, on as many machines; see docs/deployment.md.`,
		Args: argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, q, err := openQueue(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			defer q.Close()
			if ahead < 0 {
				return usagef("--parse-ahead must be 0 or more")
			}
			opts := queue.WorkOptions{Concurrency: concurrency, Log: e.log, ParseOnly: !link, Ahead: ahead}
			if ahead == 0 {
				opts.Ahead = -1
			}
			opts.Ingest.Glossary = glossary(e)
			if timings {
				opts.Ingest.Stages = &ingest.Stages{}
			}
			e.log.Info("worker started", "concurrency", concurrency)
			err = q.Work(cmd.Context(), st, opts)
			if timings {
				b, _ := json.Marshal(opts.Ingest.Stages.Totals())
				fmt.Fprintf(e.stdout, "timings %s\n", b)
			}
			return err
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().IntVar(&concurrency, "concurrency", 0, "inputs parsed at once by this worker (default: one per CPU)")
	cmd.Flags().IntVar(&ahead, "parse-ahead", queue.DefaultAhead, "parsed inputs that may wait for the linker before this worker pauses (0: no limit)")
	cmd.Flags().BoolVar(&link, "link", true, "compete for the linker role; --link=false makes a parse-only worker (the linker waits on the database for every article: keep it on machines near PostgreSQL)")
	cmd.Flags().BoolVar(&timings, "timings", false, "at exit, print the time this worker spent in each stage as a JSON line `timings [...]`: parse (summed over its jobs) and, while it held the linker role, wait (for rows not parsed yet), read, the writer's stages and commit")
	return cmd
}
