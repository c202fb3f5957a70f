package story

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Files of the Indonesian/Malay lexicon in the data directory: FreeDict's
// English–Indonesian dictionary (Debian package dict-freedict-eng-ind,
// CC BY-SA 3.0, from Wiktionary via WikDict), in dictd format, fetched by
// `make data`.
const (
	LexiconIndex = "freedict-eng-ind.index"
	LexiconData  = "freedict-eng-ind.dict.dz"
)

// Lexicon maps Malay and Indonesian words and two-word phrases to the
// stems of the English words they translate, read backwards from an
// English–Indonesian dictionary. Malay and Indonesian share most of their
// vocabulary, so "gempa bumi" meets "earthquake" in either.
type Lexicon struct {
	gloss map[string][]string

	dir  string
	once sync.Once
	err  error
}

// Glossary is what crosscheck knows of the languages it pivots to English:
// Chinese words and Malay/Indonesian words. Either may be nil.
type Glossary struct {
	Chinese *Dict
	Malay   *Lexicon
}

// OpenGlossary returns the glossary whose files are in dir, each loaded
// the first time text in its language needs it. A missing file leaves
// that language to match on names and numbers only.
func OpenGlossary(dir string) *Glossary {
	g := &Glossary{}
	if _, err := os.Stat(filepath.Join(dir, DictFile)); err == nil {
		g.Chinese = OpenDict(filepath.Join(dir, DictFile))
	}
	if _, err := os.Stat(filepath.Join(dir, LexiconIndex)); err == nil {
		g.Malay = &Lexicon{dir: dir}
	}
	return g
}

// Err reports why a lazily loaded lexicon could not be loaded.
func (l *Lexicon) Err() error { return l.err }

func (l *Lexicon) load() bool {
	if l == nil {
		return false
	}
	if l.dir == "" {
		return l.gloss != nil
	}
	l.once.Do(func() {
		idx, err := os.Open(filepath.Join(l.dir, LexiconIndex))
		if err != nil {
			l.err = err
			return
		}
		defer idx.Close()
		data, err := os.Open(filepath.Join(l.dir, LexiconData))
		if err != nil {
			l.err = err
			return
		}
		defer data.Close()
		x, err := ReadFreeDict(idx, data)
		if err != nil {
			l.err = fmt.Errorf("%s: %w", l.dir, err)
			return
		}
		l.gloss = x.gloss
	})
	return l.err == nil
}

// Lookup returns the English stems a Malay/Indonesian word or phrase
// (lower-case) translates.
func (l *Lexicon) Lookup(w string) []string {
	if !l.load() {
		return nil
	}
	return l.gloss[w]
}

// ReadFreeDict reads a dictd dictionary (its .index and its gzipped
// .dict) of English headwords with Indonesian translations, and inverts
// it. An entry is a header line "headword /ipa/ <pos>", then lines of
// translations ("a, b" or "2. a, b") each followed by an English
// definition.
func ReadFreeDict(index, dictGz io.Reader) (*Lexicon, error) {
	zr, err := gzip.NewReader(dictGz)
	if err != nil {
		return nil, fmt.Errorf("dictionary data: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("dictionary data: %w", err)
	}
	l := &Lexicon{gloss: map[string][]string{}}
	sc := bufio.NewScanner(index)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 || strings.HasPrefix(f[0], "00database") {
			continue
		}
		off, err1 := dictdNumber(f[1])
		n, err2 := dictdNumber(f[2])
		if err1 != nil || err2 != nil || off < 0 || n < 0 || off+n > len(data) {
			return nil, fmt.Errorf("index entry %q: bad offset or length", f[0])
		}
		l.addEntry(f[0], string(data[off:off+n]))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(l.gloss) == 0 {
		return nil, errors.New("no entries")
	}
	return l, nil
}

// dictdNumber decodes dictd's base64 numbers (most significant digit
// first, alphabet A–Z a–z 0–9 + /).
func dictdNumber(s string) (int, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if s == "" || len(s) > 6 {
		return 0, fmt.Errorf("bad number %q", s)
	}
	n := 0
	for _, c := range s {
		i := strings.IndexRune(alphabet, c)
		if i < 0 {
			return 0, fmt.Errorf("bad number %q", s)
		}
		n = n*64 + i
	}
	return n, nil
}

// addEntry records the translations of one English headword.
func (l *Lexicon) addEntry(head, body string) {
	head = strings.ToLower(strings.TrimSpace(head))
	if strings.ContainsAny(head, " -") || len(head) < 3 || words.Stopwords[head] {
		return // phrases and function words translate poorly word by word
	}
	stem := Stem(words.Fold(head))
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		if i == 0 {
			continue // the header
		}
		line = strings.TrimSpace(line)
		numbered := len(line) > 2 && unicode.IsDigit(rune(line[0])) && strings.Contains(line[:min(4, len(line))], ". ")
		if !(i == 1 || numbered) {
			continue // an English definition
		}
		if numbered {
			_, line, _ = strings.Cut(line, ". ")
		}
		// A trailing " 2." points at the next sense.
		if j := strings.LastIndex(line, " "); j > 0 && strings.HasSuffix(line, ".") && strings.Trim(line[j+1:], "0123456789.") == "" {
			line = line[:j]
		}
		for _, t := range strings.Split(line, ",") {
			t = strings.ToLower(strings.TrimSpace(t))
			if t == "" || strings.Count(t, " ") > 1 || malayStopwords[t] || words.Stopwords[t] {
				continue
			}
			if g := l.gloss[t]; len(g) < 3 && !contains(g, stem) {
				l.gloss[t] = append(g, stem)
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
