package story_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
	"github.com/crosscheck-news/crosscheck/internal/story"
	"github.com/crosscheck-news/crosscheck/internal/synth"
)

// BenchmarkClusterScaling grows one SQLite store with the synthetic corpus,
// placing every article in a story as ingest does (terms, document
// frequencies, candidate lookup in the stored term index, centroid
// scoring, one transaction), and times windows of 500 articles at 1k, 10k
// and — with CROSSCHECK_BENCH_LARGE=1 — 100k stored articles. Copy links
// are left out so that every article takes the similarity path, the
// expensive one. Flat per-article cost is the goal.
func BenchmarkClusterScaling(b *testing.B) {
	sizes := []int{1000, 10000}
	if os.Getenv("CROSSCHECK_BENCH_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for i := 0; i < b.N; i++ {
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "scale.db"))
		if err != nil {
			b.Fatal(err)
		}
		gen := synth.New(synth.Options{Seed: 1})
		c := story.New(st, nil)
		place := func() bool {
			a := gen.Next()
			w, err := c.Assign(context.Background(), a, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.PutArticle(context.Background(), store.ArticleWrite{Article: a, Story: w}); err != nil {
				b.Fatal(err)
			}
			return w.Assignment.Story == 0
		}
		n := 0
		const window = 500
		var first time.Duration
		for _, size := range sizes {
			for n < size-window {
				place()
				n++
			}
			runtime.GC()
			start := time.Now()
			started := 0
			for n < size {
				if place() {
					started++
				}
				n++
			}
			per := time.Since(start) / window
			if first == 0 {
				first = per
			}
			b.ReportMetric(float64(per.Microseconds())/1000, fmt.Sprintf("ms/article@%d", size))
			b.ReportMetric(float64(per)/float64(first), fmt.Sprintf("cost-vs-1k@%d", size))
			b.ReportMetric(float64(started)/window, fmt.Sprintf("new-stories/article@%d", size))
		}
		st.Close()
	}
}
