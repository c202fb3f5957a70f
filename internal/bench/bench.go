// Package bench measures crosscheck end to end: it writes a seeded
// synthetic corpus (stories told by wires and copied, trimmed, spun by
// outlets, as HTML pages wrapped in site chrome), then times `crosscheck
// ingest` on SQLite and `crosscheck worker` processes on PostgreSQL, each
// run in its own process so that its peak memory is its own. Go-
// trafilatura extracting the same pages on one core is the baseline every
// figure is divided by, measured in the same run.
package bench

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/queue"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
	"github.com/crosscheck-news/crosscheck/internal/synth"
)

// Options tune a bench run.
type Options struct {
	Articles int   // corpus size; 0 means 1,000
	Seed     int64 // the corpus is a function of the seed
	// Dir holds the corpus and databases; "" means a temporary directory.
	Dir    string
	SQLite bool
	// Postgres is a server DSN the bench may create databases on; ""
	// skips PostgreSQL.
	Postgres string
	// Workers lists the worker-process counts to time on PostgreSQL.
	Workers []int
	// Latency, if set, is a delay added each way between the workers and
	// PostgreSQL (a forwarder in this process), as a network between
	// machines would add; the round trip grows by twice as much.
	Latency time.Duration
	// Stages times parsing and linking apart on PostgreSQL: the workers
	// run parse-only (worker --link=false) until every input is parsed,
	// then one linking worker writes them. Parsing is the part more
	// workers share; the linker is one process however many there are.
	Stages bool
	// Concurrency, if set, is each worker's --concurrency (the items one
	// worker process parses at once; its default is one per CPU).
	Concurrency int
	// Command runs crosscheck (default: this executable). Env is added to
	// each child's environment.
	Command []string
	Env     []string
	// Progress, if set, gets a line per step.
	Progress func(string)
}

// Row is one timed configuration.
type Row struct {
	Database string
	Workers  int // processes (0: the one ingest process)
	Articles int // written to the database
	// Rejected inputs (a synthetic page whose every line its outlet has
	// repeated elsewhere is cleaned to nothing, as a real one would be).
	Rejected int
	Wall     time.Duration
	// PeakRSS is the largest resident size of one process; TotalRSS the
	// sum over the run's processes (bytes).
	PeakRSS, TotalRSS int64
	// Latency is the delay each way the workers' messages actually had
	// (Options.Latency, or more: timers are coarse); 0 without one.
	Latency time.Duration
	// With Options.Stages: the inputs parsed, the time until every one
	// was parsed (enqueueing included) and the time the linker then took.
	Inputs              int
	ParseWall, LinkWall time.Duration
}

// PerSecond is end-to-end articles per second.
func (r Row) PerSecond() float64 { return float64(r.Articles) / r.Wall.Seconds() }

// Report is a bench run's result.
type Report struct {
	Articles, CPUs int
	Bytes          int64 // of HTML
	Baseline       time.Duration
	Rows           []Row
	Stages         []ingest.Stage // of the SQLite run
	// Concurrency is each PostgreSQL worker's --concurrency (0: its
	// default, one per CPU).
	Concurrency int
}

// BaselinePerSecond is go-trafilatura alone, pages per second on one core.
func (r *Report) BaselinePerSecond() float64 { return float64(r.Articles) / r.Baseline.Seconds() }

// Run writes the corpus and times each configuration.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Articles <= 0 {
		opts.Articles = 1000
	}
	if len(opts.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		opts.Command = []string{exe}
	}
	if opts.Progress == nil {
		opts.Progress = func(string) {}
	}
	dir := opts.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "crosscheck-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	corpus := filepath.Join(dir, "corpus")
	opts.Progress(fmt.Sprintf("writing %d synthetic articles", opts.Articles))
	size, err := WriteCorpus(corpus, opts.Articles, opts.Seed)
	if err != nil {
		return nil, err
	}
	rep := &Report{Articles: opts.Articles, CPUs: runtime.NumCPU(), Bytes: size, Concurrency: opts.Concurrency}
	opts.Progress("baseline: go-trafilatura alone, one core")
	if rep.Baseline, err = baseline(ctx, corpus); err != nil {
		return nil, err
	}
	if opts.SQLite {
		opts.Progress("SQLite: crosscheck ingest")
		// Each run starts on an empty database: one kept in --dir from an
		// earlier run would find every input already present.
		db := filepath.Join(dir, "bench.db")
		for _, f := range []string{db, db + "-wal", db + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("bench database: %w", err)
			}
		}
		row, stages, err := runSQLite(ctx, opts, corpus, db)
		if err != nil {
			return nil, err
		}
		rep.Rows, rep.Stages = append(rep.Rows, row), stages
	}
	for _, n := range opts.Workers {
		if opts.Postgres == "" {
			break
		}
		opts.Progress(fmt.Sprintf("PostgreSQL: %d worker processes", n))
		row, err := runPostgres(ctx, opts, corpus, n)
		if err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

// WriteCorpus writes n synthetic articles as HTML pages with chrome,
// named in publication-arrival order, and returns their total size.
func WriteCorpus(dir string, n int, seed int64) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	g := synth.New(synth.Options{Seed: seed})
	var total int64
	for i := 0; i < n; i++ {
		a := g.Next()
		slug := strings.ToLower(strings.ReplaceAll(a.Source, " ", "-"))
		u := fmt.Sprintf("https://%s.example/news/%06d", url.PathEscape(slug), i)
		var b strings.Builder
		fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s | %s</title>`, html.EscapeString(a.Title), html.EscapeString(a.Source))
		fmt.Fprintf(&b, `<link rel="canonical" href="%s"><meta property="og:site_name" content="%s">`, u, html.EscapeString(a.Source))
		if a.Published != nil {
			fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, a.Published.Format(time.RFC3339))
		}
		fmt.Fprintf(&b, `</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav></header>`)
		fmt.Fprintf(&b, `<main><article><h1>%s</h1><p class="byline">By staff</p>`, html.EscapeString(a.Title))
		for _, p := range strings.Split(a.Text, "\n\n") {
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
		}
		fmt.Fprintf(&b, `<aside class="newsletter"><p>Sign up for our morning briefing.</p></aside></article>`)
		fmt.Fprintf(&b, `<section class="related"><h2>Most read</h2><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Weather: rain ahead</a></li></ul></section></main>`)
		fmt.Fprintf(&b, `<footer><p>© %s. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/cookies">Cookies</a></footer></body></html>`, html.EscapeString(a.Source))
		p := filepath.Join(dir, fmt.Sprintf("%06d.html", i))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return 0, err
		}
		total += int64(b.Len())
	}
	return total, nil
}

// baseline extracts every page with go-trafilatura alone, on one
// goroutine.
func baseline(ctx context.Context, dir string) (time.Duration, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		if _, err := extract.Baseline(b, ""); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
	}
	return time.Since(start), nil
}

// child starts crosscheck with args; stderr collects what it says of
// itself, for the error when it fails. maxRSS reads its peak memory once
// it has exited.
func child(ctx context.Context, opts Options, stdout, stderr io.Writer, args ...string) (*exec.Cmd, error) {
	cmd := exec.CommandContext(ctx, opts.Command[0], append(append([]string{}, opts.Command[1:]...), args...)...)
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

func maxRSS(cmd *exec.Cmd) int64 {
	if cmd.ProcessState == nil {
		return 0
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // kilobytes on Linux
	}
	return 0
}

func runSQLite(ctx context.Context, opts Options, corpus, db string) (Row, []ingest.Stage, error) {
	var out, errs strings.Builder
	start := time.Now()
	cmd, err := child(ctx, opts, &out, &errs, "ingest", "--db", db, "--quiet", "--timings", corpus)
	if err != nil {
		return Row{}, nil, err
	}
	// Exit status 1 says some inputs were rejected: counted, not fatal.
	if err := cmd.Wait(); err != nil && cmd.ProcessState.ExitCode() != 1 {
		return Row{}, nil, fmt.Errorf("crosscheck ingest: %w: %s", err, errs.String())
	}
	row := Row{Database: "sqlite", Wall: time.Since(start), PeakRSS: maxRSS(cmd)}
	row.TotalRSS = row.PeakRSS
	var stages []ingest.Stage
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "timings ") {
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "timings ")), &stages); err != nil {
				return row, nil, fmt.Errorf("timings: %w", err)
			}
		}
		if strings.HasPrefix(line, "ingested ") {
			var skipped int
			fmt.Sscanf(line, "ingested %d, skipped %d (already present), rejected %d", &row.Articles, &skipped, &row.Rejected)
		}
	}
	return row, stages, nil
}

func runPostgres(ctx context.Context, opts Options, corpus string, workers int) (Row, error) {
	dsn, drop, err := createDatabase(ctx, opts.Postgres, fmt.Sprintf("crosscheck_bench_%d_%d", os.Getpid(), workers))
	if err != nil {
		return Row{}, err
	}
	defer drop()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		return Row{}, err
	}
	defer st.Close()
	q, err := queue.Open(ctx, dsn)
	if err != nil {
		return Row{}, err
	}
	defer q.Close()
	workerDSN := dsn
	var delayed *lag
	if opts.Latency > 0 {
		d, p, err := lagDSN(dsn, opts.Latency)
		if err != nil {
			return Row{}, err
		}
		defer p.Close()
		workerDSN, delayed = d, p
	}
	f := &fleet{opts: opts, exited: make(chan error, workers+1)}
	defer f.stop()
	start := time.Now()
	var workerArgs []string
	if opts.Concurrency > 0 {
		workerArgs = append(workerArgs, "--concurrency", fmt.Sprint(opts.Concurrency))
	}
	if opts.Stages {
		// Parsing alone first: the linker starts once every row is parsed.
		workerArgs = append(workerArgs, "--link=false", "--parse-ahead", "0")
	}
	for range workers {
		if err := f.start(ctx, append([]string{"worker", "--db", workerDSN}, workerArgs...)...); err != nil {
			return Row{}, err
		}
	}
	var batch []ingest.Item
	err = ingest.Read(ctx, []string{corpus}, ingest.Options{}, func(it ingest.Item) error {
		batch = append(batch, it)
		if len(batch) == 500 {
			err := q.Enqueue(ctx, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err == nil {
		err = q.Enqueue(ctx, batch)
	}
	var parseWall time.Duration
	if err == nil && opts.Stages {
		if err = f.until(ctx, q.WaitParsed); err == nil {
			parseWall = time.Since(start)
			err = f.start(ctx, "worker", "--db", workerDSN)
		}
	}
	if err == nil {
		err = f.until(ctx, q.Wait)
	}
	wall := time.Since(start)
	f.stop()
	if err != nil {
		return Row{}, err
	}
	out, err := q.Outcomes(ctx)
	if err != nil {
		return Row{}, err
	}
	row := Row{Database: "postgres", Workers: workers, Articles: out[string(ingest.Ingested)], Rejected: out[string(ingest.Rejected)], Wall: wall}
	if opts.Stages {
		row.Inputs = row.Articles + row.Rejected + out[string(ingest.Skipped)]
		row.ParseWall, row.LinkWall = parseWall, wall-parseWall
	}
	for _, p := range f.procs {
		r := maxRSS(p)
		row.TotalRSS += r
		row.PeakRSS = max(row.PeakRSS, r)
	}
	if delayed != nil {
		row.Latency = delayed.Effective()
	}
	return row, nil
}

// fleet is a run's crosscheck worker processes.
type fleet struct {
	opts  Options
	procs []*exec.Cmd
	// exited gets what each process said when it ended; running counts
	// those that have not been received.
	exited  chan error
	running int
}

func (f *fleet) start(ctx context.Context, args ...string) error {
	errs := &syncBuffer{}
	cmd, err := child(ctx, f.opts, io.Discard, errs, args...)
	if err != nil {
		return err
	}
	f.procs = append(f.procs, cmd)
	f.running++
	go func() {
		err := cmd.Wait()
		f.exited <- fmt.Errorf("crosscheck worker exited (%v): %s", err, errs.String())
	}()
	return nil
}

// until runs wait, which returns once the queue reaches a state. A
// worker that exits first (it could not start, or crashed) ends the run
// with what it said, rather than a wait for ever.
func (f *fleet) until(ctx context.Context, wait func(context.Context) error) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- wait(wctx) }()
	select {
	case err := <-done:
		return err
	case err := <-f.exited:
		f.running--
		cancel()
		<-done
		return err
	}
}

// stop interrupts the processes and waits for them to end.
func (f *fleet) stop() {
	for _, p := range f.procs {
		p.Process.Signal(os.Interrupt)
	}
	for ; f.running > 0; f.running-- {
		<-f.exited
	}
}

// Write prints the report as a table.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "%d synthetic articles (%.1f MB of HTML with chrome), %d CPUs\n", r.Articles, float64(r.Bytes)/1e6, r.CPUs)
	fmt.Fprintf(w, "baseline: go-trafilatura alone, one core: %.1f pages/s\n", r.BaselinePerSecond())
	if r.Concurrency > 0 {
		fmt.Fprintf(w, "each PostgreSQL worker runs with --concurrency %d (inputs parsed at once)\n", r.Concurrency)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-10s %8s %9s %11s %12s %9s %12s %11s\n", "database", "workers", "articles", "articles/s", "× baseline", "wall", "peak RSS", "total RSS")
	for _, row := range r.Rows {
		workers := "1 proc"
		switch {
		case row.ParseWall > 0:
			workers = fmt.Sprintf("%d+1", row.Workers) // parse-only, then a linker
		case row.Workers > 0:
			workers = fmt.Sprint(row.Workers)
		}
		fmt.Fprintf(w, "%-10s %8s %9d %11.1f %11.2f× %9s %9.0f MiB %8.0f MiB\n", row.Database, workers, row.Articles, row.PerSecond(),
			row.PerSecond()/r.BaselinePerSecond(), row.Wall.Round(10*time.Millisecond), float64(row.PeakRSS)/(1<<20), float64(row.TotalRSS)/(1<<20))
	}
	for _, row := range r.Rows {
		if row.Latency > 0 {
			fmt.Fprintf(w, "%s with %d workers: messages between the workers and the database were delayed %v each way on average (round trip %v)\n",
				row.Database, row.Workers, row.Latency.Round(10*time.Microsecond), (2 * row.Latency).Round(10*time.Microsecond))
		}
		if row.Rejected > 0 {
			fmt.Fprintf(w, "%s with %d workers: %d inputs rejected (not counted in articles/s)\n", row.Database, row.Workers, row.Rejected)
		}
	}
	staged := false
	for _, row := range r.Rows {
		if row.ParseWall > 0 {
			if !staged {
				fmt.Fprintf(w, "\nstages timed apart: the workers parse every input (--link=false), then one linker writes them\n")
				fmt.Fprintf(w, "%-10s %8s %9s %13s %10s %14s %10s\n", "database", "workers", "inputs", "parsed/s", "parse", "linked/s", "link")
				staged = true
			}
			fmt.Fprintf(w, "%-10s %8d %9d %13.1f %10s %14.1f %10s\n", row.Database, row.Workers, row.Inputs,
				float64(row.Inputs)/row.ParseWall.Seconds(), row.ParseWall.Round(10*time.Millisecond),
				float64(row.Inputs)/row.LinkWall.Seconds(), row.LinkWall.Round(10*time.Millisecond))
		}
	}
	if len(r.Stages) > 0 {
		var total time.Duration
		for _, s := range r.Stages {
			total += s.Time
		}
		fmt.Fprintf(w, "\nSQLite stages (parse summed over parallel workers):")
		for _, s := range r.Stages {
			fmt.Fprintf(w, " %s %.0f%%", s.Name, 100*s.Time.Seconds()/total.Seconds())
		}
		fmt.Fprintln(w)
	}
}

// createDatabase makes a fresh database on the server and returns its DSN
// and a function that drops it.
func createDatabase(ctx context.Context, server, name string) (string, func(), error) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("bench needs a PostgreSQL role that may create databases: %w", err)
	}
	u, err := url.Parse(server)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		admin.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}, nil
}

// syncBuffer is a strings.Builder that a child's output goroutine may
// write while another reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 64<<10 {
		return len(p), nil // enough to say why
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
