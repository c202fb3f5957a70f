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
	s, alone := ScoreGeo(g, docs, true), ScoreGeo(g, docs, false)
	t.Logf("P %.3f R %.3f Acc@161 %.3f (alone %.3f) mean %.0f km", s.P(), s.R(), s.Acc161(), alone.Acc161(), s.MeanKm())
	if s.P() < 0.75 || s.R() < 0.67 || s.Acc161() < 0.85 || alone.Acc161() < 0.83 {
		t.Errorf("LGL: P %.3f R %.3f Acc@161 %.3f, alone %.3f; documented 0.777 / 0.686 / 0.889, 0.856", s.P(), s.R(), s.Acc161(), alone.Acc161())
	}
	if _, err := LoadLGL(filepath.Join(t.TempDir(), "none.xml")); err == nil {
		t.Errorf("a missing file loaded")
	}
}
