package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/pgtest"
)

// TestBench runs a small bench on SQLite and PostgreSQL: every row wrote
// the whole corpus, and the stages are reported.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts crosscheck processes")
	}
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	code, out, errs := run(t, "bench", "--articles", "40", "--postgres", dsn, "--workers", "1,2", "--dir", dir)
	if code != 0 {
		t.Fatalf("bench = %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^sqlite\s+1 proc\s+40\s+[0-9.]+\s+[0-9.]+×`),
		regexp.MustCompile(`(?m)^postgres\s+1\s+40\s+`),
		regexp.MustCompile(`(?m)^postgres\s+2\s+40\s+`),
		regexp.MustCompile(`baseline: go-trafilatura alone, one core: [0-9.]+ pages/s`),
		regexp.MustCompile(`SQLite stages .*parse \d+%.*lineage \d+%.*store \d+%`),
	} {
		if !want.MatchString(out) {
			t.Errorf("bench output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, " 0 MiB") {
		t.Errorf("a peak memory of 0:\n%s", out)
	}
	// Again in the same directory: the kept database does not make the
	// corpus "already present".
	if code, out, errs = run(t, "bench", "--articles", "40", "--dir", dir); code != 0 || !regexp.MustCompile(`(?m)^sqlite\s+1 proc\s+40\s`).MatchString(out) {
		t.Errorf("bench again in the same --dir = %d\n%s\n%s", code, out, errs)
	}

	// --stages: parse-only workers first, then one linker; each stage
	// accounts for every input, and the whole corpus is still written.
	code, out, errs = run(t, "bench", "--articles", "30", "--no-sqlite", "--postgres", dsn, "--workers", "1,2", "--stages", "--worker-concurrency", "1", "--dir", t.TempDir())
	if code != 0 {
		t.Fatalf("bench --stages = %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`each PostgreSQL worker runs with --concurrency 1 `),
		regexp.MustCompile(`(?m)^postgres\s+1\+1\s+30\s+`),
		regexp.MustCompile(`(?m)^postgres\s+2\+1\s+30\s+`),
		regexp.MustCompile(`(?m)^postgres\s+1\s+30\s+[0-9.]+\s+[0-9.hms]+\s+[0-9.]+\s+[0-9.hms]+$`),
		regexp.MustCompile(`(?m)^postgres\s+2\s+30\s+[0-9.]+\s+[0-9.hms]+\s+[0-9.]+\s+[0-9.hms]+$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("bench --stages output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sqlite") {
		t.Errorf("bench --no-sqlite ran SQLite:\n%s", out)
	}
	if code, _, errs := run(t, "bench", "--articles", "3"); code != 2 || !strings.Contains(errs, "--articles") {
		t.Errorf("bench --articles 3 = %d %s", code, errs)
	}
}
