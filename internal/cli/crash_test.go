package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/bench"
)

// crosscheck returns a command running crosscheck (built once for the
// tests, see crosscheckBin).
func crosscheck(t *testing.T, args ...string) *exec.Cmd {
	return exec.Command(crosscheckBin(t), args...)
}

// state is a database's whole export without the wall-clock times of
// when things were stored, which differ between any two runs.
func state(t *testing.T, db string) map[string]any {
	t.Helper()
	code, out, errs := run(t, "export", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("export %s: %s", db, errs)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, k := range []string{"ingested_at", "created_at", "fetched_at", "seen_at"} {
				delete(x, k)
			}
			if _, ok := x["reason"]; ok { // a rejection: when it was recorded
				delete(x, "at")
			}
			for _, v := range x {
				strip(v)
			}
		case []any:
			for _, v := range x {
				strip(v)
			}
		}
	}
	strip(v)
	return v
}

// sameState reports how two states differ, by top-level section.
func sameState(t *testing.T, want, got map[string]any) {
	t.Helper()
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	}) {
		if !reflect.DeepEqual(want[k], got[k]) {
			w, _ := json.Marshal(want[k])
			g, _ := json.Marshal(got[k])
			t.Errorf("%s differ (%d vs %d bytes):\nwant %.300s\ngot  %.300s", k, len(w), len(g), w, g)
		}
	}
}

// TestKillDuringIngest SIGKILLs `crosscheck ingest` at random moments of a
// 2,000-article ingest (synthetic wire stories with copies, rewrites and
// site chrome), restarting it each time, and compares the result with
// one uninterrupted run: every article is present exactly once and
// everything derived from it — lineage, story, claims, names, places,
// dates, claim groups — is the same.
func TestKillDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 2,000 articles three times")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	const n = 2000
	if _, err := bench.WriteCorpus(in, n, 3); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.db")
	if out, err := crosscheck(t, "ingest", "-q", "--db", ref, in).CombinedOutput(); err != nil {
		t.Fatalf("reference ingest: %v\n%s", err, out)
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	t.Logf("seed %d", seed)
	db := filepath.Join(dir, "k.db")
	kills := 0
	for round := 0; round < 5; round++ {
		cmd := crosscheck(t, "ingest", "--db", db, in)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let a random number of reports through (they are printed once
		// their batch is committed), then kill after a random moment more:
		// between batches, inside one, or inside a commit.
		target := 50 + rng.IntN(300)
		sc := bufio.NewScanner(stdout)
		for lines := 0; lines < target && sc.Scan(); {
			if strings.HasPrefix(sc.Text(), "ingested ") {
				lines++
			}
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		cmd.Process.Kill()
		go io.Copy(io.Discard, stdout)
		err := cmd.Wait()
		if err != nil {
			kills++
		}
		t.Logf("round %d: killed after %d reports: %d of %d stored", round, target, countRows(t, db), n)
	}
	if kills == 0 || countRows(t, db) >= n {
		t.Fatalf("no kill landed before the end (%d kills): the test proves nothing", kills)
	}
	out, err := crosscheck(t, "ingest", "-q", "--db", db, in).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "rejected 0") {
		t.Fatalf("final ingest: %v\n%s", err, out)
	}
	checkIntegrity(t, db, n)
	sameState(t, state(t, ref), state(t, db))
}

// checkIntegrity: n articles, each once, and SQLite's own check passes.
func checkIntegrity(t *testing.T, db string, n int) {
	t.Helper()
	sdb := openSQLite(t, db)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var count, distinct int
	var integrity string
	sdb.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT key) FROM articles`).Scan(&count, &distinct)
	sdb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity)
	if count != n || distinct != n || integrity != "ok" {
		t.Errorf("%s: %d rows, %d distinct, integrity %q; want %d, %d, ok", db, count, distinct, integrity, n, n)
	}
}

// feedServer serves the pages of dir at /a/NAME and an RSS feed of them
// all at /feed.xml, and counts the page requests.
type feedServer struct {
	*httptest.Server
	pages atomic.Int64
	n     int
}

func newFeedServer(t *testing.T, dir string) *feedServer {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		t.Fatalf("corpus %s: %v", dir, err)
	}
	fs := &feedServer{n: len(names)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprintf(&b, `<rss version="2.0"><channel><title>Synthetic Wire</title><link>%s/</link>`, fs.URL)
		for i := len(names) - 1; i >= 0; i-- { // newest first, as feeds are
			base := filepath.Base(names[i])
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s/a/%s</link><guid>%s</guid></item>`, base, fs.URL, base, base)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b.String())
	})
	mux.HandleFunc("GET /a/{name}", func(w http.ResponseWriter, r *http.Request) {
		fs.pages.Add(1)
		b, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.PathValue("name"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(fs.Close)
	return fs
}

// TestKillDuringWatch SIGKILLs `crosscheck watch --once` at random moments
// while it fetches and ingests a 300-item feed, restarts it, and checks
// that the result is what one uninterrupted watch makes — every item
// once, with the same derived data — and that a restart fetches only
// the pages it had not stored.
func TestKillDuringWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs watch processes")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	const n = 300
	if _, err := bench.WriteCorpus(in, n, 4); err != nil {
		t.Fatal(err)
	}
	srv := newFeedServer(t, in)
	watch := func(db string) *exec.Cmd {
		return crosscheck(t, "watch", "--once", "--db", db, "--allow-private", "--host-delay", "0", "--max-items", "1000")
	}
	addSource := func(db string) {
		if code, _, errs := run(t, "source", "add", srv.URL+"/feed.xml", "--db", db, "--allow-private"); code != 0 {
			t.Fatalf("source add: %s", errs)
		}
	}
	// Exit status 1 says some items were rejected: one feed of synthetic
	// stories repeats whole sentences, which cleaning learns as the
	// source's boilerplate. The interrupted run must reject the same.
	finished := func(name string, cmd *exec.Cmd) {
		t.Helper()
		out, err := cmd.CombinedOutput()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() > 1 {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	ref := filepath.Join(dir, "ref.db")
	addSource(ref)
	finished("reference watch", watch(ref))
	stored := countRows(t, ref)
	if stored < n/2 {
		t.Fatalf("reference watch stored %d of %d", stored, n)
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 3))
	t.Logf("seed %d", seed)
	db := filepath.Join(dir, "w.db")
	addSource(db)
	kills := 0
	for round := 0; round < 4 && countRows(t, db) < stored; round++ {
		cmd := watch(db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Wait for a random amount of progress (fetching comes first,
		// then ingest in batches), then kill.
		before, target := countRows(t, db), 1+rng.IntN(120)
		deadline := time.Now().Add(time.Minute)
		for countRows(t, db) < min(before+target, stored) && time.Now().Before(deadline) {
			time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		}
		cmd.Process.Kill()
		if err := <-done; err != nil {
			kills++
		}
		t.Logf("round %d: killed at %d of %d stored, %d pages fetched so far", round, countRows(t, db), stored, srv.pages.Load())
	}
	if kills == 0 {
		t.Fatal("no kill landed before the end: the test proves nothing")
	}
	sdb := openSQLite(t, db)
	// The restart fetches only pages it has neither recorded nor stored
	// (a kill can come between storing an article and recording its item).
	var recorded, unrecorded int
	sdb.QueryRow(`SELECT count(*) FROM feed_items`).Scan(&recorded)
	sdb.QueryRow(`SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.url = a.path)`).Scan(&unrecorded)
	srv.pages.Store(0)
	finished("final watch", watch(db))
	if got, want := srv.pages.Load(), int64(n-recorded-unrecorded); got != want {
		t.Errorf("the restarted watch fetched %d pages; %d were neither recorded nor stored", got, want)
	}
	t.Logf("restart: %d items recorded, %d stored but unrecorded, %d pages fetched", recorded, unrecorded, srv.pages.Load())
	checkIntegrity(t, db, stored)
	var items, distinct, orphans int
	sdb.QueryRow(`SELECT count(*), count(DISTINCT guid) FROM feed_items`).Scan(&items, &distinct)
	sdb.QueryRow(`SELECT count(*) FROM feed_items f LEFT JOIN articles a ON a.id = f.article_id
		WHERE f.outcome IN ('ingested', 'skipped') AND a.id IS NULL`).Scan(&orphans)
	if items != n || distinct != n || orphans != 0 {
		t.Errorf("feed items: %d rows, %d distinct, %d without their article; want %d, %d, 0", items, distinct, orphans, n, n)
	}
	sameState(t, state(t, ref), state(t, db))
}

// TestConcurrentIngestAndServe runs two ingest processes on one SQLite
// file while a server reads it: neither ingest reports "database is
// locked" (or fails), no page fails, and every article of both inputs is
// stored once, each with its story and lineage.
func TestConcurrentIngestAndServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three processes")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, err := bench.WriteCorpus(a, 800, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := bench.WriteCorpus(b, 800, 6); err != nil {
		t.Fatal(err)
	}
	// Some inputs in both: the same article offered by two processes at
	// once must still be stored once.
	shared, _ := filepath.Glob(filepath.Join(a, "00001*.html"))
	for _, f := range shared {
		data, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(b, "shared-"+filepath.Base(f)), data, 0o644)
	}
	db := filepath.Join(dir, "c.db")
	if code, _, errs := run(t, "ingest", "-q", "--db", db, "../demo/corpus"); code != 0 {
		t.Fatalf("seed ingest: %s", errs)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	serve := crosscheck(t, "serve", "--db", db, "--addr", addr)
	var serveErr bytes.Buffer
	serve.Stderr = &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Kill(); serve.Wait() }()
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; {
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %s", serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	ingest := func(in string) (*exec.Cmd, *bytes.Buffer) {
		cmd := crosscheck(t, "ingest", "-q", "--db", db, in)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	ca, outA := ingest(a)
	cb, outB := ingest(b)
	stop := make(chan struct{})
	readErrs := make(chan string, 100)
	var reads atomic.Int64
	go func() {
		paths := []string{"/", "/api/stories", "/api/articles", "/search?q=killed", "/api/search?q=officials", "/sources", "/api/conflicts", "/entities"}
		for i := 0; ; i++ {
			select {
			case <-stop:
				close(readErrs)
				return
			default:
			}
			resp, err := http.Get(base + paths[i%len(paths)])
			if err != nil {
				readErrs <- err.Error()
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			reads.Add(1)
			if resp.StatusCode != http.StatusOK {
				readErrs <- fmt.Sprintf("%s: %d %.200s", paths[i%len(paths)], resp.StatusCode, body)
			}
		}
	}()
	errA, errB := ca.Wait(), cb.Wait()
	close(stop)
	var failures []string
	for e := range readErrs {
		failures = append(failures, e)
	}
	for _, r := range []struct {
		name string
		err  error
		out  *bytes.Buffer
	}{{"ingest a", errA, outA}, {"ingest b", errB, outB}} {
		if r.err != nil || strings.Contains(strings.ToLower(r.out.String()), "locked") || strings.Contains(r.out.String(), "busy") {
			t.Errorf("%s: %v\n%s", r.name, r.err, r.out)
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d reads failed while ingesting, first: %s", len(failures), reads.Load(), failures[0])
	}
	t.Logf("%d pages read while two processes ingested", reads.Load())
	code, out, _ := run(t, "ingest", "-q", "--db", db, "../demo/corpus", a, b)
	if code != 0 || !strings.Contains(out, "ingested 0,") {
		t.Errorf("re-ingesting everything stored something new (a lost write): %s", out)
	}
	sdb := openSQLite(t, db)
	var total, distinct, unplaced int
	var integrity string
	sdb.QueryRow(`SELECT count(*), count(DISTINCT key) FROM articles`).Scan(&total, &distinct)
	sdb.QueryRow(`SELECT count(*) FROM articles WHERE story IS NULL OR story = 0 OR lineage IS NULL OR lineage = ''`).Scan(&unplaced)
	sdb.QueryRow(`PRAGMA integrity_check`).Scan(&integrity)
	if total < 1500 || distinct != total || unplaced != 0 || integrity != "ok" {
		t.Errorf("%d articles (%d distinct), %d without story or lineage, integrity %q", total, distinct, unplaced, integrity)
	}
}

// TestDiskFull ingests into a SQLite file on a small tmpfs until the
// device is full: ingest stops with an error that says so, the database
// passes its integrity check, and once there is room the same command
// finishes the job with exactly what an uninterrupted run stores.
// It needs root (to mount the tmpfs) and skips without.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a tmpfs")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "small")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	// A cleanup, not a defer: it must run after the test's database
	// handles (closed by their own cleanups) let go of the device.
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	in := filepath.Join(dir, "in")
	const n = 800
	if _, err := bench.WriteCorpus(in, n, 8); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.db")
	if out, err := crosscheck(t, "ingest", "-q", "--db", ref, in).CombinedOutput(); err != nil {
		t.Fatalf("reference ingest: %v\n%s", err, out)
	}

	db := filepath.Join(mnt, "full.db")
	cmd := crosscheck(t, "ingest", "-q", "--db", db, in)
	out, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != ExitFatal {
		t.Fatalf("ingest onto a full device: %v (want exit status %d)\n%s", err, ExitFatal, out)
	}
	if !strings.Contains(string(out), "full") || !strings.Contains(string(out), db) {
		t.Errorf("the error does not say the database %s is full:\n%s", db, out)
	}
	stored := countRows(t, db)
	if stored == 0 || stored >= n {
		t.Fatalf("%d of %d stored before the device filled: the test proves nothing", stored, n)
	}
	t.Logf("device full after %d of %d articles: %s", stored, n, strings.TrimSpace(string(out)))
	var integrity string
	sdb := openSQLite(t, db)
	sdb.QueryRow(`PRAGMA integrity_check`).Scan(&integrity)
	sdb.Close() // before the device is grown under it
	if integrity != "ok" {
		t.Errorf("integrity after the device filled: %q", integrity)
	}

	if out, err := exec.Command("mount", "-o", "remount,size=200m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	if out, err := crosscheck(t, "ingest", "-q", "--db", db, in).CombinedOutput(); err != nil {
		t.Fatalf("ingest with room again: %v\n%s", err, out)
	}
	checkIntegrity(t, db, n)
	sameState(t, state(t, ref), state(t, db))
}

// openSQLite opens a database file for the test to inspect, waiting for
// a writer's lock (or a killed writer's recovery) rather than failing.
func openSQLite(t *testing.T, db string) *sql.DB {
	t.Helper()
	sdb, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(15000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	return sdb
}
