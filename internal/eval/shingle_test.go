package eval

import (
	"math"
	"testing"
)

func TestShingleCounts(t *testing.T) {
	tests := []struct {
		name       string
		pred, gold string
		tp, fp, fn float64
	}{
		{"identical", "a b c d e", "a b c d e", 1, 0, 0},
		{"both empty", "", "", 1, 0, 0},
		{"pred empty", "", "a b c d e", 0, 0, 1},
		{"gold empty", "a b c d e", "", 0, 1, 0},
		// gold shingles: abcd bcde; pred: abcd bcde cdef → tp 2, fp 1.
		{"extra token", "a b c d e f", "a b c d e", 2.0 / 3, 1.0 / 3, 0},
		{"punctuation ignored", "a, b. c; d!", "a b c d", 1, 0, 0},
		{"case matters", "A b c d", "a b c d", 0, 0.5, 0.5},
		{"short text is one shingle", "a b", "a b", 1, 0, 0},
		// multiset: pred repeats "a b c d" twice, gold once.
		{"repeats counted", "a b c d a b c d", "a b c d", 1.0 / 5, 4.0 / 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, fp, fn := ShingleCounts(tc.pred, tc.gold)
			if !near(tp, tc.tp) || !near(fp, tc.fp) || !near(fn, tc.fn) {
				t.Errorf("ShingleCounts(%q, %q) = %.3f, %.3f, %.3f; want %.3f, %.3f, %.3f", tc.pred, tc.gold, tp, fp, fn, tc.tp, tc.fp, tc.fn)
			}
		})
	}
}

func TestPRF(t *testing.T) {
	var m PRF
	m.Add(1, 0, 0)
	m.Add(0.5, 0.5, 0)
	if p, r, f := m.Precision(), m.Recall(), m.F1(); !near(p, 0.75) || !near(r, 1) || !near(f, 6.0/7) {
		t.Errorf("P, R, F1 = %.3f, %.3f, %.3f; want 0.75, 1, 0.857", p, r, f)
	}
	var empty PRF
	if empty.F1() != 0 {
		t.Errorf("empty F1 = %v; want 0", empty.F1())
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
