package eval

import (
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// TestLabelledCopiesShareBands: every labelled copy shares a stored LSH
// band with its origin, so the lookup makes it a candidate; the kinds of
// band each shares are logged (go test -v -run LabelledCopiesShareBands
// ./internal/eval), the counts docs/PERFORMANCE.md cites for dropping
// the shingle bands. A change of the bands that loses a labelled copy
// fails here before it shows in the scores.
func TestLabelledCopiesShareBands(t *testing.T) {
	for _, dir := range []string{"../../testdata/lineage", "../../testdata/lineage-heldout"} {
		set, err := LoadLineageSet(dir)
		if err != nil {
			t.Fatal(err)
		}
		bands := map[string]map[model.Band]bool{}
		for _, a := range set.Articles {
			bands[a.ID] = map[model.Band]bool{}
			for _, b := range lineage.Signature(lineage.Prepare(a)) {
				bands[a.ID][b] = true
			}
		}
		for p, kind := range set.Labels {
			if kind == "none" {
				continue
			}
			anchor, sentence := 0, 0
			for b := range bands[p[0]] {
				if !bands[p[1]][b] {
					continue
				}
				if b.Band >= 100 {
					sentence++
				} else {
					anchor++
				}
			}
			t.Logf("%s %s–%s: %d anchor bands, %d sentences shared", kind, p[0], p[1], anchor, sentence)
			if anchor+sentence == 0 {
				t.Errorf("%s: labelled %s %s–%s shares no band: the lookup never compares them", dir, kind, p[0], p[1])
			}
		}
	}
}
