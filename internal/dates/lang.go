package dates

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	dateparser "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
)

// FindLang returns the time expressions of a text in language lang (ISO
// 639-1; "" when unknown). English has crosscheck's own rules (Find);
// other languages crosscheck reads are searched with go-dateparser for
// that language ("20 Mac 2022", "semalam", "gisteren"), keeping only
// what names a month or a day in words or a full numeric date: bare
// numbers and "24/7"-like pairs are not dates. ISO dates (2022-03-20)
// are found in every language.
func FindLang(text, lang string, published *time.Time) []Mention {
	text = validUTF8(text)
	out := Find(text, published)
	out = append(out, isoDates(text, out)...)
	if lang != "" && lang != "en" && dateparser.IsKnownLocale(lang) {
		out = append(out, searched(text, lang, published, out)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// validUTF8 replaces each byte of text that is not UTF-8 by U+FFFD, as
// converting to runes does, so that mentions' rune offsets and text agree
// however the parsers underneath treat such bytes (the language date
// parser kept them inside a date: "0\xffd" in Norwegian).
func validUTF8(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	var b strings.Builder
	for _, r := range text {
		b.WriteRune(r) // an invalid byte ranges as one utf8.RuneError
	}
	return b.String()
}

var isoDate = regexp.MustCompile(`\b(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`)

// isoDates finds 2022-03-20 and the like that no other expression covers.
func isoDates(text string, have []Mention) []Mention {
	var out []Mention
	for _, loc := range isoDate.FindAllStringIndex(text, -1) {
		t, err := time.Parse("2006-01-02", text[loc[0]:loc[1]])
		if err != nil {
			continue // 2022-02-30
		}
		start := utf8.RuneCountInString(text[:loc[0]])
		m := Mention{Start: start, End: start + utf8.RuneCountInString(text[loc[0]:loc[1]]), Text: text[loc[0]:loc[1]], Value: &t, Precision: Day}
		if !overlaps(m, have) {
			out = append(out, m)
		}
	}
	return out
}

func overlaps(m Mention, ms []Mention) bool {
	for _, o := range ms {
		if m.Start < o.End && o.Start < m.End {
			return true
		}
	}
	return false
}

var yearDigits = regexp.MustCompile(`(19|20)\d\d`)

var fullNumeric = regexp.MustCompile(`\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d|(19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}`)

// searched runs go-dateparser's search for one language and keeps what
// is safe to keep.
func searched(text, lang string, published *time.Time, have []Mention) []Mention {
	cfg := &dateparser.Configuration{Languages: []string{lang}, PreferredDateSource: dateparser.Past, DefaultTimezone: time.UTC}
	if published != nil {
		cfg.CurrentTime = published.UTC()
	}
	_, rs, err := dateparser.Search(cfg, text)
	if err != nil {
		return nil
	}
	var out []Mention
	from := 0 // byte offset: results come in text order
	for _, r := range rs {
		i := strings.Index(text[from:], r.Text)
		if i < 0 || r.Date.IsZero() {
			continue
		}
		b := from + i
		from = b + len(r.Text)
		// Invalid UTF-8 at either end (the parser may take a stray byte
		// with the date) is trimmed too: it decodes as RuneError.
		expr := strings.TrimFunc(r.Text, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsPunct(c) || c == utf8.RuneError })
		if expr == "" || !hasLetter(expr) && !fullNumeric.MatchString(expr) {
			continue // "17", "24/7", "10:00"
		}
		if published == nil && !yearDigits.MatchString(expr) {
			continue // relative to a publication date there is not
		}
		b += strings.Index(r.Text, expr)
		start := utf8.RuneCountInString(text[:b])
		t, prec := r.Date.Time.UTC(), precisionOfPeriod(r.Date.Period)
		v := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		switch prec {
		case Month:
			v = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		case Year:
			v = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		m := Mention{Start: start, End: start + utf8.RuneCountInString(expr), Text: expr, Value: &v, Precision: prec}
		if !overlaps(m, have) && !overlaps(m, out) {
			out = append(out, m)
		}
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func precisionOfPeriod(p date.Period) string {
	switch p {
	case date.Year:
		return Year
	case date.Month:
		return Month
	}
	return Day
}
