package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
)

type ingestOpts struct {
	dsn       string
	source    string
	published string
	maxSize   int64
	maxText   int
	workers   int
	quiet     bool
	queue     bool
	wait      bool
	timings   bool
}

func newIngestCmd(e *env) *cobra.Command {
	var o ingestOpts
	cmd := &cobra.Command{
		Use:   "ingest [flags] INPUT...",
		Short: "Ingest articles from files, directories or globs (HTML, text, Markdown, JSONL; .gz too)",
		Long: `Ingest articles into the database. INPUT is a file, a directory (walked
recursively for .html, .htm, .txt, .md, .jsonl and .warc files, gzipped or
not; a link to such a file is read like it, a link to a folder is reported
and not followed) or a glob. Each input that cannot be read is named on
stderr with the reason, recorded as rejected, and the rest of the batch
goes on. Re-ingesting the
same input changes nothing.

Exit status: 0 when everything was ingested or already present, 1 when some
inputs were rejected, 2 for usage or fatal errors.`,
		Args: argsCheck(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), e, o, args)
		},
	}
	dbFlag(cmd, &o.dsn)
	cmd.Flags().StringVar(&o.source, "source", "", "outlet name for every input (default: from the input)")
	cmd.Flags().StringVar(&o.published, "published", "", "publication date for inputs that carry none (2026-03-01 or RFC 3339)")
	cmd.Flags().Int64Var(&o.maxSize, "max-size", ingest.DefaultMaxBytes, "largest input accepted, in bytes (JSONL: per line)")
	cmd.Flags().IntVar(&o.maxText, "max-text", ingest.DefaultMaxText, "longest article text accepted, in characters after cleaning")
	cmd.Flags().IntVar(&o.workers, "workers", 0, "parallel extractors (default: one per CPU)")
	cmd.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "print only rejections and the summary")
	cmd.Flags().BoolVar(&o.queue, "queue", false, "PostgreSQL only: put the inputs in the work queue for `crosscheck worker` processes instead of ingesting here")
	cmd.Flags().BoolVar(&o.wait, "wait", false, "with --queue: wait until the workers have written every queued input")
	cmd.Flags().BoolVar(&o.timings, "timings", false, "print the time spent in each pipeline stage, as a JSON line `timings [...]`")
	return cmd
}

func runIngest(ctx context.Context, e *env, o ingestOpts, inputs []string) error {
	opts := ingest.Options{Source: o.source, MaxBytes: o.maxSize, MaxText: o.maxText, Workers: o.workers}
	opts.Glossary = glossary(e)
	if o.published != "" {
		t, err := ingest.ParseTime(o.published)
		if err != nil {
			return usagef("--published: %v", err)
		}
		opts.Published = &t
	}
	if o.queue {
		return runEnqueue(ctx, e, o, inputs, opts)
	}
	if o.wait {
		return usagef("--wait goes with --queue")
	}
	st, err := openStore(ctx, o.dsn)
	if err != nil {
		return err
	}
	defer st.Close()

	var bar *progressbar.ProgressBar
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts.Progress = func(done, total int) {
			if bar == nil && total > 5 {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stderr),
					progressbar.OptionSetDescription("ingesting"), progressbar.OptionShowCount(),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			if bar != nil {
				bar.Set(done)
			}
		}
	}
	opts.Report = func(r ingest.Result) {
		switch {
		case r.Outcome == ingest.Rejected:
			if bar != nil {
				bar.Clear()
			}
			fmt.Fprintf(e.stderr, "rejected %s: %s\n", r.Input, r.Reason)
		case !o.quiet && bar == nil:
			fmt.Fprintf(e.stdout, "%s %s %s\n", r.Outcome, r.ArticleID, r.Input)
		}
	}
	if o.timings {
		opts.Stages = &ingest.Stages{}
	}
	sum, err := ingest.Run(ctx, st, inputs, opts)
	if bar != nil {
		bar.Finish()
	}
	fmt.Fprintln(e.stdout, sum)
	if o.timings {
		b, _ := json.Marshal(opts.Stages.Totals())
		fmt.Fprintf(e.stdout, "timings %s\n", b)
	}
	if err != nil {
		return storeError(o.dsn, fmt.Errorf("ingest stopped: %w", err))
	}
	if sum.Rejected > 0 {
		return errRejected
	}
	return nil
}
