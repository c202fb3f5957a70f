package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/demo"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/pgtest"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
	"github.com/crosscheck-news/crosscheck/internal/synth"
)

// workerEnv makes the test binary a worker process: it works the queue
// at that DSN until killed.
const workerEnv = "CROSSCHECK_TEST_WORKER_DSN"

// workerStallEnv sets the worker's WorkOptions.Stall (default a minute).
const workerStallEnv = "CROSSCHECK_TEST_WORKER_STALL"

func TestMain(m *testing.M) {
	if dsn := os.Getenv(workerEnv); dsn != "" {
		os.Exit(runWorker(dsn))
	}
	pgtest.Main(m)
}

func runWorker(dsn string) int {
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	q, err := Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stall := time.Minute
	if d, err := time.ParseDuration(os.Getenv(workerStallEnv)); err == nil {
		stall = d
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := q.Work(ctx, st, WorkOptions{Concurrency: 2, Stall: stall, Log: log}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// corpus is the demo corpus, a synthetic one with wire copies and
// rewrites, and some bad inputs.
func corpus(t *testing.T) []string {
	t.Helper()
	return corpusN(t, 120)
}

// corpusN is corpus with n synthetic articles.
func corpusN(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	if err := demo.WriteCorpus(filepath.Join(dir, "demo")); err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 7})
	var b strings.Builder
	for i := 0; i < n; i++ {
		a := g.Next()
		rec := map[string]string{"url": a.URL, "source": a.Source, "title": a.Title, "text": a.Text}
		if a.Published != nil {
			rec["published"] = a.Published.Format(time.RFC3339)
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString("not json\n")
	os.WriteFile(filepath.Join(dir, "synth.jsonl"), []byte(b.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.txt"), nil, 0o644)
	return []string{dir}
}

// snapshot is what must not depend on how many processes did the work:
// the stories (as sets of articles), each article's lineage, and each
// story's claim groups.
func snapshot(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := context.Background()
	byStory := map[int64][]string{}
	var lines []string
	if err := st.EachArticle(ctx, func(a *model.Article) error {
		byStory[a.Story] = append(byStory[a.Story], a.ID)
		lines = append(lines, "article "+a.ID+" lineage "+a.Lineage)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for id, arts := range byStory {
		sort.Strings(arts)
		key := strings.Join(arts, ",")
		lines = append(lines, "story "+key)
		sheet, _, err := export.Sheet(ctx, st, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range sheet.Groups {
			cg := export.FromGroup(g)
			cg.ID, cg.Story = "", 0
			b, _ := json.Marshal(cg)
			lines = append(lines, "  group of "+key[:min(len(key), 16)]+" "+string(b))
		}
	}
	rs, _ := st.ListRejections(ctx)
	for _, r := range rs {
		lines = append(lines, "rejected "+filepath.Base(r.Input)+": "+r.Reason)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestTwoWorkersMatchOneProcess: the same input through the queue and
// two worker processes on PostgreSQL gives the same stories, lineages
// and claim groups as one process on SQLite.
func TestTwoWorkersMatchOneProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	inputs := corpus(t)
	ctx := context.Background()
	ref, sum := reference(t, inputs)
	if sum.Ingested < 80 {
		t.Fatalf("reference run = %+v", sum)
	}
	dsn := pgtest.DSN(t)
	st, q, items := openQueue(t, dsn, inputs)
	// Half queued before the workers start, half while they run.
	if err := q.Enqueue(ctx, items[:len(items)/2]); err != nil {
		t.Fatal(err)
	}
	var procs []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), workerEnv+"="+dsn)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	defer func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}()
	if err := q.Enqueue(ctx, items[len(items)/2:]); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	if err := q.Wait(wctx); err != nil {
		t.Fatalf("the workers did not finish: %v", err)
	}
	out, _ := q.Outcomes(ctx)
	if out["ingested"] != sum.Ingested || out["rejected"] != sum.Rejected || out["skipped"] != sum.Skipped {
		t.Errorf("queue outcomes %v; reference %+v", out, sum)
	}
	// Every extract job completed; which process took which is timing.
	// (River records completions in batches: allow it a moment.)
	var parsers, unfinished int
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := q.pool.QueryRow(ctx, `SELECT count(DISTINCT attempted_by[1]), count(*) FILTER (WHERE state <> 'completed') FROM river_job WHERE kind = $1`,
			ExtractArgs{}.Kind()).Scan(&parsers, &unfinished); err != nil {
			t.Fatal(err)
		}
		if unfinished == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if unfinished != 0 {
		t.Errorf("%d extract jobs not completed", unfinished)
	}
	t.Logf("extract jobs were worked by %d of the 2 processes", parsers)
	want, got := snapshot(t, ref), snapshot(t, st)
	t.Logf("compared %d articles in %d stories, %d claim groups, %d rejections", strings.Count(want, "\narticle ")+1,
		strings.Count(want, "\nstory "), strings.Count(want, "group of"), strings.Count(want, "rejected "))
	if want != got {
		t.Errorf("PostgreSQL with two workers differs from one process on SQLite:\n%s", diff(want, got))
	}
}

// reference ingests inputs in one process on SQLite: what every run
// through the queue must equal.
func reference(t *testing.T, inputs []string) (store.Store, ingest.Summary) {
	t.Helper()
	ctx := context.Background()
	ref, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.Close() })
	sum, err := ingest.Run(ctx, ref, inputs, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ref, sum
}

// openQueue opens the store and the queue at dsn and reads inputs as
// items, not yet queued.
func openQueue(t *testing.T, dsn string, inputs []string) (store.Store, *Queue, []ingest.Item) {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	var items []ingest.Item
	if err := ingest.Read(ctx, inputs, ingest.Options{}, func(it ingest.Item) error { items = append(items, it); return nil }); err != nil {
		t.Fatal(err)
	}
	return st, q, items
}

func diff(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ma, mb := in(as), in(bs)
	var out []string
	for _, x := range as {
		if !mb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range bs {
		if !ma[x] {
			out = append(out, "+ "+x)
		}
	}
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("… %d more", len(out)-40))
	}
	return strings.Join(out, "\n")
}

// TestParseOnlyWorkerLeavesLinking: a parse-only worker parses every
// row and stores nothing; a linking worker then writes them all, with
// the same result as one process on SQLite.
func TestParseOnlyWorkerLeavesLinking(t *testing.T) {
	inputs := corpusN(t, 40)
	ctx := context.Background()
	ref, sum := reference(t, inputs)
	dsn := pgtest.DSN(t)
	st, q, items := openQueue(t, dsn, inputs)
	if err := q.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}
	state := func() (parsed, done, articles int) {
		t.Helper()
		if err := q.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'parsed'), count(*) FILTER (WHERE state = 'done'), (SELECT count(*) FROM articles) FROM inbox`).Scan(&parsed, &done, &articles); err != nil {
			t.Fatal(err)
		}
		return parsed, done, articles
	}
	// Nothing parses yet: WaitParsed waits.
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	err := q.WaitParsed(short)
	cancelShort()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitParsed with no worker = %v; want it to wait", err)
	}
	pctx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- q.Work(pctx, st, WorkOptions{Concurrency: 2, ParseOnly: true}) }()
	wctx, cancelWait := context.WithTimeout(ctx, 2*time.Minute)
	err = q.WaitParsed(wctx)
	cancelWait()
	if err != nil {
		t.Fatalf("WaitParsed: %v", err)
	}
	if parsed, done, articles := state(); parsed != len(items) || done != 0 || articles != 0 {
		t.Fatalf("after WaitParsed: %d of %d rows parsed, %d done, %d articles stored; want all parsed and none linked", parsed, len(items), done, articles)
	}
	if n, err := q.Unparsed(ctx); n != 0 || err != nil {
		t.Fatalf("Unparsed = %d, %v; want 0", n, err)
	}
	// Give a linker, if the worker wrongly ran one, time to show itself.
	time.Sleep(2 * linkerPoll)
	if _, done, articles := state(); done != 0 || articles != 0 {
		t.Fatalf("a parse-only worker linked: %d rows done, %d articles stored", done, articles)
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatalf("parse-only worker: %v", err)
	}

	linkAll(t, q, st)
	sameAsReference(t, q, st, ref, sum, "parsed ahead by a parse-only worker, then linked")
}

// sameAsReference checks that the queue's outcomes and the store match
// one process's run on SQLite (reference).
func sameAsReference(t *testing.T, q *Queue, st, ref store.Store, sum ingest.Summary, how string) {
	t.Helper()
	out, _ := q.Outcomes(context.Background())
	if out["ingested"] != sum.Ingested || out["rejected"] != sum.Rejected {
		t.Errorf("%s: queue outcomes %v; reference %+v", how, out, sum)
	}
	if want, got := snapshot(t, ref), snapshot(t, st); want != got {
		t.Errorf("%s: differs from one process on SQLite:\n%s", how, diff(want, got))
	}
}

// TestParseAheadBound: workers parse at most Ahead rows beyond the
// linker, then wait; a linker drains them, and every row ends done with
// the same result as without the bound.
func TestParseAheadBound(t *testing.T) {
	inputs := corpusN(t, 30)
	ctx := context.Background()
	ref, sum := reference(t, inputs)
	dsn := pgtest.DSN(t)
	st, q, items := openQueue(t, dsn, inputs)
	if err := q.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}
	const ahead = 7
	parsed := func() int {
		t.Helper()
		var n int
		if err := q.pool.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE state = 'parsed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	pctx, stop := context.WithCancel(ctx)
	errc := make(chan error, 2)
	go func() { errc <- q.Work(pctx, st, WorkOptions{Concurrency: 1, ParseOnly: true, Ahead: ahead}) }()
	// The worker parses up to the bound, then holds.
	deadline := time.Now().Add(time.Minute)
	for parsed() < ahead && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(5 * aheadPoll)
	if n := parsed(); n != ahead {
		t.Fatalf("%d rows parsed ahead of a linker that is not running; want %d", n, ahead)
	}
	if n, _ := q.Unparsed(ctx); n != len(items)-ahead {
		t.Errorf("%d rows left unparsed; want %d", n, len(items)-ahead)
	}
	// A linker takes them, and the worker goes on.
	lctx, stopLinker := context.WithCancel(ctx)
	go func() { errc <- q.Work(lctx, st, WorkOptions{Concurrency: 1, Ahead: ahead}) }()
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := q.Wait(wctx); err != nil {
		t.Fatalf("the rows were not all linked: %v", err)
	}
	stop()
	stopLinker()
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatalf("worker: %v", err)
		}
	}
	sameAsReference(t, q, st, ref, sum, "parsed at most 7 rows ahead")
}

// TestRenameReachesQueuedItems: items parsed by a worker before an
// outlet was renamed are linked under its new name: the linker attributes
// them again and, since the worker's article no longer matches, derives
// what depends on the name again.
func TestRenameReachesQueuedItems(t *testing.T) {
	inputs := corpusN(t, 0)
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	st, q, items := openQueue(t, dsn, inputs)
	// The wire's earlier report, stored before the queue's.
	early := filepath.Join(t.TempDir(), "early.jsonl")
	os.WriteFile(early, []byte(`{"id": "early", "source": "Meridian Wire", "title": "Ferry missing", "text": "A ferry with 86 passengers lost contact off Lesbos on Monday night, the coast guard said, and a search began at dawn."}`+"\n"), 0o644)
	if _, err := ingest.Run(ctx, st, []string{early}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}
	pctx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- q.Work(pctx, st, WorkOptions{Concurrency: 2, ParseOnly: true}) }()
	wctx, cancelWait := context.WithTimeout(ctx, 2*time.Minute)
	err := q.WaitParsed(wctx)
	cancelWait()
	stop()
	if err != nil {
		t.Fatalf("WaitParsed: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("parse-only worker: %v", err)
	}
	if _, err := st.RenameOutlet(ctx, "Meridian Wire", "Meridian"); err != nil {
		t.Fatal(err)
	}
	linkAll(t, q, st)
	n := map[string]int{}
	if err := st.EachArticle(ctx, func(a *model.Article) error { n[a.Source]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n["Meridian Wire"] != 0 || n["Meridian"] < 2 {
		t.Errorf("articles by outlet %v; want the wire's queued reports under Meridian with the early one, none under Meridian Wire", n)
	}
}

// linkAll runs one linking worker until every queued row is done.
func linkAll(t *testing.T, q *Queue, st store.Store) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- q.Work(ctx, st, WorkOptions{Concurrency: 1}) }()
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := q.Wait(wctx); err != nil {
		t.Fatalf("the linking worker did not finish: %v", err)
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatalf("linking worker: %v", err)
	}
}
