package cli

import (
	"os"
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
	pgtest.Main(m)
}
