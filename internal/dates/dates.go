// Package dates finds the time expressions of a news text ("on Tuesday",
// "two weeks ago", "March 20", "since May", "over the weekend") and
// resolves them against the article's publication date, with a
// precision. Expressions relative to another event ("two days later", "a
// month on") are found but left unresolved, never guessed; without a
// publication date only expressions with their own year are resolved.
package dates

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Precisions.
const (
	Day   = "day"
	Week  = "week"
	Month = "month"
	Year  = "year"
)

// Mention is one time expression.
type Mention struct {
	// Start and End are rune offsets in the text.
	Start, End int
	Text       string
	// Value is the day the expression points to (the first day of its
	// week, month or year); nil when it cannot be resolved.
	Value     *time.Time
	Precision string
}

type tok struct {
	lower      string
	start, end int
	cap        bool
}

func tokenize(rs []rune) []tok {
	var out []tok
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '/' || rs[j] == '-' && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
			j++
		}
		out = append(out, tok{lower: strings.ToLower(string(rs[i:j])), start: i, end: j, cap: unicode.IsUpper(rs[i])})
		i = j
	}
	return out
}

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdays = map[string]time.Weekday{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}

var units = map[string]string{"day": Day, "days": Day, "week": Week, "weeks": Week, "month": Month, "months": Month, "year": Year, "years": Year}

// count reads "two", "2", "a", "several" as a number of units.
func count(w string) (int, bool) {
	if n, err := strconv.Atoi(w); err == nil && n > 0 && n < 1000 {
		return n, true
	}
	if n, ok := words.NumberWords[w]; ok {
		x, _ := strconv.Atoi(n)
		return x, x > 0
	}
	switch w {
	case "a", "an", "one":
		return 1, true
	case "two":
		return 2, true
	case "three":
		return 3, true
	}
	return 0, false
}

// Find returns the time expressions of text, resolved against published.
func Find(text string, published *time.Time) []Mention {
	rs := []rune(text)
	ts := tokenize(rs)
	var pub time.Time
	if published != nil {
		p := published.UTC()
		pub = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	}
	var out []Mention
	add := func(from, to int, v *time.Time, prec string) {
		out = append(out, Mention{Start: ts[from].start, End: ts[to-1].end, Text: string(rs[ts[from].start:ts[to-1].end]), Value: v, Precision: prec})
	}
	at := func(t time.Time) *time.Time { return &t }
	for i := 0; i < len(ts); i++ {
		w := ts[i].lower
		next := func(k int) string {
			if i+k < len(ts) {
				return ts[i+k].lower
			}
			return ""
		}
		prev := ""
		if i > 0 {
			prev = ts[i-1].lower
		}
		switch {
		case strings.Contains(w, "/"):
			continue // 24/7, 9/11, 14/03: not resolved here
		case w == "yesterday" || w == "today" || w == "tonight":
			if published == nil {
				add(i, i+1, nil, Day)
				continue
			}
			d := pub
			if w == "yesterday" {
				d = pub.AddDate(0, 0, -1)
			}
			add(i, i+1, at(d), Day)
		case weekdays[w] != 0 || w == "sunday":
			if published == nil {
				add(i, i+1, nil, Day)
				continue
			}
			back := (int(pub.Weekday()) - int(weekdays[w]) + 7) % 7
			if prev == "last" && back == 0 {
				back = 7
			}
			if prev == "next" {
				back = -((int(weekdays[w]) - int(pub.Weekday()) + 7) % 7)
			}
			from := i
			if prev == "last" || prev == "next" {
				from = i - 1
			}
			add(from, i+1, at(pub.AddDate(0, 0, -back)), Day)
		case w == "weekend" && (prev == "the" || prev == "last" || prev == "this"):
			if published == nil {
				add(i-1, i+1, nil, Week)
				continue
			}
			back := (int(pub.Weekday()) - int(time.Saturday) + 7) % 7
			add(i-1, i+1, at(pub.AddDate(0, 0, -back)), Week)
		case (w == "week" || w == "month" || w == "year") && (prev == "last" || prev == "this"):
			if published == nil {
				add(i-1, i+1, nil, units[w])
				continue
			}
			var d time.Time
			switch w {
			case "week":
				d = pub.AddDate(0, 0, -((int(pub.Weekday()) + 6) % 7))
				if prev == "last" {
					d = d.AddDate(0, 0, -7)
				}
			case "month":
				d = time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC)
				if prev == "last" {
					d = d.AddDate(0, -1, 0)
				}
			case "year":
				d = time.Date(pub.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
				if prev == "last" {
					d = d.AddDate(-1, 0, 0)
				}
			}
			add(i-1, i+1, at(d), units[w])
		case months[w] != 0 && ts[i].cap: // "the march", "may": not months
			// "may" is a modal and "mar" a verb; short forms need a day.
			withDay := isDay(next(1)) || isDay(prev)
			if (w == "may" && !withDay && prev != "in" && prev != "since" && prev != "until" && prev != "early" && prev != "late" && prev != "mid") ||
				(len(w) <= 4 && w != "june" && w != "july" && w != "may" && !withDay) {
				continue
			}
			m := months[w]
			from, to := i, i+1
			day := 0
			if d, ok := dayOf(next(1)); ok {
				day, to = d, i+2
			} else if d, ok := dayOf(prev); ok {
				day, from = d, i-1
			}
			year := 0
			if y, ok := yearOf(ts, to); ok {
				year, to = y, to+1
			}
			if year == 0 && published == nil {
				add(from, to, nil, precisionOf(day))
				continue
			}
			if year == 0 {
				year = pub.Year()
				// A date more than a month after publication is last year's.
				if time.Date(year, m, max(day, 1), 0, 0, 0, 0, time.UTC).After(pub.AddDate(0, 1, 0)) {
					year--
				}
			}
			add(from, to, at(time.Date(year, m, max(day, 1), 0, 0, 0, 0, time.UTC)), precisionOf(day))
			i = to - 1
		case units[w] != "" && next(1) == "ago":
			n, ok := count(prev)
			if !ok {
				continue
			}
			from := i - 1
			if published == nil {
				add(from, i+2, nil, units[w])
				continue
			}
			var d time.Time
			switch units[w] {
			case Day:
				d = pub.AddDate(0, 0, -n)
			case Week:
				d = pub.AddDate(0, 0, -7*n)
			case Month:
				d = pub.AddDate(0, -n, 0)
			case Year:
				d = pub.AddDate(-n, 0, 0)
			}
			add(from, i+2, at(d), units[w])
			i++
		case units[w] != "" && (next(1) == "later" || next(1) == "on" || next(1) == "after" || next(1) == "earlier" || next(1) == "before"):
			// Relative to another event: found, not guessed.
			if _, ok := count(prev); ok && i > 0 {
				add(i-1, i+2, nil, "")
				i++
			}
		case (prev == "in" || prev == "since") && len(w) == 4:
			if y, err := strconv.Atoi(w); err == nil && y >= 1900 && y <= 2100 {
				add(i-1, i+1, at(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)), Year)
			}
		}
	}
	return out
}

func isDay(w string) bool { _, ok := dayOf(w); return ok }

// dayOf reads a day of the month: "20", "20th", "1st".
func dayOf(w string) (int, bool) {
	w = strings.TrimRight(w, "stndrh")
	d, err := strconv.Atoi(w)
	return d, err == nil && d >= 1 && d <= 31
}

func yearOf(ts []tok, i int) (int, bool) {
	if i >= len(ts) {
		return 0, false
	}
	y, err := strconv.Atoi(ts[i].lower)
	return y, err == nil && y >= 1900 && y <= 2100
}

func precisionOf(day int) string {
	if day > 0 {
		return Day
	}
	return Month
}
