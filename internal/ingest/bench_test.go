package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/eval"
	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

const scrapinghub = "../../../shared/data/extraction/scrapinghub"

func loadPages(b *testing.B) []eval.ExtractionPage {
	pages, err := eval.LoadScrapinghub(scrapinghub)
	if err != nil {
		b.Skipf("scrapinghub benchmark data not present: %v", err)
	}
	return pages
}

// peakHeap samples the live heap while fn runs and returns its maximum.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// measure runs fn over all pages b.N times, returning articles/s and the
// peak heap in MiB.
func measure(b *testing.B, pages []eval.ExtractionPage, fn func(eval.ExtractionPage)) (perSec, peakMiB float64) {
	var elapsed time.Duration
	peak := peakHeap(func() {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			for _, p := range pages {
				fn(p)
			}
		}
		elapsed = time.Since(start)
	})
	return float64(len(pages)*b.N) / elapsed.Seconds(), float64(peak) / (1 << 20)
}

// BenchmarkExtract compares crosscheck's extraction (charset decoding,
// go-trafilatura, block rendering, chrome cleaning, language) with
// go-trafilatura alone, on one core, in the same run.
func BenchmarkExtract(b *testing.B) {
	pages := loadPages(b)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	base, baseMem := measure(b, pages, func(p eval.ExtractionPage) { extract.Baseline(p.HTML, p.URL) })
	ours, ourMem := measure(b, pages, func(p eval.ExtractionPage) { extract.HTML(p.HTML, extract.Options{URL: p.URL}) })
	b.ReportMetric(ours, "articles/s")
	b.ReportMetric(base, "baseline-articles/s")
	b.ReportMetric(ours/base, "speed-ratio")
	b.ReportMetric(ourMem, "peak-MiB")
	b.ReportMetric(ourMem/baseMem, "peak-mem-ratio")
}

// BenchmarkIngest runs the whole ingest (read gzip file, extract, store in
// SQLite) on one core and compares it with go-trafilatura alone on the
// same pages in the same run.
func BenchmarkIngest(b *testing.B) {
	pages := loadPages(b)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	base, baseMem := measure(b, pages, func(p eval.ExtractionPage) { extract.Baseline(p.HTML, p.URL) })
	dir := b.TempDir()
	var inputs []string
	for _, p := range pages {
		inputs = append(inputs, filepath.Join(scrapinghub, "html", p.ID+".html.gz"))
	}
	var elapsed time.Duration
	peak := peakHeap(func() {
		for i := 0; i < b.N; i++ {
			db := filepath.Join(dir, "bench.db")
			os.Remove(db)
			st, err := sqlite.Open(context.Background(), db)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if _, err := ingest.Run(context.Background(), st, inputs, ingest.Options{Workers: 1}); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			st.Close()
		}
	})
	ours := float64(len(pages)*b.N) / elapsed.Seconds()
	b.ReportMetric(ours, "articles/s")
	b.ReportMetric(base, "baseline-articles/s")
	b.ReportMetric(ours/base, "speed-ratio")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	b.ReportMetric(float64(peak)/(1<<20)/baseMem, "peak-mem-ratio")
}
