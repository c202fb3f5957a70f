// Package claim finds the countable facts articles state — tolls,
// evacuations, arrests, votes — with their bounds, what is counted, where,
// when and on whose word, and groups a story's claims to say which
// independent sources agree, which conflict, and what each adds.
package claim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// token is one word of a sentence with its rune offsets in the sentence.
type token struct {
	text       string // as written
	lower      string
	start, end int
}

// tokenize splits a sentence into words, numbers (with their separators:
// "200,000", "2.5", "1-2", "10:30", "68-year-old") and single punctuation
// marks.
func tokenize(rs []rune) []token {
	var out []token
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) ||
				(strings.ContainsRune(".,:-'’/", rs[j]) && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1])) &&
					// "died." ends a word; "4.5" and "200,000" do not.
					!(strings.ContainsRune(".,", rs[j]) && !unicode.IsDigit(rs[j-1])))) {
				j++
			}
			t := string(rs[i:j])
			out = append(out, token{text: t, lower: strings.ToLower(t), start: i, end: j})
			i = j
		default:
			out = append(out, token{text: string(r), lower: string(r), start: i, end: i + 1})
			i++
		}
	}
	return out
}

// English number words.
var (
	numberUnits = map[string]float64{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12}
	tens = map[string]float64{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
	// scales multiply the number before them: "2.5 million".
	scales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "mln": 1e6, "bn": 1e9}
	// vague quantities: "dozens" is 24–99.
	vague = map[string][2]float64{"dozens": {24, 99}, "scores": {40, 99}, "hundreds": {200, 999}, "thousands": {2000, 9999},
		"tens of thousands": {20000, 99999}, "hundreds of thousands": {200000, 999999}, "millions": {2e6, 9.99e6}}
)

var months = words.Set("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

// Bound words before a quantity.
var (
	lowerBound = []string{"at least", "more than", "over", "upwards of", "no fewer than", "no less than", "in excess of", "exceeding", "above", "zeker", "ruim", "meer dan", "minstens"}
	upperBound = []string{"up to", "at most", "fewer than", "less than", "under", "no more than", "nearly", "almost", "as many as", "bijna", "tot"}
	approx     = []string{"about", "around", "some", "roughly", "approximately", "an estimated", "estimated", "nearly", "almost", "ongeveer", "circa", "zo'n"}
)

// quantity is a number found in a sentence.
type quantity struct {
	from, to  int // token span of the number
	start     int // where its bound words ("at least") start
	value     float64
	low, high *float64
	written   string
}

func f(x float64) *float64 { return &x }

// parseNumber reads a number at tokens[i:]: digits ("200,000", "2.5") with
// an optional scale word, English number words ("twenty-five",
// "three hundred"), or vague quantities ("dozens", "tens of thousands").
// It returns the value and the token after it, or ok false.
func parseNumber(ts []token, i int) (v float64, lo, hi *float64, next int, ok bool) {
	t := ts[i].lower
	// A range in one word, "10-20": its first number; quantities reads
	// the rest.
	if a, b, cut := strings.Cut(t, "-"); cut {
		if _, okB := words.Number(b); okB {
			t = a
		}
	}
	if n, isNum := words.Number(t); isNum {
		x, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return 0, nil, nil, i, false
		}
		next = i + 1
		if next < len(ts) {
			if s, ok := scales[ts[next].lower]; ok {
				x *= s
				next++
			}
		}
		return x, nil, nil, next, true
	}
	for phrase, r := range vague {
		if n := matchPhrase(ts, i, phrase); n > 0 {
			return r[0], f(r[0]), f(r[1]), i + n, true
		}
	}
	if n := matchPhrase(ts, i, "a dozen"); n > 0 {
		return 12, nil, nil, i + n, true
	}
	x, next := 0.0, i
	if u, ok := numberUnits[t]; ok {
		x, next = u, i+1
	} else if tn, ok := tens[t]; ok {
		x, next = tn, i+1
	} else if a, b, cut := strings.Cut(t, "-"); cut && tens[a] > 0 && numberUnits[b] > 0 && numberUnits[b] < 10 {
		x, next = tens[a]+numberUnits[b], i+1
	} else {
		return 0, nil, nil, i, false
	}
	if next < len(ts) {
		if s, ok := scales[ts[next].lower]; ok {
			x *= s
			next++
		}
	}
	return x, nil, nil, next, true
}

// matchPhrase returns how many tokens of ts[i:] spell phrase, or 0.
func matchPhrase(ts []token, i int, phrase string) int {
	ws := strings.Fields(phrase)
	if i+len(ws) > len(ts) {
		return 0
	}
	for k, w := range ws {
		if ts[i+k].lower != w {
			return 0
		}
	}
	return len(ws)
}

// endsWith reports whether the tokens before i spell phrase.
func endsWith(ts []token, i int, phrase string) bool {
	ws := strings.Fields(phrase)
	if i-len(ws) < 0 {
		return false
	}
	return matchPhrase(ts, i-len(ws), phrase) == len(ws)
}

// quantities finds the numbers of a sentence that may count something,
// with their bounds, leaving out dates, times, ages, years, ordinals,
// phone numbers and scores.
func quantities(ts []token) []quantity {
	var out []quantity
	for i := 0; i < len(ts); i++ {
		v, lo, hi, next, ok := parseNumber(ts, i)
		if !ok || notACount(ts, i, next) {
			continue
		}
		q := quantity{from: i, to: next, value: v, low: lo, high: hi}
		if lo == nil && hi == nil {
			q.low, q.high = f(v), f(v)
		}
		// A range: "10 to 20", "10-20".
		if a, b, cut := strings.Cut(ts[i].lower, "-"); cut {
			x, errA := strconv.ParseFloat(strings.ReplaceAll(a, ",", ""), 64)
			y, errB := strconv.ParseFloat(strings.ReplaceAll(b, ",", ""), 64)
			if errA == nil && errB == nil && y > x {
				q.value, q.low, q.high = x, f(x), f(y)
			}
		} else if next+1 < len(ts) && (ts[next].lower == "to" || ts[next].lower == "and" && endsWith(ts, i, "between")) {
			if y, _, _, n2, ok := parseNumber(ts, next+1); ok && y > v {
				q.high, q.to = f(y), n2
				next = n2
			}
		}
		// Bounds written before it.
		switch {
		case hasBefore(ts, q.from, lowerBound):
			q.high = nil
		case hasBefore(ts, q.from, approx) && !hasBefore(ts, q.from, upperBound):
			q.low, q.high = f(math.Round(v*0.9)), f(math.Round(v*1.1))
		case hasBefore(ts, q.from, upperBound):
			q.low = nil
		}
		// "18 or more", "12 and counting".
		if next+1 < len(ts) && ts[next].lower == "or" && (ts[next+1].lower == "more" || ts[next+1].lower == "over") {
			q.high = nil
		}
		from := q.from
		for _, list := range [][]string{lowerBound, upperBound, approx} {
			for _, p := range list {
				if endsWith(ts, q.from, p) {
					from = min(from, q.from-len(strings.Fields(p)))
				}
			}
		}
		q.written = join(ts[from:q.to])
		q.start = from
		out = append(out, q)
		i = q.to - 1
	}
	return out
}

func hasBefore(ts []token, i int, phrases []string) bool {
	for _, p := range phrases {
		if endsWith(ts, i, p) {
			return true
		}
	}
	return false
}

// notACount reports whether the number at ts[i:next] is a date, time,
// year, age, ordinal, phone number, score or address rather than a count.
func notACount(ts []token, i, next int) bool {
	t := ts[i].lower
	switch {
	case strings.ContainsAny(t, ":/"): // 10:30, 14/03
		return true
	case strings.Count(t, "-") >= 2 || strings.HasSuffix(t, "-year-old") || strings.Contains(t, "-year"):
		return true // phone numbers, 68-year-old
	case strings.HasSuffix(t, "st") || strings.HasSuffix(t, "nd") || strings.HasSuffix(t, "rd") || strings.HasSuffix(t, "th"):
		return unicode.IsDigit(rune(t[0])) // 2nd, 19th
	}
	if a, b, cut := strings.Cut(t, "-"); cut && len(a) <= 2 && len(b) <= 2 && !strings.ContainsAny(a+b, ",.") {
		if x, err := strconv.Atoi(a); err == nil {
			if y, err := strconv.Atoi(b); err == nil && x < 20 && y < 20 && y <= x {
				return true // a score: 3-1, 2-0
			}
		}
	}
	prev, nxt := "", ""
	if i > 0 {
		prev = ts[i-1].lower
	}
	if next < len(ts) {
		nxt = ts[next].lower
	}
	if months[prev] || months[nxt] {
		return true // 14 March, March 14
	}
	if nxt == "am" || nxt == "pm" || nxt == "a.m" || nxt == "p.m" || nxt == "gmt" || nxt == "utc" || nxt == "o'clock" || nxt == "uur" && prev == "om" {
		return true
	}
	if nxt == "years" || nxt == "year" || nxt == "jaar" {
		// "aged 68 years", "68 years old"; "for 30 years" is a duration.
		return true
	}
	switch prev {
	case "force", "windkracht", "magnitude", "level", "category", "kategori", "grade", "phase", "article", "section", "code", "gate", "platform":
		return true // a measure or a label, not a count
	}
	if prev == "aged" || prev == "age" || prev == "number" || prev == "no" || prev == "page" || prev == "route" || prev == "flight" || prev == "room" {
		return true
	}
	// A bare number between commas after a name: "Rosa Camps, 68, said".
	if prev == "," && nxt == "," && i >= 2 && unicode.IsUpper([]rune(ts[i-2].text)[0]) {
		return true
	}
	if x, err := strconv.Atoi(t); err == nil && x >= 1900 && x <= 2100 && len(t) == 4 {
		return true // a year
	}
	// An address: "12 Main Street".
	if next+1 < len(ts) && unicode.IsUpper([]rune(ts[next].text)[0]) && isStreet(ts[next+1].lower) {
		return true
	}
	return false
}

func isStreet(w string) bool {
	switch w {
	case "street", "st", "road", "rd", "avenue", "ave", "lane", "boulevard", "straat", "weg", "laan":
		return true
	}
	return false
}

func join(ts []token) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 && !(len(t.text) == 1 && strings.ContainsRune(",.;:!?)%", rune(t.text[0]))) && ts[i-1].text != "(" {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// Extract finds the claims of an article.
func Extract(a *model.Article) []model.Claim {
	rs := []rune(a.Text)
	var out []model.Claim
	for _, sp := range words.Sentences(a.Text) {
		sent := rs[sp[0]:sp[1]]
		ts := tokenize(sent)
		for _, q := range quantities(ts) {
			c, ok := describe(ts, q, sent)
			if !ok {
				continue
			}
			c.ID = fmt.Sprintf("%s-%d", a.ID, len(out)+1)
			c.Article = a.ID
			c.Sentence = string(sent)
			c.Start, c.End = sp[0], sp[1]
			c.When = when(ts, a.Published)
			out = append(out, c)
		}
	}
	return out
}

// when dates the fact: the article's day, or the weekday or
// "yesterday" the sentence names (the latest such day on or before it).
func when(ts []token, published *time.Time) *time.Time {
	if published == nil {
		return nil
	}
	day := time.Date(published.Year(), published.Month(), published.Day(), 0, 0, 0, 0, time.UTC)
	for _, t := range ts {
		switch t.lower {
		case "yesterday", "gisteren":
			d := day.AddDate(0, 0, -1)
			return &d
		}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if t.lower == strings.ToLower(wd.String()) {
				back := (int(day.Weekday()) - int(wd) + 7) % 7
				d := day.AddDate(0, 0, -back)
				return &d
			}
		}
	}
	return &day
}
