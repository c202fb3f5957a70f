package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitRejected = 1 // some inputs were rejected; the rest went through
	ExitFatal    = 2 // usage errors and failures that stopped the command
)

// errRejected marks a run that completed but rejected some inputs.
var errRejected = errors.New("some inputs were rejected")

// usageError marks a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// env is what every command writes to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	// dataDir holds the data files fetched by `make data` (--data-dir).
	dataDir string
}

// Run runs crosscheck with args and returns the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "crosscheck: internal error: %v\n", r)
			code = ExitFatal
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	e.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if path := os.Getenv("CROSSCHECK_CPUPROFILE"); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(stderr, "crosscheck: CROSSCHECK_CPUPROFILE: %v\n", err)
			return ExitFatal
		}
		defer stopProfile()
	}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errRejected):
		return ExitRejected
	default:
		fmt.Fprintf(stderr, "crosscheck: %v\n", err)
		return ExitFatal
	}
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "crosscheck",
		Short:         "News corroboration: which reports are independent, what they agree on, where they conflict",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	var verbose bool
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log progress details to stderr")
	root.PersistentFlags().StringVar(&e.dataDir, "data-dir", os.Getenv("CROSSCHECK_DATA"),
		"directory of fetched data files such as cedict.json (env CROSSCHECK_DATA; default: the nearest ./data upwards)")
	root.PersistentPreRun = func(*cobra.Command, []string) {
		if verbose {
			e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(newIngestCmd(e), newExtractCmd(e), newExportCmd(e), newServeCmd(e), newDemoCmd(e), newEvalCmd(e), newMarkCmd(e), newStoriesCmd(e), newStoryCmd(e), newClusterCmd(e), newEntityCmd(e), newGeoparseCmd(e), newSourceCmd(e), newWatchCmd(e), newWorkerCmd(e), newBenchCmd(e))
	return root
}

// dbFlag adds --db to a command; its default comes from CROSSCHECK_DB.
func dbFlag(cmd *cobra.Command, dsn *string) {
	def := os.Getenv("CROSSCHECK_DB")
	if def == "" {
		def = "crosscheck.db"
	}
	cmd.Flags().StringVar(dsn, "db", def, "database: a SQLite file path, or postgres://… (env CROSSCHECK_DB)")
}

// openStore opens the store a DSN names.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	case dsn == "":
		return nil, usagef("--db is empty")
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}

// withStore opens the store a DSN names, runs fn on it and closes it.
func withStore(ctx context.Context, dsn string, fn func(store.Store) error) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return storeError(dsn, fn(st))
}

// storeError says what to do about a database error that has a remedy:
// a full device.
func storeError(dsn string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "No space left on device") || strings.Contains(msg, "SQLSTATE 53100") {
		name := dsn
		if u, perr := url.Parse(dsn); perr == nil && u.Scheme != "" {
			name = u.Redacted()
		}
		return fmt.Errorf("%w\ndatabase %s is full: its device has no space left. What was committed is intact "+
			"(the interrupted batch was rolled back); free some space and run the same command again: it goes on where it stopped", err, name)
	}
	return err
}

// exactArgs wraps cobra's argument checks as usage errors.
func argsCheck(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err.Error()}
		}
		return nil
	}
}

// glossary opens the dictionaries in the data directory. Without them,
// Chinese and Malay reports meet others on names and numbers only.
func glossary(e *env) *story.Glossary {
	dir := e.dataDir
	if dir == "" {
		dir = story.FindData(story.DictFile)
	}
	g := story.OpenGlossary(dir)
	if dir == "" || g.Chinese == nil || g.Malay == nil {
		e.log.Warn("dictionaries missing (run `make data` or set --data-dir): Chinese and Malay reports will group with other languages on names and numbers only", "data-dir", dir)
	}
	return g
}

// startCPUProfile writes a CPU profile of the whole command to path, for
// developers measuring where time goes (CROSSCHECK_CPUPROFILE=cpu.prof).
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
