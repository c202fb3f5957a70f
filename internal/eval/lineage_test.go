package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSet(t *testing.T, articles []string, labels string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "articles.jsonl"), []byte(strings.Join(articles, "\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "labels.tsv"), []byte(labels), 0o644)
	return dir
}

// TestScoreLineageCounts checks the scoring on a set whose outcome is
// known by construction: a verbatim copy, an unrelated article and a
// mislabelled pair.
func TestScoreLineageCounts(t *testing.T) {
	body := "The regional council in Tartu voted on Thursday to spend 4.2 million euros repairing the flood barriers along the Emajogi river before winter. Mayor Urmas Klaas said 1,200 homes had flooded in March. Engineers from the Tallinn University of Technology will inspect all 37 barriers in May, the council said."
	other := "A cargo ship ran aground near the port of Klaipeda on Saturday, blocking the channel for 11 hours, Lithuanian maritime officials said. Captain Jonas Petraitis and 18 crew members were unhurt. Tugs from Liepaja pulled the vessel free at high tide on Sunday morning, the port authority said."
	dir := writeSet(t, []string{
		`{"id": "a", "source": "Wire", "published": "2026-03-01T08:00:00Z", "text": "` + body + `"}`,
		`{"id": "b", "source": "Copy", "published": "2026-03-01T09:00:00Z", "text": "` + body + `"}`,
		`{"id": "c", "source": "Other", "published": "2026-03-02T09:00:00Z", "text": "` + other + `"}`,
	}, "a\tb\tduplicate\na\tc\trewrite\n")
	set, err := LoadLineageSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := ScoreLineage(set)
	if c := s.PerKind["duplicate"]; c.TP != 1 || c.FP != 0 || c.FN != 0 {
		t.Errorf("duplicate counts = %+v; want 1 TP", *c)
	}
	if c := s.PerKind["rewrite"]; c.FN != 1 || c.R() != 0 {
		t.Errorf("rewrite counts = %+v; want the mislabelled pair as a miss", *c)
	}
	if s.Linked.TP != 1 || s.Linked.FN != 1 || s.Linked.FP != 0 {
		t.Errorf("linked = %+v; want 1 TP, 1 FN", s.Linked)
	}
	if s.DirCorrect != 1 {
		t.Errorf("direction correct = %d; want 1 (the earlier wire)", s.DirCorrect)
	}
}

func TestLoadLineageSetErrors(t *testing.T) {
	if _, err := LoadLineageSet(t.TempDir()); err == nil {
		t.Error("missing files: no error")
	}
	dir := writeSet(t, []string{`{"id": "a"`}, "")
	if _, err := LoadLineageSet(dir); err == nil || !strings.Contains(err.Error(), "articles.jsonl:1") {
		t.Errorf("bad JSON error = %v; want it to name the line", err)
	}
}

// TestDevelopmentSetGuard keeps the detector's behaviour on the
// development set from regressing silently: no independent report linked,
// and nearly every copy found. docs/EVALUATION.md has the full figures.
func TestDevelopmentSetGuard(t *testing.T) {
	set, err := LoadLineageSet("../../testdata/lineage")
	if err != nil {
		t.Fatal(err)
	}
	s := ScoreLineage(set)
	if s.HardNegativeLinks != 0 || s.Linked.FP != 0 {
		t.Errorf("false links: %d hard negatives, %d in all: %v", s.HardNegativeLinks, s.Linked.FP, s.Errors)
	}
	if s.Linked.R() < 0.9 || s.DirWrong != 0 {
		t.Errorf("copy recall %.2f, %d wrong directions: %v", s.Linked.R(), s.DirWrong, s.Errors)
	}
}
