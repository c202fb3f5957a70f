package eval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/geo"
)

const lgl = "../../../shared/data/geo/lgl.xml"

// TestLGL geoparses the LGL corpus; the figures are in docs/EVALUATION.md,
// the floors here catch regressions.
func TestLGL(t *testing.T) {
	if testing.Short() {
		t.Skip("geoparses 588 articles")
	}
	if _, err := os.Stat(lgl); err != nil {
		t.Skip("../shared/data not present")
	}
	docs, err := LoadLGL(lgl)
	if err != nil {
		t.Fatal(err)
	}
	g, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := ScoreGeo(g, docs)
	t.Logf("P %.3f R %.3f Acc@161 %.3f mean %.0f km", s.P(), s.R(), s.Acc161(), s.MeanKm())
	if s.P() < 0.7 || s.R() < 0.65 || s.Acc161() < 0.75 {
		t.Errorf("LGL: P %.3f R %.3f Acc@161 %.3f; documented 0.777 / 0.680 / 0.773", s.P(), s.R(), s.Acc161())
	}
	if _, err := LoadLGL(filepath.Join(t.TempDir(), "none.xml")); err == nil {
		t.Errorf("a missing file loaded")
	}
}
