package geo

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Mention is a place named in a text, resolved.
type Mention struct {
	// Start and End are rune offsets into the text.
	Start, End int
	Text       string
	Place      *Place
}

type tok struct {
	text       string
	fold       string
	start, end int
	cap        bool
	comma      bool // a comma follows
	afterStop  bool // punctuation ends a sentence just before it
}

// tokenize splits text into words with rune offsets. Periods stay inside
// abbreviations ("U.S.", "La.") so they can be looked up.
func tokenize(rs []rune) []tok {
	var out []tok
	sentenceStart := true
	for i := 0; i < len(rs); {
		r := rs[i]
		if !unicode.IsLetter(r) {
			if strings.ContainsRune(".!?\n", r) {
				sentenceStart = true
			}
			if r == ',' && len(out) > 0 {
				out[len(out)-1].comma = true
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || (strings.ContainsRune("'’-", rs[j]) && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) ||
			(rs[j] == '.' && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) && j-i < 3)) {
			j++
		}
		// "U.S." and "La.": an abbreviation keeps its final period.
		if j < len(rs) && rs[j] == '.' && j-i <= 4 && unicode.IsUpper(rs[i]) && (strings.ContainsRune(string(rs[i:j]), '.') || j-i <= 4 && abbrev[strings.ToLower(string(rs[i:j]))+"."] != "") {
			j++
		}
		w := string(rs[i:j])
		// "Georgia's": the place without the possessive.
		for _, suf := range []string{"'s", "’s"} {
			if strings.HasSuffix(w, suf) {
				w = strings.TrimSuffix(w, suf)
				j -= 2
			}
		}
		out = append(out, tok{text: w, fold: Fold(w), start: i, end: j, cap: unicode.IsUpper(r), afterStop: sentenceStart})
		sentenceStart = false
		i = j
		if strings.HasSuffix(w, ".") && !strings.Contains(strings.TrimSuffix(w, "."), ".") && abbrev[strings.ToLower(w)] == "" {
			sentenceStart = true
		}
	}
	return out
}

// abbrev maps AP-style US state abbreviations to admin1 codes: "Alexandria,
// La." is in Louisiana.
var abbrev = map[string]string{
	"ala.": "AL", "ariz.": "AZ", "ark.": "AR", "calif.": "CA", "colo.": "CO", "conn.": "CT", "del.": "DE", "fla.": "FL",
	"ga.": "GA", "ill.": "IL", "ind.": "IN", "kan.": "KS", "ky.": "KY", "la.": "LA", "md.": "MD", "mass.": "MA",
	"mich.": "MI", "minn.": "MN", "miss.": "MS", "mo.": "MO", "mont.": "MT", "neb.": "NE", "nev.": "NV", "n.h.": "NH",
	"n.j.": "NJ", "n.m.": "NM", "n.y.": "NY", "n.c.": "NC", "n.d.": "ND", "okla.": "OK", "ore.": "OR", "pa.": "PA",
	"r.i.": "RI", "s.c.": "SC", "s.d.": "SD", "tenn.": "TN", "tex.": "TX", "vt.": "VT", "va.": "VA", "wash.": "WA",
	"w.va.": "WV", "wis.": "WI", "wyo.": "WY", "d.c.": "DC",
}

// notPlaces are capitalised words that name places only by accident.
var notPlaces = words.Set(strings.Fields(`the a an he she it they we i you his her their its this that these those there here
when where what who why how but and or if as at in on by for with from to after before while during since
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december mr mrs ms dr st mark will bill hope joy faith grace police court center centre
street road avenue university college school hospital church city county state republic north south east west
central new old great upper lower saint san santa mount lake river union victoria page bay time times post news
read said says click more home sports weather world national international president governor senator
one all another other several most many some council community day man we're were also only even just`)...)

// featureWords after a place make it part of an organisation's name
// ("Gainesville Police", "Hall County Sheriff"), which still names the place.
var featureWords = words.Set(strings.Fields(`police county city department sheriff school schools high college university
hospital council board fire airport regional memorial state court station district parish township`)...)

// mastheads follow a place in the names of newspapers and teams.
var mastheads = words.Set("post", "times", "herald", "journal", "tribune", "gazette", "globe", "star", "chronicle", "examiner", "inquirer", "courier", "observer", "telegraph", "independent", "guardian")

// demonym reports whether a word names a people ("Russian", "Americans").
func demonym(w string) bool {
	l := strings.TrimSuffix(strings.ToLower(w), "s")
	for _, suf := range []string{"ian", "ish", "ese", "ean", "ani", "iote", "ican", "i"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+3 && suf != "i" {
			return true
		}
	}
	if strings.HasSuffix(strings.ToLower(w), "ers") && len(w) > 6 {
		return true // "Londoners", "New Yorkers"
	}
	return l == "israeli" || l == "iraqi" || l == "pakistani" || l == "saudi" || l == "afghan" || l == "greek" || l == "dutch" || l == "french" || l == "thai"
}

// Parse finds and resolves the places a text names.
func (g *Gazetteer) Parse(text string) []Mention {
	rs := []rune(text)
	ts := tokenize(rs)
	// Surnames: the last word of capitalised pairs that are not places.
	people := map[string]bool{}
	for i := 0; i+1 < len(ts); i++ {
		if ts[i].cap && ts[i+1].cap && !ts[i].comma && !featureWords[ts[i+1].fold] && !placeWord(ts[i].fold) &&
			len(g.Lookup(ts[i].fold+" "+ts[i+1].fold)) == 0 && (i+2 >= len(ts) || !ts[i+2].cap) {
			people[ts[i+1].fold] = true
		}
	}
	type cand struct {
		from, to int
		name     string
		ids      []int32
		state    string // admin1 code given by "X, Ga." or "X, Georgia"
	}
	var cs []cand
	for i := 0; i < len(ts); i++ {
		if !ts[i].cap {
			continue
		}
		// The longest gazetteer name starting here, over capitalised
		// words and "of", "upon", "de" between them.
		found := false
		for n := min(g.maxWords, 5, len(ts)-i); n >= 1 && !found; n-- {
			span := ts[i : i+n]
			if !span[n-1].cap || n > 1 && span[n-2].comma {
				continue
			}
			parts := make([]string, n)
			for k, t := range span {
				parts[k] = t.fold
			}
			name := strings.Join(parts, " ")
			short := len([]rune(name)) < 3 && !strings.Contains(span[0].text, ".") && !(name == "us" || name == "uk")
			if n == 1 && (notPlaces[name] || short) || demonym(span[n-1].text) {
				continue
			}
			ids := g.Lookup(name)
			// State abbreviations stand for their state: "W.Va.", "S.C.".
			if code := abbrev[strings.ToLower(span[0].text)]; n == 1 && code != "" {
				if j, ok := g.admin1["US."+code]; ok {
					ids = []int32{j}
				}
			}
			if len(ids) == 0 {
				continue
			}
			major := false // a country or first-level division
			for _, j := range ids {
				major = major || g.Places[j].FCode == "PCLI" || g.Places[j].FCode == "ADM1" && Fold(g.Places[j].Name) == name
			}
			// "Washington Post", "New York Times": a place in a title.
			if i+n < len(ts) && ts[i+n].cap && mastheads[ts[i+n].fold] {
				break
			}
			if n == 1 && !major {
				// A single word inside a longer capitalised name that is
				// not a place ("Paris Hilton", "David Moore") is not a
				// place, unless the next word makes it an institution of
				// the place ("Gainesville Police").
				if i+1 < len(ts) && ts[i+1].cap && !ts[i].comma && !featureWords[ts[i+1].fold] {
					break
				}
				if i > 0 && ts[i-1].cap && !ts[i-1].comma && !ts[i].afterStop && !placeWord(ts[i-1].fold) && !notPlaces[ts[i-1].fold] {
					break
				}
				// A surname the text gives a person elsewhere.
				if people[name] {
					break
				}
				// A sentence-initial word is a place only if it is a big
				// one, by its own name ("Shipping" is an alternate name of
				// Siping).
				if ts[i].afterStop && (maxPop(g, ids) < 100000 || !primaryName(g, ids, name)) {
					break
				}
			}
			c := cand{from: i, to: i + n, ids: ids, name: name}
			// "Alexandria, La." / "Gainesville, Georgia"
			if span[n-1].comma && i+n < len(ts) {
				next := ts[i+n]
				if code := abbrev[strings.ToLower(next.text)]; code != "" {
					c.state = code
				} else if is := g.Lookup(next.fold); len(is) > 0 {
					for _, j := range is {
						if g.Places[j].FCode == "ADM1" {
							c.state = g.Places[j].Admin1
						}
					}
				}
			}
			cs = append(cs, c)
			found = true
			i += n - 1
		}
	}
	if len(cs) == 0 {
		return nil
	}
	// First pass: each name alone. Then the article's countries and
	// first-level divisions weigh on every name.
	var firstPicks []*Place // set after the first pass
	self := -1
	pick := func(c cand, ctxCountry, ctxAdmin map[string]float64) int32 {
		best, bestScore := int32(-1), math.Inf(-1)
		for _, j := range c.ids {
			p := &g.Places[j]
			s := math.Log10(float64(p.Population) + 10)
			switch {
			case p.FCode == "PCLI":
				s += 3
			case p.FCode == "ADM1" && Fold(p.Name) == c.name:
				s += 3
			case p.FCode == "PPLC" || p.FCode == "PPLA":
				s += 0.5
			case p.FCode == "ADM2" && Fold(p.Name) != c.name:
				s -= 1.5 // "Arlington" is the town before Arlington County
			}
			if c.state != "" && p.Country == "US" && p.Admin1 == c.state {
				s += 10
			}
			// The article's other places: same country, same state, and
			// near them (places a report names lie close together).
			cc, ca := ctxCountry[p.Country], ctxAdmin[p.Country+"."+p.Admin1]
			s += 15*cc*cc + 10*ca*ca // one stray mention is not a context
			if len(firstPicks) > 1 {
				near := 0
				for k, q := range firstPicks {
					if k != self && q.FCode != "PCLI" && DistanceKm(p.Lat, p.Lon, q.Lat, q.Lon) < 400 {
						near++
					}
				}
				s += 6 * float64(near) / float64(len(firstPicks)-1)
			}
			if s > bestScore {
				best, bestScore = j, s
			}
		}
		// "Kharkiv" is the city before the oblast named after it.
		if b := &g.Places[best]; b.FCode == "ADM1" || b.FCode == "ADM2" {
			for _, j := range c.ids {
				if p := &g.Places[j]; (p.FCode == "PPLA" || p.FCode == "PPLC") && p.Country == b.Country && p.Admin1 == b.Admin1 {
					return j
				}
			}
		}
		return best
	}
	first := make([]int32, len(cs))
	countries, admins := map[string]float64{}, map[string]float64{}
	for i, c := range cs {
		first[i] = pick(c, nil, nil)
		p := &g.Places[first[i]]
		countries[p.Country]++
		if p.FCode != "PCLI" {
			admins[p.Country+"."+p.Admin1]++
		}
	}
	for _, j := range first {
		firstPicks = append(firstPicks, &g.Places[j])
	}
	var out []Mention
	for i, c := range cs {
		self = i
		// The context of a name is the article's other names: leave its
		// own first guess out, or "Georgia" would vote for itself.
		p := &g.Places[first[i]]
		ctxC, ctxA := shares(countries, p.Country), shares(admins, "")
		if p.FCode != "PCLI" {
			ctxA = shares(admins, p.Country+"."+p.Admin1)
		}
		j := pick(c, ctxC, ctxA)
		q := g.Places[j]
		out = append(out, Mention{Start: ts[c.from].start, End: ts[c.to-1].end, Text: string(rs[ts[c.from].start:ts[c.to-1].end]), Place: &q})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func primaryName(g *Gazetteer, ids []int32, name string) bool {
	for _, j := range ids {
		if Fold(g.Places[j].Name) == name {
			return true
		}
	}
	return false
}

func maxPop(g *Gazetteer, ids []int32) int64 {
	var m int64
	for _, j := range ids {
		m = max(m, g.Places[j].Population)
	}
	return m
}

func placeWord(w string) bool {
	switch w {
	case "north", "south", "east", "west", "new", "upper", "lower", "greater", "central", "northern", "southern", "eastern", "western":
		return true
	}
	return false
}

// shares turns counts, less one for the key left out, into shares of all
// the other mentions.
func shares(m map[string]float64, leaveOut string) map[string]float64 {
	out := make(map[string]float64, len(m))
	total := 0.0
	for k, v := range m {
		if k == leaveOut {
			v--
		}
		out[k] = v
		total += v
	}
	if total <= 0 {
		return nil
	}
	for k, v := range out {
		out[k] = v / total
	}
	return out
}

// DistanceKm is the great-circle distance between two points.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
