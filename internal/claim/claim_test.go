package claim

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

var pub = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC) // a Saturday

func extract(text string) []model.Claim {
	return Extract(&model.Article{ID: "a", Text: text, Published: &pub})
}

func TestExtract(t *testing.T) {
	tests := []struct {
		text                   string
		quantity, kind, noun   string
		value                  float64
		low, high, attribution string // "" low/high: unbounded
	}{
		{"The floods killed at least 18 people, the governor said.", "at least 18", model.ClaimKilled, "people", 18, "18", "", "governor"},
		{"More than 200,000 reservists were called up.", "More than 200,000", model.ClaimTroops, "reservists", 200000, "200000", "", ""},
		{"Up to 300,000 could be mobilised, according to the ministry.", "", "", "", 0, "", "", ""},
		{"About 400 firefighters fought the fire.", "About 400", model.ClaimOther, "firefighters", 400, "360", "440", ""},
		{"Dozens were injured.", "Dozens", model.ClaimInjured, "", 24, "24", "99", ""},
		{"Readers cast 2.5 million votes.", "2.5 million", model.ClaimVotes, "votes", 2.5e6, "2500000", "2500000", ""},
		{"One person was killed, officials said.", "One", model.ClaimKilled, "person", 1, "1", "1", "officials"},
		{"Divers recovered two more bodies.", "two more", model.ClaimBodies, "bodies", 2, "2", "2", ""},
		{"Between 10 and 20 boats sank.", "10 and 20", model.ClaimOther, "boats", 10, "10", "20", ""},
		{"The death toll rose to 14 on Sunday, the coast guard said.", "14", model.ClaimKilled, "", 14, "14", "14", "coast guard"},
	}
	for _, tc := range tests {
		cs := extract(tc.text)
		if tc.quantity == "" {
			if len(cs) != 0 {
				t.Errorf("%q: claims %+v; want none (no counted noun)", tc.text, cs)
			}
			continue
		}
		if len(cs) != 1 {
			t.Errorf("%q: %d claims %+v; want 1", tc.text, len(cs), cs)
			continue
		}
		c := cs[0]
		if c.Quantity != tc.quantity || c.Kind != tc.kind || c.Noun != tc.noun || c.Value != tc.value ||
			num(c.Low) != tc.low || num(c.High) != tc.high || c.Attribution != tc.attribution {
			t.Errorf("%q:\n got %q %s %q %v [%s,%s] %q\nwant %q %s %q %v [%s,%s] %q", tc.text,
				c.Quantity, c.Kind, c.Noun, c.Value, num(c.Low), num(c.High), c.Attribution,
				tc.quantity, tc.kind, tc.noun, tc.value, tc.low, tc.high, tc.attribution)
		}
		if c.Sentence == "" || c.End <= c.Start || c.Article != "a" || !strings.HasPrefix(c.ID, "a-") {
			t.Errorf("%q: claim lacks its sentence or ID: %+v", tc.text, c)
		}
	}
}

func num(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// TestNotCounts: dates, times, ages, years, phone numbers, scores,
// addresses and measures are never claims; money and percentages are
// their own kinds, never casualties.
func TestNotCounts(t *testing.T) {
	for _, text := range []string{
		"Anna Berg, 68, left at 10:30 on 14 March.",
		"The 47-year-old driver was arrested.",
		"Call 555-123-4567 or write to 12 Harbour Road.",
		"The home side won 3-1.",
		"The bridge, built in 1932, reopened in March 2026.",
		"Winds reached force 8.",
		"He was born on March 3 and moved on the 21st.",
	} {
		if cs := extract(text); len(cs) != 0 {
			t.Errorf("%q: claims %+v; want none", text, cs)
		}
	}
	for text, kind := range map[string]string{
		"The firm lost $4.5 million, killing its plans.": model.ClaimMoney,
		"Turnout rose 7% as 12 people voted.":            model.ClaimPercent,
	} {
		cs := extract(text)
		if len(cs) == 0 || cs[0].Kind != kind || model.Casualty(cs[0].Kind) {
			t.Errorf("%q: %+v; want first claim of kind %s", text, cs, kind)
		}
	}
	// A range is parsed, never mangled into two counts or a negative one.
	cs := extract("Between 10-20 tanks were lost.")
	if len(cs) != 1 || num(cs[0].Low) != "10" || num(cs[0].High) != "20" {
		t.Errorf("range: %+v", cs)
	}
}

func TestWhen(t *testing.T) {
	cs := extract("Twelve people died on Thursday. Three more were killed yesterday. Five were injured.")
	want := []string{"2026-03-12", "2026-03-13", "2026-03-14"}
	if len(cs) != 3 {
		t.Fatalf("claims %+v", cs)
	}
	for i, c := range cs {
		if c.When == nil || c.When.Format("2006-01-02") != want[i] {
			t.Errorf("claim %d (%q) dated %v; want %s", i, c.Sentence, c.When, want[i])
		}
	}
	if cs := Extract(&model.Article{ID: "u", Text: "Twelve people died."}); len(cs) != 1 || cs[0].When != nil {
		t.Errorf("undated article: %+v", cs)
	}
}

func art(id, source, lineage string, hour int, text string) *model.Article {
	p := pub.Add(time.Duration(hour) * time.Hour)
	return &model.Article{ID: id, Source: source, Lineage: lineage, Published: &p, Text: text}
}

func sheet(arts ...*model.Article) map[string]Group {
	var cs []model.Claim
	for _, a := range arts {
		cs = append(cs, Extract(a)...)
	}
	out := map[string]Group{}
	for _, g := range FactSheet(1, arts, cs, nil).Groups {
		out[g.Kind+"/"+g.Noun] = g
	}
	return out
}

func TestGroupStatus(t *testing.T) {
	wire := art("w", "Wire", "w", 0, "The floods killed at least 12 people, officials said. The bridge carried 86 passengers.")
	copyOf := art("c", "Portal", "w", 1, "The floods killed at least 12 people, officials said. The bridge carried 86 passengers.")
	local := art("l", "Local", "l", 2, "Twelve people were killed in the floods.")
	tabloid := art("t", "Tabloid", "t", 3, "Twenty people died in the floods.")
	update := art("u", "Wire", "u", 30, "The death toll rose to 25.")

	gs := sheet(wire, copyOf, local)
	if g := gs["killed/"]; g.Status != Corroborated || g.IndependentSources != 2 {
		t.Errorf("at least 12 and 12 from two lineages: %s (%d) %s", g.Status, g.IndependentSources, g.Rule)
	}
	if g := gs["other/passenger"]; g.Status != SingleSource || len(g.Claims) != 2 || !strings.Contains(g.Rule, "copies") {
		t.Errorf("a figure repeated by a copy: %s, %d claims, %q", g.Status, len(g.Claims), g.Rule)
	}
	// One outlet's two reports, neither a copy of the other, repeat it.
	evening := art("e", "Local", "e", 9, "Twelve people are now known to have died in the floods.")
	gs = sheet(local, evening)
	if g := gs["killed/"]; g.Status != SingleSource || g.IndependentSources != 2 || !strings.Contains(g.Rule, "one outlet (Local): 2 of its reports") {
		t.Errorf("12 twice from one outlet: %s (%d) %q; want single-source, the outlet named", g.Status, g.IndependentSources, g.Rule)
	}
	if g := sheet(local, evening, wire)["killed/"]; g.Status != Corroborated || !strings.Contains(g.Rule, "3 independent lineages") {
		t.Errorf("12 from one outlet twice and from the wire: %s %q; want corroborated by 3 lineages", g.Status, g.Rule)
	}
	// Articles without a source name are not taken for one outlet.
	anon1, anon2 := art("a1", "", "a1", 0, "Twelve people died in the floods."), art("a2", "", "a2", 1, "The floods killed 12 people.")
	if g := sheet(anon1, anon2)["killed/"]; g.Status != Corroborated {
		t.Errorf("12 from two unnamed sources: %s %q; want corroborated", g.Status, g.Rule)
	}
	gs = sheet(wire, local, tabloid)
	if g := gs["killed/"]; g.Status != Conflicting || !strings.Contains(g.Rule, "Twenty") {
		t.Errorf("12 vs 20 within hours: %s %q", g.Status, g.Rule)
	}
	gs = sheet(wire, local, update)
	if g := gs["killed/"]; g.Status != Updated {
		t.Errorf("25 a day later, saying the toll rose: %s %q", g.Status, g.Rule)
	}
	// What only one report states is its addition.
	sh := FactSheet(1, []*model.Article{wire, local}, append(Extract(wire), Extract(local)...), nil)
	if adds := sh.Unique["w"]; len(adds) != 1 || adds[0].Noun != "passenger" {
		t.Errorf("wire adds %+v; want the passenger count", adds)
	}
	// A figure repeated across a partial copy is not a second source.
	partial := art("p", "Paper", "p", 2, "The floods killed at least 12 people, officials said.")
	links := []model.Derivation{{From: "w", To: "p", Kind: model.KindPartial}}
	cs := append(Extract(wire), Extract(partial)...)
	for _, g := range FactSheet(1, []*model.Article{wire, partial}, cs, links).Groups {
		if g.Kind == model.ClaimKilled && g.Status != SingleSource {
			t.Errorf("a figure copied by a partial copy: %s", g.Status)
		}
	}
}

// TestGroupsSplitByTime: the same kind of count days apart is another
// incident, not a conflict.
func TestGroupsSplitByTime(t *testing.T) {
	a := art("a", "A", "a", 0, "One person was killed in the strike, the governor said.")
	b := art("b", "B", "b", 24*6, "Three people were killed in the strike, the governor said.")
	gs := FactSheet(1, []*model.Article{a, b}, append(Extract(a), Extract(b)...), nil).Groups
	if len(gs) != 2 || gs[0].Status != SingleSource || gs[1].Status != SingleSource || gs[0].ID == gs[1].ID {
		t.Errorf("counts six days apart: %+v", gs)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"At least 12 people were killed, police said.", "Between 10-20 tanks; $5m; 7%; 3-1; 555-123-4567",
		"Tens of thousands of protesters", "zeker 12 mensen", "1.2.3.4 ,,, 10:30 — 1e9", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := len([]rune(s))
		for _, c := range Extract(&model.Article{ID: "f", Text: s, Published: &pub}) {
			if c.Start < 0 || c.End > n || c.Start >= c.End || c.Low != nil && c.High != nil && *c.Low > *c.High {
				t.Fatalf("claim %+v out of range or with inverted bounds", c)
			}
		}
	})
}
