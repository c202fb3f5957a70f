// Package entity finds the people, organisations and places articles
// name, with the roles they are given ("Kharkiv Governor Oleh
// Syniehubov"), and resolves spellings across articles and languages to
// one entity: Zelensky, Zelenskiy, Zelinsky and Volodymyr Zelensky are one
// person; Gaidai and Haidai one; a surname alone is the full name the same
// story gives.
package entity

import (
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// titles are words that, capitalised before a name, give a role:
// "Governor Oleh Syniehubov", "President Zelensky".
var titles = words.Set(strings.Fields(`president governor minister premier chancellor mayor general colonel captain commander
spokesman spokeswoman spokesperson secretary senator ambassador judge prosecutor chief director chairman chairwoman
king queen prince princess pope bishop sheikh emir dr mr mrs ms sir lord lady prime deputy foreign defence defense
interior health finance justice foreign-minister head leader officer inspector sergeant lieutenant admiral coach
burgemeester minister-president`)...)

// roleWords end a lowercase role before a name: "coast guard spokesman
// Nikos Alexiou", "regional governor Stratos Lianos".
var roleWords = words.Set(strings.Fields(`spokesman spokeswoman spokesperson governor minister president mayor official
director chief commander captain head secretary ambassador prosecutor judge leader analyst professor researcher
economist correspondent reporter editor founder owner chairman chairwoman officer adviser advisor machinist driver
bestuurder woordvoerder kraanmachinist`)...)

// sayWords end a role on the left: "said coast guard spokesman X".
var sayWords = words.Set("said", "says", "told", "added", "according", "zei", "zegt", "aldus", "volgens", "meldde")

// orgWords mark a name as an organisation.
var orgWords = words.Set(strings.Fields(`ministry agency guard police union council party bank hospital authority authorities
service services corporation company inc ltd plc group army navy force forces court commission parliament
university institute office department committee association federation organisation organization foundation
coalition alliance press wire news times post herald daily courier observer ledger digest signal today fnv nato
lines airlines airways shipping railways telecom motors
un eu kremlin pentagon government bureau centre center club school church cabinet senate assembly`)...)

// placePreps come before places.
var placePreps = words.Set("in", "near", "off", "at", "outside", "across", "from", "to", "into", "towards", "bij", "nabij", "naar", "uit")

// connectors may join the words of a name: "Bank of England", "Van der Berg".
var connectors = words.Set("of", "de", "van", "der", "den", "von", "al", "bin", "la", "le", "du", "del", "da", "di", "y")

// notNames are capitalised words that are not names on their own.
var notNames = words.Set(strings.Fields(`the a an he she it they we i you his her their its this that these those there here
when where what who why how but and or if as at in on by for with from to after before while during since
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december mr mrs ms dr de het een die dat bij op met voor naar volgens ook nog
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
nineteen twenty thirty forty fifty hundred thousand dozens hundreds thousands`)...)

type tok struct {
	text       string
	start, end int // rune offsets in the article text
	cap        bool
	punct      bool // punctuation stands between it and the word before
}

// Extract finds the named mentions of an article.
func Extract(a *model.Article) []model.NameMention {
	rs := []rune(a.Text)
	mid := midCapitals(rs)
	skel := map[string]bool{}
	for w := range mid {
		skel[Skeleton(w)] = true
	}
	var out []model.NameMention
	for _, sp := range words.Sentences(a.Text) {
		ts := tokens(rs, sp[0], sp[1])
		for i := 0; i < len(ts); i++ {
			if !ts[i].cap || notNames[strings.ToLower(ts[i].text)] && !titles[strings.ToLower(ts[i].text)] {
				continue
			}
			// A name runs over capitalised words and connectors between them.
			j := i + 1
			for j < len(ts) && !ts[j].punct && (ts[j].cap || connectors[strings.ToLower(ts[j].text)] && j+1 < len(ts) && ts[j+1].cap && !ts[j+1].punct) {
				j++
			}
			run := ts[i:j]
			// Sentence-initial: a name only if capitalised mid-sentence
			// elsewhere, or followed by another capitalised word.
			textStart := run[0].start == 0 && allCaps(run[0].text) // a dateline
			if i == 0 && len(run) == 1 && !mid[strings.ToLower(run[0].text)] && !skel[Skeleton(run[0].text)] && !textStart {
				i = j - 1
				continue
			}
			if m, roleStart, ok := mention(ts, i, run); ok {
				// Words taken into a role are not names of their own:
				// "Coast guard spokesman Nikos Alexiou".
				for len(out) > 0 && out[len(out)-1].Start >= roleStart {
					out = out[:len(out)-1]
				}
				out = append(out, m)
			}
			i = j - 1
		}
	}
	return out
}

// mention turns a capitalised run into a mention: role split off, type
// decided.
func mention(ts []tok, i int, run []tok) (model.NameMention, int, bool) {
	// Titles inside the run are the role: "Kharkiv Governor Oleh
	// Syniehubov" → role "Kharkiv Governor".
	cut := -1
	for k, t := range run[:len(run)-1] {
		if titles[strings.ToLower(t.text)] {
			cut = k
		}
	}
	role := ""
	roleStart := run[0].start
	if cut >= 0 {
		role = joinToks(run[:cut+1])
		run = run[cut+1:]
	}
	// A role just before: "coast guard spokesman Nikos Alexiou",
	// "Kremlin spokesman Dmitry Peskov".
	if role == "" && i > 0 && roleWords[strings.ToLower(ts[i-1].text)] && !ts[i].punct {
		k := i - 1
		for k > 0 && !ts[k].punct && !words.Stopwords[strings.ToLower(ts[k-1].text)] && !sayWords[strings.ToLower(ts[k-1].text)] && len([]rune(ts[k-1].text)) > 2 && i-k < 4 {
			k--
		}
		role = joinToks(ts[k:i])
		roleStart = ts[k].start
	}
	for len(run) > 0 && notNames[strings.ToLower(run[0].text)] {
		run = run[1:]
	}
	if len(run) == 0 {
		return model.NameMention{}, 0, false
	}
	name := joinToks(run)
	if len([]rune(name)) < 2 || len(run) == 1 && demonym(run[0].text) {
		return model.NameMention{}, 0, false
	}
	dateline := allCaps(name) && (len([]rune(name)) > 5 || run[0].start == 0)
	if dateline {
		name = titleCase(name) // a dateline: "MYTILENE" is Mytilene
	}
	m := model.NameMention{Name: name, Role: role, Start: run[0].start, End: run[len(run)-1].end}
	m.Type = classify(ts, i, run, role)
	if dateline && len(run) == 1 {
		m.Type = model.EntityPlace
	}
	m.Key = Key(m.Name, m.Type)
	return m, roleStart, true
}

// demonym reports whether a word names a people or language rather than
// a place or person: "Greek island", "Turkish coast", "Dutch port".
func demonym(w string) bool {
	l := strings.ToLower(w)
	if words.Set("greek", "dutch", "french", "thai", "swiss", "czech", "welsh", "scots", "irish", "british", "english")[l] {
		return true
	}
	for _, suf := range []string{"ish", "ian", "ese", "ean", "ic", "ani", "iote", "se", "sche"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf)+2 {
			return true
		}
	}
	return false
}

// classify decides the type of a name from its words and its context.
func classify(ts []tok, i int, run []tok, role string) string {
	for _, t := range run {
		if orgWords[strings.ToLower(t.text)] {
			return model.EntityOrg
		}
	}
	if len(run) == 1 && isAcronym(run[0].text) {
		return model.EntityOrg
	}
	if role != "" {
		return model.EntityPerson
	}
	prev := ""
	if i > 0 {
		prev = strings.ToLower(ts[i-1].text)
	}
	if placePreps[prev] || prev == "the" && i > 1 && placePreps[strings.ToLower(ts[i-2].text)] {
		return model.EntityPlace
	}
	// "the Agia Marina": people are not named with an article.
	if prev == "the" || prev == "de" || prev == "het" {
		return model.EntityOther
	}
	// "LYMAN, Ukraine": a dateline or "Town, Country" pair.
	if len(run) >= 2 {
		return model.EntityPerson
	}
	return model.EntityPlace
}

func allCaps(s string) bool {
	return strings.ToUpper(s) == s && strings.ContainsFunc(s, unicode.IsLetter)
}

func titleCase(s string) string {
	var parts []string
	for _, w := range strings.Fields(strings.ToLower(s)) {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		parts = append(parts, string(rs))
	}
	return strings.Join(parts, " ")
}

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 6
}

func joinToks(ts []tok) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}

// tokens splits text[start:end] into words, with possessives cut off.
func tokens(rs []rune, start, end int) []tok {
	var out []tok
	for i := start; i < end; {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		for j < end && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || (rs[j] == '-' || rs[j] == '\'' || rs[j] == '’') && j+1 < end && unicode.IsLetter(rs[j+1])) {
			j++
		}
		w := string(rs[i:j])
		e := j
		for _, suf := range []string{"'s", "’s"} {
			if strings.HasSuffix(w, suf) {
				w = strings.TrimSuffix(w, suf)
				e = j - 2
			}
		}
		punct := false
		for k := i - 1; k >= start && !unicode.IsLetter(rs[k]) && !unicode.IsDigit(rs[k]); k-- {
			punct = punct || !unicode.IsSpace(rs[k])
		}
		out = append(out, tok{text: w, start: i, end: e, cap: unicode.IsUpper(rs[i]), punct: punct})
		i = j
	}
	return out
}

// midCapitals are the words a text capitalises mid-sentence: names.
func midCapitals(rs []rune) map[string]bool {
	out := map[string]bool{}
	prevLower := false
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			if !unicode.IsSpace(rs[i]) && rs[i] != ',' {
				prevLower = false
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		if unicode.IsUpper(rs[i]) && prevLower {
			out[strings.ToLower(string(rs[i:j]))] = true
		}
		prevLower = unicode.IsLower(rs[i]) || unicode.IsUpper(rs[i])
		i = j
	}
	return out
}
