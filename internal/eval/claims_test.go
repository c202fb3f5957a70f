package eval

import "testing"

// TestClaimSet scores claim extraction on the labelled sets; the figures
// are in docs/EVALUATION.md. The dev set is what the rules were written
// against; the held-out set was scored once when written, and guards
// against regressions here.
func TestClaimSet(t *testing.T) {
	for _, tc := range []struct {
		set         string
		minP, minR  float64
		minStatuses int
	}{
		{"dev", 0.95, 0.95, 9},
		{"heldout", 0.8, 0.75, 4},
		{"heldout2", 0.8, 0.75, 3},
	} {
		cs, err := LoadClaimSet("../../testdata/claims", tc.set)
		if err != nil {
			t.Fatal(err)
		}
		s := ScoreClaims(cs)
		for _, f := range ClaimFields {
			x := s.Fields[f]
			if x.P() < tc.minP || x.R() < tc.minR {
				t.Errorf("%s %s: P %.3f R %.3f; want at least %.2f / %.2f", tc.set, f, x.P(), x.R(), tc.minP, tc.minR)
			}
		}
		if s.StatusCorrect < tc.minStatuses {
			t.Errorf("%s: %d group statuses right; want %d", tc.set, s.StatusCorrect, tc.minStatuses)
		}
	}
	if _, err := LoadClaimSet(t.TempDir(), "dev"); err == nil {
		t.Errorf("an empty directory loaded as a claim set")
	}
}
