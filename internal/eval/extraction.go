package eval

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Extractor turns one HTML page into its main text.
type Extractor func(page []byte, url string) (string, error)

// ExtractionPage is one page of an extraction benchmark.
type ExtractionPage struct {
	ID, URL, Gold string
	HTML          []byte
}

// LoadScrapinghub reads the Scrapinghub article-extraction benchmark from
// dir: ground-truth.json and html/<id>.html.gz, in ID order.
func LoadScrapinghub(dir string) ([]ExtractionPage, error) {
	b, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("scrapinghub benchmark: %w", err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(b, &gt); err != nil {
		return nil, fmt.Errorf("scrapinghub ground-truth.json: %w", err)
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	pages := make([]ExtractionPage, 0, len(ids))
	for _, id := range ids {
		p := filepath.Join(dir, "html", id+".html.gz")
		page, err := readGzip(p)
		if err != nil {
			return nil, fmt.Errorf("scrapinghub page %s: %w", p, err)
		}
		pages = append(pages, ExtractionPage{ID: id, URL: gt[id].URL, Gold: gt[id].ArticleBody, HTML: page})
	}
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// ScoreExtraction runs ex over pages and scores it. A page the extractor
// fails on counts as an empty prediction (all of its gold is missed).
func ScoreExtraction(ctx context.Context, pages []ExtractionPage, ex Extractor) (PRF, error) {
	var m PRF
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		text, err := ex(p.HTML, p.URL)
		if err != nil {
			text = ""
		}
		m.Add(ShingleCounts(text, p.Gold))
	}
	return m, nil
}
