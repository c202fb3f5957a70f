// Package geo finds the places articles name and resolves them to
// GeoNames entries: the embedded gazetteer (GeoNames cities500 with
// first- and second-level divisions and countries; CC BY 4.0,
// geonames.org), toponym recognition in text, and resolution by
// population, feature class and the article's other places.
package geo

//go:generate go run ./gen ../../data/geonames gazetteer.tsv.gz ../web/static/world.svg

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

//go:embed gazetteer.tsv.gz
var gazetteerGz []byte

// Place is one gazetteer entry.
type Place struct {
	ID         string // GeoNames ID, or "ADM1:US.OH", "PCLI:US" for divisions and countries
	Name       string
	Lat, Lon   float64
	Country    string // ISO 3166-1 alpha-2
	Admin1     string // GeoNames admin1 code
	Admin2     string
	FCode      string // GeoNames feature code: PPL…, ADM1, ADM2, PCLI
	Population int64
}

// Precision says how large a place is: a point, a region or a country.
func (p *Place) Precision() string {
	switch p.FCode {
	case "PCLI":
		return "country"
	case "ADM1", "ADM2":
		return "region"
	}
	return "point"
}

// GeonamesID is the numeric GeoNames ID, or 0 for entries crosscheck
// derives (divisions, countries).
func (p *Place) GeonamesID() int64 {
	id, _ := strconv.ParseInt(p.ID, 10, 64)
	return id
}

// Gazetteer indexes places by folded name and by transliteration
// skeleton.
type Gazetteer struct {
	Places  []Place
	byName  map[string][]int32
	bySkel  map[string][]int32
	admin1  map[string]int32 // "US.OH" → index
	country map[string]int32 // "US" → index
	// neighbours lists the countries each country borders.
	neighbours map[string][]string
	maxWords   int
}

var (
	loadOnce sync.Once
	loaded   *Gazetteer
	loadErr  error
)

// Default returns the embedded gazetteer, loading it on first use.
func Default() (*Gazetteer, error) {
	loadOnce.Do(func() { loaded, loadErr = Read(newReader()) })
	return loaded, loadErr
}

func newReader() *bytes.Reader { return bytes.NewReader(gazetteerGz) }

// Read parses a gazetteer file (gzip TSV written by internal/geo/gen).
func Read(r *bytes.Reader) (*Gazetteer, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g := &Gazetteer{byName: map[string][]int32{}, bySkel: map[string][]int32{}, admin1: map[string]int32{}, country: map[string]int32{}, neighbours: map[string][]string{}}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 11 {
			return nil, fmt.Errorf("gazetteer: line %q has %d fields, want 11", line, len(c))
		}
		lat, err1 := strconv.ParseFloat(c[2], 64)
		lon, err2 := strconv.ParseFloat(c[3], 64)
		pop, err3 := strconv.ParseInt(c[8], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("gazetteer: bad numbers in %q", line)
		}
		i := int32(len(g.Places))
		g.Places = append(g.Places, Place{ID: c[0], Name: c[1], Lat: lat, Lon: lon, Country: c[4], Admin1: c[5], Admin2: c[6], FCode: c[7], Population: pop})
		names := []string{c[1]}
		if c[9] != "" {
			names = append(names, strings.Split(c[9], "|")...)
		}
		for _, n := range names {
			k := Fold(n)
			if k == "" || contains32(g.byName[k], i) {
				continue
			}
			g.byName[k] = append(g.byName[k], i)
			g.maxWords = max(g.maxWords, strings.Count(k, " ")+1)
			if pop >= 1000 && !strings.Contains(k, " ") {
				s := Skeleton(k)
				if len(s) >= 4 && !contains32(g.bySkel[s], i) {
					g.bySkel[s] = append(g.bySkel[s], i)
				}
			}
		}
		switch c[7] {
		case "ADM1":
			g.admin1[c[4]+"."+c[5]] = i
		case "PCLI":
			g.country[c[4]] = i
			if c[10] != "" {
				g.neighbours[c[4]] = strings.Split(c[10], ",")
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	if len(g.Places) == 0 {
		return nil, fmt.Errorf("gazetteer: empty")
	}
	return g, nil
}

func contains32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Lookup returns the places a name may be: by exact folded name, else by
// transliteration skeleton (Sievierodonetsk for Shevyerodonetsk).
func (g *Gazetteer) Lookup(name string) []int32 {
	k := Fold(name)
	if is := g.byName[k]; len(is) > 0 {
		return is
	}
	// Transliteration variants: long words only, and only candidates of
	// about the same length ("Shevyerodonetsk", not "Another" → "Anthiyur").
	if !strings.Contains(k, " ") && len(k) >= 7 {
		var out []int32
		limit := int(math.Ceil(float64(len(k)) / 3.5))
		for _, i := range g.bySkel[Skeleton(k)] {
			if editDistance(k, Fold(g.Places[i].Name)) <= limit {
				out = append(out, i)
			}
		}
		return out
	}
	return nil
}

// Fold is how names are compared: lower case, no diacritics, apostrophes
// and periods dropped ("U.S." is "us"), single spaces.
func Fold(s string) string {
	if ascii(s) {
		s = strings.ToLower(s)
	} else {
		s = words.Fold(strings.ToLower(s))
	}
	s = foldPunct.Replace(s)
	if !strings.Contains(s, "  ") && !strings.HasPrefix(s, " ") && !strings.HasSuffix(s, " ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

var (
	foldPunct = strings.NewReplacer(".", "", "'", "", "’", "", "-", " ")
	skelRules = strings.NewReplacer("shch", "s", "sh", "s", "zh", "z", "kh", "h", "ch", "h", "ts", "c", "tz", "c", "ie", "e", "ye", "e")
)

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Skeleton is the transliteration key of a place name: sh/shch → s, ch →
// kh, zh → z, kh → h, ts → c, vowels and y dropped, doubles collapsed.
func Skeleton(s string) string {
	s = skelRules.Replace(Fold(s))
	var b strings.Builder
	var last rune
	for i, r := range s {
		if r == ' ' {
			continue
		}
		if i > 0 && strings.ContainsRune("aeiouy", r) {
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// editDistance is the Levenshtein distance between two strings, by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
