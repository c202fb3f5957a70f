package extract

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

const seedsDir = "../../../shared/corpus/seeds"

// TestSeeds checks the cleaner on the five real seed articles: exactly the
// lines recorded in testdata/seeds.golden (numbers and reasons only; the
// seeds' text stays in ../shared) are removed, and every other line of the
// input is in the clean text.
func TestSeeds(t *testing.T) {
	files, texts := readSeeds(t)
	var got strings.Builder
	for i, f := range files {
		b := texts[i]
		r, err := Text(b, Options{})
		if err != nil {
			t.Fatalf("Text(%s): %v", f, err)
		}
		removed := map[int]bool{}
		var rs []string
		for _, x := range r.Removed {
			removed[x.Line] = true
			rs = append(rs, fmt.Sprintf("%d:%s", x.Line, x.Reason))
		}
		fmt.Fprintf(&got, "%s author=%q lang=%s removed=%s\n", filepath.Base(f), r.Author, r.Language, strings.Join(rs, ","))
		for i, l := range strings.Split(b, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || removed[i+1] || (r.Title != "" && strings.HasPrefix(l, r.Title)) {
				continue
			}
			if !strings.Contains(r.Text, l) {
				t.Errorf("%s line %d was dropped without a removal record: %.80q", filepath.Base(f), i+1, l)
			}
		}
		if strings.Contains(r.Text, "\n\n\n") {
			t.Errorf("%s: empty paragraphs in text", filepath.Base(f))
		}
	}
	golden := filepath.Join("testdata", "seeds.golden")
	if *update {
		os.WriteFile(golden, []byte(got.String()), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("seed cleaning changed (run go test ./internal/extract -update to accept):\ngot:\n%s\nwant:\n%s", got.String(), want)
	}
}

// BenchmarkCleanSeeds times the line cleaner alone (no language
// detection) on the five seed articles, each in body mode as ingest
// cleans an extracted page.
func BenchmarkCleanSeeds(b *testing.B) {
	_, texts := readSeeds(b)
	b.ResetTimer()
	for range b.N {
		for _, t := range texts {
			Clean(t, CleanOptions{Body: true})
		}
	}
}

// readSeeds returns the seed articles' paths, in order, and their texts;
// it skips when ../shared is absent.
func readSeeds(tb testing.TB) (files, texts []string) {
	tb.Helper()
	files, _ = filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(files) == 0 {
		tb.Skip("../shared/corpus/seeds not present")
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	return files, texts
}
