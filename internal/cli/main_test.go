package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/pgtest"
)

// TestMain lets the test binary stand in for crosscheck: commands that
// start crosscheck processes (bench) start this binary with
// CROSSCHECK_AS_CLI=1 and the command's arguments.
func TestMain(m *testing.M) {
	if os.Getenv(asCLIEnv) == "1" {
		os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	pgtest.Main(cleanup{m})
}

// cleanup removes the crosscheck binary built for the tests once they
// have run.
type cleanup struct{ m *testing.M }

func (c cleanup) Run() int {
	code := c.m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// crosscheckBin builds crosscheck once, without the race detector (the
// crash tests run thousands of articles through child processes, which
// the detector would slow tenfold; the pipeline's concurrency is raced
// by the in-process tests).
func crosscheckBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "crosscheck-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "crosscheck")
		out, err := exec.Command("go", "build", "-o", binPath, "../../cmd/crosscheck").CombinedOutput()
		if err != nil {
			binErr = &buildError{err, string(out)}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }
