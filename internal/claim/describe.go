package claim

import (
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// nounKinds maps head nouns to what they count.
var nounKinds = byWord(map[string]string{
	model.ClaimKilled:     "dead deaths death fatalities lives doden dode slachtoffers",
	model.ClaimBodies:     "bodies body corpses lichamen",
	model.ClaimInjured:    "injured wounded injuries gewonden gewonde",
	model.ClaimMissing:    "missing vermisten vermist",
	model.ClaimRescued:    "rescued",
	model.ClaimDisplaced:  "evacuees displaced refugees homeless",
	model.ClaimArrested:   "arrests detainees arrested arrestaties",
	model.ClaimTroops:     "troops soldiers reservists servicemen fighters militants militairen soldaten",
	model.ClaimProtesters: "protesters demonstrators strikers stakers betogers",
	model.ClaimVotes:      "votes ballots stemmen",
	model.ClaimArea:       "hectares hectare acres km2 ha",
})

// byWord inverts a table of kinds and their words.
func byWord(kinds map[string]string) map[string]string {
	m := map[string]string{}
	for kind, ws := range kinds {
		for _, w := range strings.Fields(ws) {
			m[w] = kind
		}
	}
	return m
}

// cues are words near a number that say what happened to what it counts:
// "killing 12 people", "12 people died", "injuring 19".
var cues = byWord(map[string]string{
	model.ClaimKilled:    "killed killing kills died dead drowned perished omgekomen overleden gedood leven doden",
	model.ClaimInjured:   "injured injuring wounded wounding hurt injuries gewond gewonden verwondingen",
	model.ClaimMissing:   "missing unaccounted vermist",
	model.ClaimRescued:   "rescued saved pulled hauled gered haalden",
	model.ClaimDisplaced: "evacuated evacuation evacuate fled flee displaced homeless geëvacueerd",
	model.ClaimArrested:  "arrested detained arresting gearresteerd aangehouden",
})

// units are nouns that measure rather than count: a distance or a
// duration is not a fact a toll can conflict with.
var units = words.Set(strings.Fields(`metres meters metre meter km kilometres kilometers kilometre miles mile feet ft yards
degrees celsius fahrenheit hours hour minutes minute seconds days day weeks week months month years year decades
knots kg kilograms tonnes tons litres liters mm cm percent km/h mph uur dagen weken maanden jaar graden procent`)...)

// currency words and symbols.
var currencyWords = words.Set("dollars", "dollar", "euros", "euro", "pounds", "yuan", "ringgit", "yen", "rupees", "roubles", "rubles", "hryvnias", "usd", "eur", "gbp")

// generic nouns count people or things without saying what happened to
// them; the sentence's verbs say it.
var generic = words.Set(strings.Fields(`people persons residents passengers civilians children adults men women migrants workers
crew villagers families households homes houses buildings firefighters person rescuers pilgrims tourists students patients
aircraft planes helicopters tanks ships vessels boats vehicles cars containers mensen inwoners passagiers kinderen`)...)

// describe turns a quantity into a claim: what it counts, where, and on
// whose word. It reports false for numbers that count nothing.
func describe(ts []token, q quantity, sent []rune) (model.Claim, bool) {
	c := model.Claim{Quantity: q.written, Value: q.value, Low: q.low, High: q.high}
	// Money and percentages are claims of their own kinds, never tolls.
	if isMoney(ts, q) {
		c.Kind, c.Noun = model.ClaimMoney, "money"
	} else if q.to < len(ts) && (ts[q.to].text == "%" || ts[q.to].lower == "percent" || ts[q.to].lower == "procent" ||
		matchPhrase(ts, q.to, "per cent") > 0) {
		c.Kind, c.Noun = model.ClaimPercent, "%"
	} else {
		c.Noun, c.Kind = headNoun(ts, q)
		if units[c.Noun] {
			return c, false
		}
		// What happened to those counted outweighs who they are: "Four
		// soldiers were killed" is a toll.
		if c.Kind == "" || c.Kind == model.ClaimOther || c.Kind == model.ClaimTroops || c.Kind == model.ClaimProtesters {
			if k := nearestCue(ts, q); k != "" && (c.Kind == "" || c.Kind == model.ClaimOther || model.Casualty(k)) {
				c.Kind = k
			}
		}
		if c.Kind == "" && c.Noun == "" {
			return c, false // a bare number
		}
		if c.Kind == "" {
			c.Kind = model.ClaimOther
		}
		if isIncrement(ts, q) && !strings.HasPrefix(strings.ToLower(c.Quantity), "another") {
			c.Quantity += " more"
		}
	}
	c.Attribution = attribution(ts)
	c.Place = place(ts)
	return c, true
}

func isMoney(ts []token, q quantity) bool {
	if q.from > 0 && strings.ContainsAny(ts[q.from-1].text, "$€£¥") {
		return true
	}
	if q.to < len(ts) && currencyWords[ts[q.to].lower] {
		return true
	}
	return strings.ContainsAny(ts[q.from].text, "$€£¥")
}

// headNoun finds the noun a quantity counts: the first noun after it,
// past a few modifiers ("two more bodies", "86 passengers", "five patrol
// boats"). Counts of other things keep one modifier ("patrol boats"), so
// that five patrol boats and two smaller boats are not one fact.
func headNoun(ts []token, q quantity) (noun, kind string) {
	var mods []string
	for k := q.to; k < len(ts) && k < q.to+4; k++ {
		w := ts[k].lower
		if kd, ok := nounKinds[w]; ok {
			if adjectives[w] {
				return "", kd // "12 dead", "12 remain missing": a state, not a noun
			}
			return w, kd
		}
		// "tens of thousands of protesters", "hundreds of soldiers"
		if w == "of" && k == q.to && (q.to-q.from > 1 || isVague(ts[q.from].lower)) {
			continue
		}
		if generic[w] || units[w] {
			if len(mods) > 0 && !units[w] {
				return mods[len(mods)-1] + " " + w, ""
			}
			return w, ""
		}
		if increment[w] {
			continue
		}
		// "12 of them", "12, police said": the noun is elsewhere.
		if !unicode.IsLetter([]rune(w)[0]) || w == "of" || w == "and" || w == "or" || words.Stopwords[w] {
			break
		}
		if cueOrVerb(w) {
			break
		}
		if (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "men")) && unicode.IsLower([]rune(ts[k].text)[0]) {
			// An unknown plural: "1,200 hectares", "400 firefighters".
			if len(mods) > 0 {
				return mods[len(mods)-1] + " " + w, model.ClaimOther
			}
			return w, model.ClaimOther
		}
		mods = append(mods, w)
	}
	return "", ""
}

// adjectives name what happened to those counted; right after a number
// they stand for the noun ("12 dead"), further on they are a state.
var adjectives = words.Set("dead", "injured", "wounded", "missing", "killed", "rescued", "arrested", "displaced", "homeless", "vermist", "gewond")

func isVague(w string) bool {
	_, ok := vague[w]
	return ok
}

// increment words make a count an addition, not a total: "two more
// bodies", "another 5 killed".
var increment = words.Set("more", "other", "further", "additional", "extra", "another", "new")

// isIncrement reports whether the quantity adds to an earlier count.
func isIncrement(ts []token, q quantity) bool {
	if q.from > 0 && (ts[q.from-1].lower == "another" || ts[q.from-1].lower == "nog") {
		return true
	}
	return q.to < len(ts) && (ts[q.to].lower == "more" || ts[q.to].lower == "further" || ts[q.to].lower == "additional" || ts[q.to].lower == "extra")
}

func cueOrVerb(w string) bool {
	_, ok := cues[w]
	return ok || strings.HasSuffix(w, "ed")
}

// nearestCue returns the kind of the cue word closest to the quantity,
// within eight words, preferring the words just before it ("killing 12")
// and just after ("12 died").
func nearestCue(ts []token, q quantity) string {
	// "the death toll … rose to 14", "het dodental is gestegen tot 14".
	if q.from > 0 && (ts[q.from-1].lower == "to" || ts[q.from-1].lower == "at" || ts[q.from-1].lower == "tot" || ts[q.from-1].lower == "reached") {
		for k := 0; k < q.from; k++ {
			if (ts[k].lower == "toll" && k > 0 && (ts[k-1].lower == "death" || ts[k-1].lower == "casualty")) || ts[k].lower == "dodental" {
				if !between(ts, k, q) {
					return model.ClaimKilled
				}
			}
		}
	}
	// "Six children were among the 25 injured": what the later count
	// counts, the earlier one does too.
	among := false
	for k := q.to; k < len(ts) && k < q.to+4; k++ {
		among = among || ts[k].lower == "among"
	}
	// Dutch separable verbs: "kwamen 9 mensen om" (died).
	sepOm := false
	for _, t := range ts {
		sepOm = sepOm || t.lower == "om"
	}
	best, bestDist := "", 99
	for k := max(0, q.start-8); k < min(len(ts), q.to+8); k++ {
		kind, ok := cues[ts[k].lower]
		if !ok && sepOm && (ts[k].lower == "kwamen" || ts[k].lower == "kwam" || ts[k].lower == "komen") {
			kind, ok = model.ClaimKilled, true
		}
		if !ok || (k >= q.start && k < q.to) {
			continue
		}
		d := q.start - k
		if k >= q.to {
			d = k - q.to
		}
		// A cue behind another number belongs to that number.
		if between(ts, k, q) && !among {
			continue
		}
		if d < bestDist {
			best, bestDist = kind, d
		}
	}
	return best
}

// between reports whether another number stands between token k and the
// quantity (then the cue is that number's).
func between(ts []token, k int, q quantity) bool {
	lo, hi := k+1, q.from
	if k >= q.to {
		lo, hi = q.to, k
	}
	for i := lo; i < hi; i++ {
		if _, _, _, _, ok := parseNumber(ts, i); ok {
			return true
		}
	}
	return false
}

var sayVerbs = words.Set("said", "says", "told", "reported", "announced", "confirmed", "estimated", "added", "stated", "tweeted",
	"zei", "zegt", "meldde", "meldt", "aldus")

var pronouns = words.Set("he", "she", "they", "it", "we", "i", "hij", "zij", "ze")

// attribution finds whose word the sentence gives: "according to X",
// "X said", "said X".
func attribution(ts []token) string {
	for i := range ts {
		if n := matchPhrase(ts, i, "according to"); n > 0 || ts[i].lower == "volgens" {
			if n == 0 {
				n = 1
			}
			return phrase(ts, i+n, len(ts), true)
		}
	}
	for i := len(ts) - 1; i >= 0; i-- {
		if !sayVerbs[ts[i].lower] {
			continue
		}
		// "X said": the subject runs back to the clause boundary.
		j := i
		for j > 0 && !strings.ContainsAny(ts[j-1].text, ",;:—–\"“”") {
			j--
		}
		if j < i {
			if s := phrase(ts, j, i, false); s != "" && !pronouns[strings.ToLower(s)] {
				return s
			}
		}
		// "said X": the subject follows.
		if i+1 < len(ts) {
			if s := phrase(ts, i+1, len(ts), true); s != "" && !pronouns[strings.ToLower(strings.Fields(s)[0])] && !strings.HasPrefix(strings.ToLower(s), "that") {
				return s
			}
		}
		return ""
	}
	// A credit in brackets: "(AP)".
	return ""
}

// phrase joins ts[from:to] up to the first punctuation (when stop), without
// a leading article, trailing time words or "reporters".
func phrase(ts []token, from, to int, stop bool) string {
	end := from
	for end < to && !(stop && len(ts[end].text) == 1 && strings.ContainsRune(",.;:!?()\"“”—–", rune(ts[end].text[0]))) {
		end++
	}
	for from < end && (ts[from].lower == "the" || ts[from].lower == "a" || ts[from].lower == "an" || ts[from].lower == "de" || ts[from].lower == "het") {
		from++
	}
	for end > from && (words.Stopwords[ts[end-1].lower] && ts[end-1].lower != "police" || ts[end-1].lower == "reporters" || ts[end-1].lower == "evening" || ts[end-1].lower == "morning") {
		end--
	}
	if end-from > 8 || end <= from {
		return ""
	}
	return join(ts[from:end])
}

var placePreps = words.Set("in", "near", "off", "at", "outside", "across", "bij", "nabij", "from")

// place returns the first capitalised name after a place preposition, past
// "the Greek island of" and the like.
func place(ts []token) string {
	for i := 0; i+1 < len(ts); i++ {
		if !placePreps[ts[i].lower] {
			continue
		}
		j := i + 1
		for j < len(ts) && (ts[j].lower == "the" || ts[j].lower == "de") {
			j++
		}
		// "the Greek island of Lesbos", "the port of Rotterdam".
		for k := j; k < len(ts) && k < j+4; k++ {
			if ts[k].lower == "of" && k+1 < len(ts) && isCapital(ts[k+1]) {
				j = k + 1
				break
			}
		}
		var name []token
		for j < len(ts) && isCapital(ts[j]) {
			name = append(name, ts[j])
			j++
		}
		if len(name) > 0 {
			return join(name)
		}
	}
	return ""
}

func isCapital(t token) bool {
	r := []rune(t.text)
	return len(r) > 1 && unicode.IsUpper(r[0]) && !months[t.lower] && !weekday(t.lower)
}

func weekday(w string) bool {
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}
