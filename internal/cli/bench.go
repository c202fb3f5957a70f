package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/bench"
	"github.com/crosscheck-news/crosscheck/internal/pgserver"
)

// asCLIEnv tells a test binary started in crosscheck's place to act as
// crosscheck (see main_test.go); crosscheck itself ignores it.
const asCLIEnv = "CROSSCHECK_AS_CLI"

func newBenchCmd(e *env) *cobra.Command {
	var opts bench.Options
	var pg string
	var noSQLite bool
	cmd := &cobra.Command{
		Use:   "bench [--articles N] [--postgres DSN|auto] [--workers 1,2,4] [--stages]",
		Short: "Time crosscheck end to end on a seeded synthetic corpus, on SQLite and on PostgreSQL with N workers",
		Long: `Write a seeded synthetic corpus of N articles (stories told by wire services and
copied, trimmed and spun by outlets, as HTML pages in site chrome), then time
` + "`crosscheck ingest`" + ` on SQLite and ` + "`crosscheck worker`" + ` processes on PostgreSQL, each in
its own process, and report articles per second, the ratio to go-trafilatura
extracting the same pages on one core (measured in the same run), the time
per pipeline stage, and peak memory.

--postgres takes a server DSN whose role may create databases (each run gets
a fresh one, dropped afterwards), or "auto" to start a throw-away cluster
from Debian's PostgreSQL binaries.`,
		Args: argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Articles < 10 {
				return usagef("--articles %d: at least 10", opts.Articles)
			}
			opts.SQLite = !noSQLite
			if pg == "auto" {
				dsn, stop, err := pgserver.Start()
				if err != nil {
					return fmt.Errorf("--postgres auto: %w", err)
				}
				defer stop()
				pg = dsn
			}
			opts.Postgres = pg
			opts.Env = append(opts.Env, asCLIEnv+"=1")
			opts.Progress = func(s string) { e.log.Info(s) }
			fmt.Fprintf(e.stderr, "bench: %d articles, seed %d …\n", opts.Articles, opts.Seed)
			if opts.Latency > 0 {
				fmt.Fprintf(e.stderr, "PostgreSQL workers reach the database through %v each way\n", opts.Latency)
			}
			rep, err := bench.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			rep.Write(e.stdout)
			return nil
		},
	}
	cmd.Flags().IntVar(&opts.Articles, "articles", 1000, "corpus size")
	cmd.Flags().Int64Var(&opts.Seed, "seed", 1, "corpus seed: the same seed gives the same corpus")
	cmd.Flags().StringVar(&pg, "postgres", "", `PostgreSQL server DSN to bench on (a role that may create databases), or "auto"`)
	cmd.Flags().IntSliceVar(&opts.Workers, "workers", []int{1, 2, 4}, "worker-process counts to time on PostgreSQL")
	cmd.Flags().BoolVar(&noSQLite, "no-sqlite", false, "skip the SQLite run")
	cmd.Flags().DurationVar(&opts.Latency, "latency", 0, "delay added each way between the PostgreSQL workers and the database, as a network between machines would; the table reports the delay actually applied (timers are coarse: about 1 ms at least on Linux)")
	cmd.Flags().BoolVar(&opts.Stages, "stages", false, "on PostgreSQL, time parsing and linking apart: the workers parse every input without linking (worker --link=false), then one linking worker writes them; the table shows each stage's rate (workers column N+1)")
	cmd.Flags().IntVar(&opts.Concurrency, "worker-concurrency", 0, "each PostgreSQL worker's --concurrency, the inputs it parses at once (default: the worker's own, one per CPU); with 1, N workers use N cores")
	cmd.Flags().StringVar(&opts.Dir, "dir", "", "keep the corpus and databases here (default: a temporary directory, removed)")
	return cmd
}
