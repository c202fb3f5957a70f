package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/eval"
	"github.com/crosscheck-news/crosscheck/internal/extract"
)

// TestHTMLLanguageAgrees: on real pages (the Scrapinghub extraction
// benchmark, when ../shared is present, and the demo corpus) an HTML
// page's language, go-trafilatura's classification of its body refined
// for Cyrillic, is the one crosscheck's own classification of the cleaned
// text gives (docs/extraction.md, Language).
func TestHTMLLanguageAgrees(t *testing.T) {
	type page struct {
		name string
		html []byte
	}
	var pages []page
	demo, err := filepath.Glob("../demo/corpus/*.html")
	if err != nil || len(demo) == 0 {
		t.Fatalf("demo corpus: %v (%d pages)", err, len(demo))
	}
	for _, f := range demo {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page{filepath.Base(f), b})
	}
	if sh, err := eval.LoadScrapinghub("../../../shared/data/extraction/scrapinghub"); err == nil {
		for _, p := range sh {
			pages = append(pages, page{p.ID, p.HTML})
		}
	} else {
		t.Logf("demo corpus only: %v", err)
	}
	byLang := map[string]int{}
	for _, p := range pages {
		r, err := extract.HTML(p.html, extract.Options{})
		if err != nil { // the extraction tests' business, not this one's
			t.Logf("%s: %v", p.name, err)
			continue
		}
		byLang[r.Language]++
		if want := extract.DetectLanguage(strings.TrimSpace(r.Title + "\n" + r.Text)); r.Language != want {
			t.Errorf("%s: language %q; crosscheck's own classification of the cleaned text gives %q", p.name, r.Language, want)
		}
	}
	var langs []string
	for l, n := range byLang {
		langs = append(langs, fmt.Sprintf("%s %d", l, n))
	}
	sort.Strings(langs)
	t.Logf("%d pages: %s", len(pages), strings.Join(langs, ", "))
}
