package queue

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/pgserver"
)

// TestWorkerSurvivesKillsAndRestart SIGKILLs worker processes at random
// moments and restarts PostgreSQL under a running one (an immediate
// shutdown: every connection cut, no checkpoint). The surviving worker
// reconnects and finishes, and the database holds exactly what one
// uninterrupted process on SQLite makes of the same input: every
// article once, with the same stories, lineages and claim groups.
func TestWorkerSurvivesKillsAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and worker processes")
	}
	srv, err := pgserver.StartServer()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("postgres: %v", err)
		}
		t.Skipf("postgres not available: %v", err)
	}
	defer srv.Stop()
	inputs := corpusN(t, 500)
	ctx := context.Background()

	ref, sum := reference(t, inputs)
	st, q, items := openQueue(t, srv.DSN, inputs)
	if err := q.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 9))
	t.Logf("seed %d", seed)
	pause := func(lo, hi time.Duration) { time.Sleep(lo + time.Duration(rng.Int64N(int64(hi-lo)))) }
	type proc struct {
		cmd  *exec.Cmd
		done chan error
	}
	start := func() proc {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), workerEnv+"="+srv.DSN, workerStallEnv+"=0")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := proc{cmd, make(chan error, 1)}
		go func() { p.done <- cmd.Wait() }()
		return p
	}
	pending := func() int {
		n, err := q.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	w := start()
	defer func() { w.cmd.Process.Kill(); <-w.done }()

	// progress waits until the workers have written n more rows.
	progress := func(n int) {
		target := pending() - n
		for deadline := time.Now().Add(time.Minute); pending() > max(target, 0) && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
	}
	kills := 0
	for kills < 3 {
		// Some progress, then a random moment: mid-batch or between.
		progress(20 + rng.IntN(80))
		pause(0, 400*time.Millisecond)
		if pending() == 0 {
			break
		}
		w.cmd.Process.Kill()
		<-w.done
		kills++
		t.Logf("kill %d: %d rows open", kills, pending())
		w = start()
	}
	if kills == 0 {
		t.Fatal("the queue drained before the first kill: the test proves nothing")
	}
	progress(20 + rng.IntN(40))
	pause(0, 400*time.Millisecond)
	open := pending()
	if err := srv.Restart("immediate"); err != nil {
		t.Fatal(err)
	}
	t.Logf("restarted PostgreSQL with %d rows open", open)

	wctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	if err := q.Wait(wctx); err != nil {
		t.Fatalf("the queue did not drain after the restart: %v", err)
	}
	select {
	case err := <-w.done:
		t.Fatalf("the worker exited during the restart: %v", err)
	default:
	}
	if open == 0 {
		t.Error("the queue drained before the restart: the restart proved nothing")
	}
	out, _ := q.Outcomes(ctx)
	if out["ingested"] != sum.Ingested || out["rejected"] != sum.Rejected || out["skipped"] != sum.Skipped {
		t.Errorf("queue outcomes %v; reference %+v", out, sum)
	}
	var rows, distinct int
	if err := q.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT key) FROM articles`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != sum.Ingested || distinct != rows {
		t.Errorf("%d article rows (%d distinct); want %d", rows, distinct, sum.Ingested)
	}
	if want, got := snapshot(t, ref), snapshot(t, st); want != got {
		t.Errorf("after %d kills and a restart, PostgreSQL differs from one uninterrupted process:\n%s", kills, diff(want, got))
	}
}
