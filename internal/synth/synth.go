// Package synth generates a seeded synthetic news corpus for benchmarks:
// stories told by wire services and copied by outlets (verbatim, trimmed,
// spun, partly reused) next to independent reports of the same events.
// The same seed always gives the same corpus.
package synth

import (
	"fmt"
	"math/rand"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// Options tunes the generator. The zero value works.
type Options struct {
	Seed int64
	// Start is the first story's date; stories spread over a year.
	Start time.Time
}

// Generator produces articles story by story.
type Generator struct {
	r       *rand.Rand
	start   time.Time
	story   int
	pending []*model.Article
	outlets []string
}

// New returns a generator.
func New(opts Options) *Generator {
	if opts.Start.IsZero() {
		opts.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	g := &Generator{r: rand.New(rand.NewSource(opts.Seed)), start: opts.Start}
	for i := 0; i < 60; i++ {
		g.outlets = append(g.outlets, g.name(2)+" "+[]string{"Times", "Post", "Herald", "Daily", "Courier", "Observer"}[i%6])
	}
	return g
}

// Next returns the next article.
func (g *Generator) Next() *model.Article {
	for len(g.pending) == 0 {
		g.pending = g.newStory()
	}
	a := g.pending[0]
	g.pending = g.pending[1:]
	return a
}

var syllables = strings.Fields("ka lo mi ra den vor sel tam bri quo zan fel mor ti pa nek sha vul dor mes ri an tov ga lek ur is bel")

func (g *Generator) name(parts int) string {
	var b strings.Builder
	for i := 0; i < parts; i++ {
		b.WriteString(syllables[g.r.Intn(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

type cast struct {
	people, places, orgs []string
	nums                 []int
}

var (
	events    = strings.Fields("flood fire strike explosion landslide protest collapse outbreak")
	templates = []string{
		"A {event} in {place0} killed at least {n0} people and injured {n1} on {day}, officials said.",
		"{person0}, the head of the {org0}, said rescue teams had reached {n2} villages near {place1}.",
		"The {org1} said about {n3} residents had left their homes and were staying in schools and sports halls.",
		"\"We are doing everything we can,\" {person0} told reporters in {place0}.",
		"Roads between {place0} and {place1} were closed, and {n4} flights were cancelled at the regional airport.",
		"{person1}, a spokesman for the {org0}, said an investigation into the cause had begun.",
		"The government of {place2} released {n5} million in emergency funds, minister {person2} said.",
		"Forecasters expect conditions to improve over the next {n6} days, the {org1} said.",
	}
	features = []string{
		"Residents of {place1} described a night of fear as sirens sounded across the old town.",
		"Local shops stayed shut and volunteers handed out water and blankets outside the town hall.",
		"Engineers said the damage to the main bridge would take months to repair.",
		"Many families said they had nowhere else to go and would stay with relatives for now.",
		"Aid groups warned that supplies of clean water were running low in the camps.",
		"The mayor promised to rebuild the market before the end of the year.",
	}
	synonyms = map[string]string{"killed": "left dead", "injured": "wounded", "said": "stated", "residents": "inhabitants", "homes": "houses",
		"closed": "shut", "cancelled": "scrapped", "begun": "started", "released": "freed", "expect": "predict", "improve": "get better",
		"reached": "got to", "told": "informed", "reporters": "journalists", "officials": "authorities", "emergency": "crisis"}
)

func (g *Generator) fill(t string, c cast, ev string, day time.Time) string {
	repl := []string{"{event}", ev, "{day}", day.Weekday().String()}
	for i, p := range c.people {
		repl = append(repl, fmt.Sprintf("{person%d}", i), p)
	}
	for i, p := range c.places {
		repl = append(repl, fmt.Sprintf("{place%d}", i), p)
	}
	for i, o := range c.orgs {
		repl = append(repl, fmt.Sprintf("{org%d}", i), o)
	}
	for i, n := range c.nums {
		repl = append(repl, fmt.Sprintf("{n%d}", i), fmt.Sprint(n))
	}
	return strings.NewReplacer(repl...).Replace(t)
}

func (g *Generator) newStory() []*model.Article {
	g.story++
	day := g.start.Add(time.Duration(g.r.Intn(365*24)) * time.Hour)
	c := cast{}
	for i := 0; i < 3; i++ {
		c.people = append(c.people, g.name(2)+" "+g.name(3))
		c.places = append(c.places, g.name(3))
	}
	c.orgs = []string{g.name(2) + " Agency", g.name(2) + " Service"}
	for i := 0; i < 7; i++ {
		c.nums = append(c.nums, 2+g.r.Intn(5000))
	}
	ev := events[g.r.Intn(len(events))]
	wire := fmt.Sprintf("Wire %d", g.story%3)
	var sents []string
	for _, t := range templates {
		sents = append(sents, g.fill(t, c, ev, day))
	}
	wireText := strings.Join(sents, "\n\n")
	title := fmt.Sprintf("%s in %s kills %d", ev, c.places[0], c.nums[0])
	var out []*model.Article
	add := func(source, text string, after time.Duration) {
		pub := day.Add(after)
		key := fmt.Sprintf("synth:%d:%d", g.story, len(out))
		out = append(out, &model.Article{ID: model.ArticleID(key), Key: key, Source: source, Published: &pub, Language: "en", Title: title, Text: text})
	}
	add(wire, wireText+"\n\n("+wire+")", 0)
	copies := 2 + g.r.Intn(6)
	for i := 0; i < copies; i++ {
		outlet := g.outlets[g.r.Intn(len(g.outlets))]
		after := time.Duration(30+g.r.Intn(600)) * time.Minute
		switch g.r.Intn(5) {
		case 0: // verbatim, with the outlet's chrome
			add(outlet, wireText+"\n\n© "+wire, after)
		case 1: // trimmed
			add(outlet, strings.Join(sents[:5], "\n\n")+"\n\nvia "+wire, after)
		case 2: // spun
			spun := wireText
			for k, v := range synonyms {
				spun = strings.ReplaceAll(spun, " "+k+" ", " "+v+" ")
			}
			add(outlet, spun, after)
		case 3: // partial: two wire paragraphs inside a feature
			var f []string
			for _, t := range features {
				f = append(f, g.fill(t, c, ev, day))
			}
			add(outlet, strings.Join(append(f[:3], append([]string{sents[0], sents[2]}, f[3:]...)...), "\n\n"), after)
		default: // independent report of the same event
			var f []string
			for _, t := range features {
				f = append(f, g.fill(t, c, ev, day))
			}
			f = append(f, g.fill("{person0} said on {day} that the death toll stood at {n0}.", c, ev, day))
			add(outlet, strings.Join(f, "\n\n"), after)
		}
	}
	return out
}
