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

// contextNames bounds how many names on each side of a name, in text
// order, are its context: every name of an ordinary article, and the
// neighbours of one in a list of hundreds.
const contextNames = 60

// Parse finds and resolves the places a text names.
func (g *Gazetteer) Parse(text string) []Mention { return g.ParseWith(text, nil) }

// ParseWith is Parse for a text from a source whose earlier articles are
// summed up in prior (nil for none): a local paper's "Paris" is the Paris
// near its other places.
func (g *Gazetteer) ParseWith(text string, prior *Prior) []Mention {
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
			// "Washington state", "New York State": the state.
			if i+n < len(ts) && ts[i+n].fold == "state" && !span[n-1].comma {
				for _, j := range ids {
					if p := &g.Places[j]; p.FCode == "ADM1" && p.Country == "US" {
						c.state = p.Admin1
					}
				}
			}
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
	// A name keeps one sense in an article (unless a state qualifies
	// it), and its own mentions are not its context: five "Alexandria"s
	// do not vote for Egypt.
	type sense struct {
		c      cand
		spread []weighted // before context
		pick   int32      // -1 before the first round
	}
	var senses []*sense
	of := make([]*sense, len(cs))
	byKey := map[string]*sense{}
	for i, c := range cs {
		k := c.name + "|" + c.state
		if byKey[k] == nil {
			byKey[k] = &sense{c: c}
			senses = append(senses, byKey[k])
		}
		of[i] = byKey[k]
	}
	// First each name alone; then each against the article's other names
	// (their countries, first-level divisions and positions), again until
	// no sense changes: "Russia and Georgia" settles on two neighbouring
	// countries, not the state of Georgia and Russia, Ohio.
	for _, sn := range senses {
		sn.pick = -1
		sn.spread = g.spread(sn.c.ids, sn.c.name, sn.c.state)
	}
	for round := 0; round < 4; round++ {
		picks := make([]int32, len(senses))
		changed := false
		for i, sn := range senses {
			ctx := newContext(g, prior)
			seen := map[string]bool{sn.c.name: true}
			// The article's other names, or in a long list of places
			// the nearest ones in the text, so cost stays linear.
			for _, o := range senses[max(0, i-contextNames):min(len(senses), i+contextNames+1)] {
				if seen[o.c.name] {
					continue
				}
				seen[o.c.name] = true
				if o.pick < 0 {
					for _, x := range o.spread {
						ctx.add(&g.Places[x.j], x.w)
					}
				} else {
					ctx.add(&g.Places[o.pick], 1)
				}
			}
			picks[i] = g.pick(sn.c.ids, sn.c.name, sn.c.state, ctx)
			changed = changed || picks[i] != sn.pick
		}
		for i, sn := range senses {
			sn.pick = picks[i]
		}
		if !changed {
			break
		}
	}
	var out []Mention
	for i, c := range cs {
		q := g.Places[of[i].pick]
		out = append(out, Mention{Start: ts[c.from].start, End: ts[c.to-1].end, Text: string(rs[ts[c.from].start:ts[c.to-1].end]), Place: &q})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// context is what an article's other names, and its source's earlier
// articles, say about where it happens.
type context struct {
	countries, admins map[string]float64 // weights
	total, adminTotal float64
	points            []*Place // below country level
	prior             *Prior
}

func newContext(g *Gazetteer, prior *Prior) *context {
	return &context{countries: map[string]float64{}, admins: map[string]float64{}, prior: prior}
}

func (c *context) add(p *Place, w float64) {
	c.countries[p.Country] += w
	c.total += w
	if p.FCode != "PCLI" {
		c.admins[p.Country+"."+p.Admin1] += w
		c.adminTotal += w
		c.points = append(c.points, p)
	}
}

// pick chooses among the places a name may be: by population and
// feature class alone (ctx nil), or also by its context.
func (g *Gazetteer) pick(ids []int32, name, state string, ctx *context) int32 {
	capital := capitals(g, ids, name)
	best, bestScore := int32(-1), math.Inf(-1)
	for _, j := range ids {
		p := &g.Places[j]
		s := g.alone(p, name, state, capital)
		if ctx != nil {
			s += ctx.score(g, p)
		}
		if s > bestScore {
			best, bestScore = j, s
		}
	}
	// "Kharkiv" is the city before the oblast named after it.
	if b := &g.Places[best]; b.FCode == "ADM1" || b.FCode == "ADM2" {
		for _, j := range ids {
			if p := &g.Places[j]; (p.FCode == "PPLA" || p.FCode == "PPLC") && p.Country == b.Country && p.Admin1 == b.Admin1 {
				return j
			}
		}
	}
	return best
}

// capitals are the countries whose capital has this very name:
// "Washington" is the capital before the state of that name.
func capitals(g *Gazetteer, ids []int32, name string) map[string]bool {
	capital := map[string]bool{}
	for _, j := range ids {
		if p := &g.Places[j]; p.FCode == "PPLC" && Fold(p.Name) == name {
			capital[p.Country] = true
		}
	}
	return capital
}

// alone scores a place for a name without context: population, feature
// class, and the state given with it ("Alexandria, La.").
func (g *Gazetteer) alone(p *Place, name, state string, capital map[string]bool) float64 {
	s := math.Log10(float64(p.Population) + 10)
	switch {
	case p.FCode == "PCLI":
		s += 3
	case p.FCode == "ADM1" && Fold(p.Name) == name && !capital[p.Country]:
		s += 3
	case p.FCode == "PPLC" && capital[p.Country]:
		s += 3 // as well known as a state of its name
	case p.FCode == "PPLC" || p.FCode == "PPLA":
		s += 0.5
	case p.FCode == "ADM2" && Fold(p.Name) != name:
		s -= 1.5 // "Arlington" is the town before Arlington County
	}
	if state != "" && p.Country == "US" && p.Admin1 == state {
		s += 10
	}
	return s
}

type weighted struct {
	j int32
	w float64
}

// spread is what a name may be before context, as shares: a tenfold
// score difference per point, the unlikely ones dropped. Georgia is
// mostly the state, partly the country; Russia is the country.
func (g *Gazetteer) spread(ids []int32, name, state string) []weighted {
	capital := capitals(g, ids, name)
	scores := make([]float64, len(ids))
	top := math.Inf(-1)
	for i, j := range ids {
		scores[i] = g.alone(&g.Places[j], name, state, capital)
		top = max(top, scores[i])
	}
	var out []weighted
	sum := 0.0
	for i, j := range ids {
		if w := math.Pow(10, scores[i]-top); w >= 0.01 {
			out = append(out, weighted{j, w})
			sum += w
		}
	}
	for i := range out {
		out[i].w /= sum
	}
	return out
}

// score is how well a place fits its context: the same country and
// first-level division as the article's other places (squared, so one
// stray mention is not a context), a bordering country, and nearness.
func (c *context) score(g *Gazetteer, p *Place) float64 {
	var s float64
	if c.total > 0 {
		cc := c.countries[p.Country] / c.total
		nb := 0.0
		for _, n := range g.neighbours[p.Country] {
			nb += c.countries[n] / c.total
		}
		s += 15*cc*cc + 6*nb*nb
	}
	if c.adminTotal > 0 && p.FCode != "PCLI" {
		ca := c.admins[p.Country+"."+p.Admin1] / c.adminTotal
		s += 10 * ca * ca
	}
	if len(c.points) > 0 && p.FCode != "PCLI" {
		// Nearness fades linearly to nothing at 400 km.
		near := 0.0
		for _, q := range c.points {
			near += max(0, 1-DistanceKm(p.Lat, p.Lon, q.Lat, q.Lon)/400)
		}
		s += 6 * near / float64(len(c.points))
	}
	if c.prior != nil {
		s += c.prior.score(p)
	}
	return s
}

// Prior sums up where a source's earlier articles happened, by country
// and first-level division, so that a local outlet's unqualified names
// resolve near home. It is safe for one goroutine.
type Prior struct {
	countries, admins map[string]float64
	total, adminTotal float64
}

// NewPrior returns an empty prior.
func NewPrior() *Prior {
	return &Prior{countries: map[string]float64{}, admins: map[string]float64{}}
}

// Priors holds one Prior per source, made on first use.
type Priors map[string]*Prior

// For returns the source's prior, or nil (no prior) for no source.
func (ps Priors) For(source string) *Prior {
	if source == "" {
		return nil
	}
	if ps[source] == nil {
		ps[source] = NewPrior()
	}
	return ps[source]
}

// Learn adds an article's resolved places, each distinct place once. A
// nil Prior learns nothing.
func (pr *Prior) Learn(ms []Mention) {
	if pr == nil {
		return
	}
	seen := map[string]bool{}
	for _, m := range ms {
		p := m.Place
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		pr.Add(p)
	}
}

// Add counts one place: only its country, and its first-level division
// unless it is a country, matter.
func (pr *Prior) Add(p *Place) {
	pr.countries[p.Country]++
	pr.total++
	if p.FCode != "PCLI" {
		pr.admins[p.Country+"."+p.Admin1]++
		pr.adminTotal++
	}
}

func (pr *Prior) score(p *Place) float64 {
	var s float64
	if pr.total >= 5 {
		s += 3 * pr.countries[p.Country] / pr.total
	}
	if pr.adminTotal >= 5 && p.FCode != "PCLI" {
		s += 5 * pr.admins[p.Country+"."+p.Admin1] / pr.adminTotal
	}
	return s
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

// DistanceKm is the great-circle distance between two points.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
