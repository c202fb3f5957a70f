package lineage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
	"github.com/crosscheck-news/crosscheck/internal/synth"
)

// BenchmarkLinkScaling grows one SQLite store with the synthetic corpus,
// linking every article as ingest does (signature, candidate lookup in the
// stored LSH bands, alignment, one transaction), and times windows of 500
// articles at 1k, 10k and — with CROSSCHECK_BENCH_LARGE=1 — 100k stored
// articles. Flat per-article cost is the goal: a lookup, never a rescan.
func BenchmarkLinkScaling(b *testing.B) {
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
		linker := lineage.NewLinker(st)
		link := func() int {
			a := gen.Next()
			w, err := linker.Link(context.Background(), a)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.PutArticle(context.Background(), w); err != nil {
				b.Fatal(err)
			}
			return len(w.Derivations)
		}
		n := 0
		const window = 500
		for _, size := range sizes {
			for n < size-window {
				link()
				n++
			}
			runtime.GC()
			compared := linker.Compared
			start := time.Now()
			links := 0
			for n < size {
				links += link()
				n++
			}
			per := time.Since(start) / window
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			metrics.Read(sample)
			b.ReportMetric(float64(per.Microseconds())/1000, fmt.Sprintf("ms/article@%d", size))
			b.ReportMetric(float64(sample[0].Value.Uint64())/(1<<20), fmt.Sprintf("heap-MiB@%d", size))
			b.ReportMetric(float64(links)/window, fmt.Sprintf("links/article@%d", size))
			b.ReportMetric(float64(linker.Compared-compared)/window, fmt.Sprintf("compared/article@%d", size))
		}
		st.Close()
	}
}

// TestSyntheticCorpusLinks checks the generator and the linker together on
// a small corpus: copies are found, independent reports are not linked.
func TestSyntheticCorpusLinks(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gen := synth.New(synth.Options{Seed: 7})
	linker := lineage.NewLinker(st)
	for i := 0; i < 300; i++ {
		w, err := linker.Link(context.Background(), gen.Next())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PutArticle(context.Background(), w); err != nil {
			t.Fatal(err)
		}
	}
	kinds := map[string]int{}
	st.EachDerivation(context.Background(), func(d model.Derivation) error { kinds[d.Kind]++; return nil })
	for _, k := range []string{"duplicate", "near-duplicate", "rewrite", "partial"} {
		if kinds[k] == 0 {
			t.Errorf("no %s found in the synthetic corpus: %v", k, kinds)
		}
	}
	as, _ := st.ListArticles(context.Background(), store.ListOptions{Limit: 1000})
	lineages := map[string]bool{}
	for _, a := range as {
		lineages[a.Lineage] = true
	}
	// Copies collapse into lineages, independent reports and partials stay apart.
	t.Logf("kinds %v, %d lineages for %d articles", kinds, len(lineages), len(as))
	if len(lineages) >= len(as) || len(lineages) < len(as)/5 {
		t.Errorf("%d lineages for %d articles", len(lineages), len(as))
	}
}
