package claim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// Group statuses.
const (
	Corroborated = "corroborated"  // two or more independent lineages agree
	SingleSource = "single-source" // one lineage, however many copies
	Conflicting  = "conflicting"   // independent lineages state incompatible values
	Updated      = "updated"       // the value rose over time, without conflict
)

// updateGap is how much later a higher count must come to read as the
// count rising rather than as a disagreement, unless it says it rose.
const updateGap = 2 * time.Hour

// risingWords reports whether a sentence says a count rose.
func risingWords(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"rose to", "risen to", "climbed to", "increased to", "jumped to", "now stands", "has risen", "gestegen", "opgelopen"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Sourced is a claim with the article it comes from.
type Sourced struct {
	model.Claim
	Lineage   string
	Source    string
	Published *time.Time
}

// Value is one value a group's claims state, with who states it.
type Value struct {
	Value     float64  `json:"value"`
	Low       *float64 `json:"low"`
	High      *float64 `json:"high"`
	Quantity  string   `json:"quantity"`
	Lineages  []string `json:"lineages"`
	Sources   []string `json:"sources"`
	Claims    []string `json:"claims"`
	first     time.Time
	published time.Time
	rising    bool // a claim says the count rose ("rose to 14")
}

// Relation is a pair of values of a group and how they relate.
type Relation struct {
	Kind   string `json:"kind"` // "conflict" or "update"
	From   int    `json:"from"` // index into Values: the earlier
	To     int    `json:"to"`
	Reason string `json:"reason"`
}

// Group is a story's claims about one thing: one kind of count (and for
// other counts, one noun).
type Group struct {
	ID     string
	Story  int64
	Kind   string
	Noun   string
	Claims []Sourced
	Values []Value
	// Status and the rule that decided it, in words.
	Status string
	Rule   string
	// IndependentSources is the number of lineages stating the group's
	// values.
	IndependentSources int
	Relations          []Relation
	// Computed is the status the rules gave when an analyst has
	// overridden it ("" otherwise).
	Computed string
}

// Statuses lists the statuses a group can have.
var Statuses = []string{Conflicting, Updated, Corroborated, SingleSource}

// Override applies analysts' verdicts to a fact sheet: a group's status
// becomes theirs, its rule says who and why, and the computed status is
// kept. Overrides of groups no longer in the sheet are ignored.
func (s *Sheet) Override(os []model.ClaimOverride) {
	by := map[string]model.ClaimOverride{}
	for _, o := range os {
		by[o.Group] = o
	}
	apply := func(g *Group) {
		o, ok := by[g.ID]
		if !ok || o.Status == g.Status && g.Computed != "" {
			return
		}
		if g.Computed == "" {
			g.Computed = g.Status
		}
		g.Status = o.Status
		g.Rule = fmt.Sprintf("set by %s (the rules said %s)", o.Who, g.Computed)
		if o.Why != "" {
			g.Rule += ": " + o.Why
		}
	}
	for i := range s.Groups {
		apply(&s.Groups[i])
	}
	for _, gs := range s.Unique {
		for i := range gs {
			apply(&gs[i])
		}
	}
	// Conflicts first still.
	sort.SliceStable(s.Groups, func(i, j int) bool {
		return rank(s.Groups[i]) < rank(s.Groups[j])
	})
}

// key is what makes two claims of a story about the same thing.
func key(c model.Claim) (kind, noun string) {
	if strings.HasSuffix(c.Quantity, " more") || strings.HasPrefix(strings.ToLower(c.Quantity), "another") {
		return c.Kind, "additional"
	}
	switch c.Kind {
	case model.ClaimOther:
		return c.Kind, singular(c.Noun)
	case model.ClaimMoney, model.ClaimPercent:
		return c.Kind, ""
	}
	return c.Kind, ""
}

func singular(n string) string {
	switch {
	case strings.HasSuffix(n, "ies"):
		return strings.TrimSuffix(n, "ies") + "y"
	case strings.HasSuffix(n, "s") && !strings.HasSuffix(n, "ss"):
		return strings.TrimSuffix(n, "s")
	}
	return n
}

// Groups groups a story's claims and decides each group's status.
// Percentages and money are grouped but only compared when they count
// the same thing, which this does not yet know; they are left as
// single-source or corroborated, never in conflict.
func Groups(story int64, claims []Sourced) []Group {
	byKey := map[[2]string][]Sourced{}
	var order [][2]string
	for _, c := range claims {
		k, n := key(c.Claim)
		kk := [2]string{k, n}
		if _, ok := byKey[kk]; !ok {
			order = append(order, kk)
		}
		byKey[kk] = append(byKey[kk], c)
	}
	var out []Group
	for _, kk := range order {
		for i, part := range splitByTime(byKey[kk]) {
			id := groupID(story, kk[0], kk[1])
			if i > 0 {
				id += "-" + stamp(part[0]).Format("2006-01-02")
			}
			g := &Group{ID: id, Story: story, Kind: kk[0], Noun: kk[1], Claims: part}
			decide(g)
			out = append(out, *g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// groupGap is the silence that separates two groups of one kind within a
// story: counts more than this many days apart are about different
// incidents (a strike on Monday, another on Friday).
const groupGap = 3 * 24 * time.Hour

// splitByTime cuts a kind's claims where the days they are about leave a
// gap longer than groupGap. Undated claims stay with the first part.
func splitByTime(cs []Sourced) [][]Sourced {
	sort.SliceStable(cs, func(i, j int) bool { return stamp(cs[i]).Before(stamp(cs[j])) })
	var parts [][]Sourced
	var last time.Time
	for _, c := range cs {
		t := stamp(c)
		if len(parts) == 0 || !t.IsZero() && !last.IsZero() && t.Sub(last) > groupGap {
			parts = append(parts, nil)
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], c)
		if !t.IsZero() {
			last = t
		}
	}
	return parts
}

func groupID(story int64, kind, noun string) string {
	id := strconv.FormatInt(story, 10) + "-" + kind
	if noun != "" {
		id += "-" + noun
	}
	return id
}

// rank orders a fact sheet: conflicts first, then updates, corroborated
// facts, and single-source ones.
func rank(g Group) int {
	switch g.Status {
	case Conflicting:
		return 0
	case Updated:
		return 1
	case Corroborated:
		return 2
	}
	return 3
}

// decide merges the group's claims into values (one per distinct
// interval), relates values from different lineages, and sets the status.
func decide(g *Group) {
	idx := map[string]int{}
	for _, c := range g.Claims {
		k := bounds(c.Low) + ".." + bounds(c.High)
		i, ok := idx[k]
		if !ok {
			i = len(g.Values)
			idx[k] = i
			g.Values = append(g.Values, Value{Value: c.Value, Low: c.Low, High: c.High, Quantity: c.Quantity})
		}
		v := &g.Values[i]
		v.Claims = append(v.Claims, c.ID)
		if !contains(v.Lineages, c.Lineage) {
			v.Lineages = append(v.Lineages, c.Lineage)
		}
		if c.Source != "" && !contains(v.Sources, c.Source) {
			v.Sources = append(v.Sources, c.Source)
		}
		v.rising = v.rising || risingWords(c.Sentence)
		t := stamp(c)
		if v.first.IsZero() || t.Before(v.first) {
			v.first = t
		}
		if c.Published != nil && (v.published.IsZero() || c.Published.Before(v.published)) {
			v.published = *c.Published
		}
	}
	sort.SliceStable(g.Values, func(i, j int) bool {
		a, b := g.Values[i], g.Values[j]
		if !a.published.Equal(b.published) {
			return a.published.Before(b.published)
		}
		return a.first.Before(b.first)
	})
	lineages := map[string]bool{}
	for _, v := range g.Values {
		for _, l := range v.Lineages {
			lineages[l] = true
		}
	}
	g.IndependentSources = len(lineages)
	comparable := g.Kind != model.ClaimMoney && g.Kind != model.ClaimPercent
	for i := 0; comparable && i < len(g.Values); i++ {
		for j := i + 1; j < len(g.Values); j++ {
			a, b := g.Values[i], g.Values[j]
			if overlap(a, b) || !disjointLineages(a, b) {
				continue
			}
			later, earlier := b, a
			if earlier.published.After(later.published) {
				later, earlier = a, b
			}
			from, to := i, j
			if later.Value == a.Value && later.Quantity == a.Quantity {
				from, to = j, i
			}
			if sameSource(later, earlier) && later.published.After(earlier.published) {
				g.Relations = append(g.Relations, Relation{Kind: "update", From: from, To: to,
					Reason: fmt.Sprintf("%s revises its own figure: %s, then %s (%s)", join2(later.Sources), earlier.Quantity, later.Quantity, day(later))})
				continue
			}
			if later.Value > earlier.Value && lower(later) >= upper(earlier) &&
				(later.rising || !later.published.Before(earlier.published.Add(updateGap))) {
				g.Relations = append(g.Relations, Relation{Kind: "update", From: from, To: to,
					Reason: fmt.Sprintf("%s (%s) later gives %s, higher than %s (%s): a rising count", join2(later.Sources), day(later), later.Quantity, earlier.Quantity, join2(earlier.Sources))})
				continue
			}
			g.Relations = append(g.Relations, Relation{Kind: "conflict", From: from, To: to,
				Reason: fmt.Sprintf("%s says %s (%s), %s says %s (%s)", join2(earlier.Sources), earlier.Quantity, day(earlier), join2(later.Sources), later.Quantity, day(later))})
		}
	}
	// Corroboration needs two lineages that are not one outlet's: an
	// outlet's reports that are not copies of each other (a morning and
	// an evening story) repeat the outlet, they do not confirm it.
	agreeing, alone, outlet := 0, 0, ""
	for _, v := range g.Values {
		lineages, outlets := agreement(g.Claims, v)
		if len(outlets) >= 2 {
			agreeing = max(agreeing, lineages)
		} else if lineages >= 2 && lineages > alone {
			alone, outlet = lineages, outlets[0]
		}
	}
	switch {
	case hasRelation(g.Relations, "conflict"):
		g.Status = Conflicting
		var rs []string
		for i := len(g.Relations) - 1; i >= 0; i-- { // the latest disagreement first
			if r := g.Relations[i]; r.Kind == "conflict" {
				rs = append(rs, r.Reason)
			}
		}
		g.Rule = "conflict: " + strings.Join(rs, "; ")
	case hasRelation(g.Relations, "update"):
		g.Status = Updated
		g.Rule = "update: " + g.Relations[0].Reason
	case agreeing >= 2:
		g.Status = Corroborated
		g.Rule = fmt.Sprintf("%d independent lineages state compatible values", agreeing)
	case alone >= 2:
		g.Status = SingleSource
		g.Rule = fmt.Sprintf("one outlet (%s): %d of its reports that are not copies of each other state compatible values; an outlet repeating itself does not corroborate", outlet, alone)
	default:
		g.Status = SingleSource
		n := len(g.Claims)
		g.Rule = fmt.Sprintf("one lineage (%s)", join2(g.Values[0].Sources))
		if n > 1 {
			g.Rule += fmt.Sprintf(", stated %d times by it and its copies", n)
		}
	}
}

// agreement counts the lineages of the claims whose values are
// compatible with v, and lists the outlets they come from. A
// claim from an article without a source name counts as an outlet of
// its own lineage: nothing says it is not independent.
func agreement(cs []Sourced, v Value) (lineages int, outlets []string) {
	ls, os := map[string]bool{}, map[string]bool{}
	for _, c := range cs {
		w := Value{Low: c.Low, High: c.High}
		if !overlap(v, w) {
			continue
		}
		ls[c.Lineage] = true
		if c.Source != "" {
			os[c.Source] = true
		} else {
			os["\x00"+c.Lineage] = true
		}
	}
	for o := range os {
		outlets = append(outlets, o)
	}
	return len(ls), outlets
}

func overlap(a, b Value) bool { return lower(a) <= upper(b) && lower(b) <= upper(a) }

func lower(v Value) float64 {
	if v.Low == nil {
		return -1e18
	}
	return *v.Low
}

func upper(v Value) float64 {
	if v.High == nil {
		return 1e18
	}
	return *v.High
}

// sameSource reports whether two values come from one outlet alone.
func sameSource(a, b Value) bool {
	return len(a.Sources) == 1 && contains(b.Sources, a.Sources[0]) ||
		len(b.Sources) == 1 && contains(a.Sources, b.Sources[0])
}

func disjointLineages(a, b Value) bool {
	for _, l := range a.Lineages {
		if contains(b.Lineages, l) {
			return false
		}
	}
	return true
}

func hasRelation(rs []Relation, kind string) bool {
	for _, r := range rs {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

func bounds(x *float64) string {
	if x == nil {
		return "∞"
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

func stamp(c Sourced) time.Time {
	if c.When != nil {
		return *c.When
	}
	if c.Published != nil {
		return *c.Published
	}
	return time.Time{}
}

func day(v Value) string {
	if v.published.IsZero() {
		return "undated"
	}
	return v.published.UTC().Format("2 Jan 15:04")
}

func join2(ss []string) string {
	if len(ss) == 0 {
		return "unknown source"
	}
	return strings.Join(ss, ", ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Unique returns, per lineage, the groups only it states: what each
// independent report adds.
func Unique(groups []Group) map[string][]Group {
	out := map[string][]Group{}
	for _, g := range groups {
		if g.IndependentSources == 1 && len(g.Values) > 0 {
			l := g.Values[0].Lineages[0]
			out[l] = append(out[l], g)
		}
	}
	return out
}

// Sheet is a story's fact sheet: its claim groups, conflicts first, and
// what each independent report alone adds.
type Sheet struct {
	Groups []Group
	// Unique lists, per lineage ID, the groups only that lineage states.
	Unique map[string][]Group
}

// FactSheet groups a story's claims, each attributed to its article's
// lineage and outlet. links are the copy links touching the story's
// articles: a figure an article shares with one it partly copies is
// counted as copied, not as a second independent source.
func FactSheet(story int64, arts []*model.Article, claims []model.Claim, links []model.Derivation) Sheet {
	by := make(map[string]*model.Article, len(arts))
	for _, a := range arts {
		by[a.ID] = a
	}
	var sourced []Sourced
	for _, c := range claims {
		a := by[c.Article]
		if a == nil {
			continue
		}
		lin := a.Lineage
		if lin == "" {
			lin = a.ID
		}
		sourced = append(sourced, Sourced{Claim: c, Lineage: lin, Source: a.Source, Published: a.Published})
	}
	// Which articles each is linked to, and where each article's claims
	// are: only claims of linked articles are compared (in the order of
	// every pair, as the rule below depends on it).
	neighbours := map[string]map[string]bool{}
	for _, d := range links {
		for _, p := range [][2]string{{d.From, d.To}, {d.To, d.From}} {
			if neighbours[p[0]] == nil {
				neighbours[p[0]] = map[string]bool{}
			}
			neighbours[p[0]][p[1]] = true
		}
	}
	claimsOf := map[string][]int{}
	for i, c := range sourced {
		claimsOf[c.Article] = append(claimsOf[c.Article], i)
	}
	// A figure repeated across a partial copy keeps the lineage of the
	// earlier article.
	for i := range sourced {
		var js []int
		for n := range neighbours[sourced[i].Article] {
			js = append(js, claimsOf[n]...)
		}
		sort.Ints(js)
		for _, j := range js {
			a, b := &sourced[i], &sourced[j]
			if a.Lineage == b.Lineage || a.Kind != b.Kind ||
				bounds(a.Low) != bounds(b.Low) || bounds(a.High) != bounds(b.High) {
				continue
			}
			if a.Published != nil && b.Published != nil && b.Published.Before(*a.Published) {
				a.Lineage = b.Lineage
			}
		}
	}
	gs := Groups(story, sourced)
	return Sheet{Groups: gs, Unique: Unique(gs)}
}
