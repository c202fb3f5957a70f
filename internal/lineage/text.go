package lineage

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// sentence is one sentence of a text with its features. Words are kept
// as their hashes (hash64) in sorted sets: a stored article is prepared
// again whenever it is a candidate, and maps of strings were most of
// the memory of the prepared-article cache and of the time to fill it.
type sentence struct {
	start, end int // rune offsets in the text
	runes      int
	content    set  // stems of content words, numbers included
	anchors    set  // names and numbers, language-neutral
	xanchors   set  // names cut to 5 letters, and numbers: survives Athens/Athènes, Lisbon/Lisboa
	nums       set  // the anchors that are numbers (in both anchors and xanchors)
	specific   set  // the numbers unlikely to coincide (see specificNumber)
	names      int  // anchors that are names (not numbers)
	quoted     bool // mostly inside quotation marks
	// key hashes the sentence's sorted content stems: its LSH band when
	// it is long enough and not a quote (see Signature).
	key uint64
}

// set is a sorted list of distinct word hashes.
type set []uint64

// setOf sorts and deduplicates hs in place.
func setOf(hs []uint64) set {
	slices.Sort(hs)
	return slices.Compact(hs)
}

// has reports whether h is in s.
func (s set) has(h uint64) bool {
	_, ok := slices.BinarySearch(s, h)
	return ok
}

// shared counts the hashes s and t have in common.
func (s set) shared(t set) int {
	n, i, j := 0, 0, 0
	for i < len(s) && j < len(t) {
		switch {
		case s[i] < t[j]:
			i++
		case s[i] > t[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// union returns the hashes in s or t, as a new set.
func (s set) union(t set) set {
	out := make(set, 0, len(s)+len(t))
	i, j := 0, 0
	for i < len(s) || j < len(t) {
		switch {
		case j == len(t) || i < len(s) && s[i] < t[j]:
			out = append(out, s[i])
			i++
		case i == len(s) || t[j] < s[i]:
			out = append(out, t[j])
			j++
		default:
			out = append(out, s[i])
			i++
			j++
		}
	}
	return out
}

// doc is a text prepared for comparison.
type doc struct {
	sentences    []sentence
	contentWords int
	runes        int
}

var abbreviations = words.Set("mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "jr", "sr", "no", "vs", "capt", "maj", "prof", "rev", "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "aug", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "dhr", "mevr", "nr", "bzw", "ca", "z.b")

// prepare splits text into sentences and extracts their features.
func prepare(text string) *doc {
	text = norm.NFC.String(text)
	rs := []rune(text)
	d := &doc{runes: len(rs)}
	names := midSentenceCapitals(rs)
	dl := datelineEnd(rs)
	start := 0
	flush := func(end int) {
		for start < end && unicode.IsSpace(rs[start]) {
			start++
		}
		e := end
		for e > start && unicode.IsSpace(rs[e-1]) {
			e--
		}
		if e > start {
			s := features(rs[max(start, min(dl, e)):e], names)
			s.start, s.end, s.runes = start, e, e-start
			d.contentWords += len(s.content)
			d.sentences = append(d.sentences, s)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\n' {
			flush(i + 1)
			continue
		}
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		// Closing quotes and brackets belong to the sentence they end.
		j := i + 1
		for j < len(rs) && strings.ContainsRune(`"”’'»)`, rs[j]) {
			j++
		}
		if j < len(rs) && !unicode.IsSpace(rs[j]) {
			continue // 4.5, U.S.A, example.com
		}
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		if k < len(rs) && !(unicode.IsUpper(rs[k]) || unicode.IsDigit(rs[k]) || strings.ContainsRune(`"“‘'«(—-`, rs[k]) || rs[k] == '\n') {
			continue
		}
		if r == '.' && isAbbreviation(rs[start:i]) {
			continue
		}
		flush(j)
		i = j - 1
	}
	flush(len(rs))
	return d
}

func isAbbreviation(before []rune) bool {
	k := len(before)
	for k > 0 && !unicode.IsSpace(before[k-1]) {
		k--
	}
	w := strings.ToLower(strings.TrimLeft(string(before[k:]), `"“‘'(`))
	if utf8.RuneCountInString(w) == 1 && unicode.IsLetter([]rune(w)[0]) {
		return true // an initial: "J. Smith"
	}
	return abbreviations[w]
}

// datelineEnd returns where a leading dateline ("LYMAN, Ukraine >>",
// "ATHENS (Pacifica Press) —", "MYTILENE (Meridian Wire) - ") ends, or 0.
// A dateline is metadata: it says where and from whom, not what happened,
// and copies keep or drop it at will.
func datelineEnd(rs []rune) int {
	limit := min(len(rs), 80)
	for i := 0; i < limit; i++ {
		var n int
		switch {
		case rs[i] == '—' || rs[i] == '–':
			n = 1
		case rs[i] == '-' && i > 0 && rs[i-1] == ' ' && i+1 < len(rs) && rs[i+1] == ' ':
			n = 1
		case rs[i] == '>' && i+1 < len(rs) && rs[i+1] == '>':
			n = 2
		default:
			continue
		}
		head := string(rs[:i])
		if p := strings.IndexRune(head, '('); p >= 0 {
			head = head[:p]
		}
		place, _, _ := strings.Cut(head, ",")
		place = strings.TrimSpace(place)
		if place == "" || strings.ToUpper(place) != place || !strings.ContainsFunc(place, unicode.IsLetter) {
			return 0
		}
		return i + n
	}
	return 0
}

// midSentenceCapitals collects the words a text capitalises after a
// lower-case word or a comma: names, as opposed to ordinary words that
// are capitalised only because they start a sentence.
func midSentenceCapitals(rs []rune) map[string]bool {
	out := map[string]bool{}
	prev := ' '
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			if !unicode.IsSpace(rs[i]) {
				prev = rs[i]
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '-' || rs[j] == '\'' || rs[j] == '’') {
			j++
		}
		if unicode.IsUpper(rs[i]) && (unicode.IsLower(prev) || prev == ',' || prev == ';' || unicode.IsDigit(prev)) {
			out[strings.ToLower(string(rs[i:j]))] = true
		}
		prev = rs[j-1]
		i = j
	}
	return out
}

// features extracts the content-word stems and anchors of one sentence.
// A capitalised first word is a name only when the text also capitalises
// it mid-sentence (names, from the document's other sentences).
func features(rs []rune, names map[string]bool) sentence {
	var s sentence
	var content, anchors, xanchors, nums, specific []uint64
	var stems []string
	number := func(n string) {
		h := hash64(n)
		content, anchors, xanchors, nums = append(content, h), append(anchors, h), append(xanchors, h), append(nums, h)
		stems = append(stems, n)
		if specificNumber(n) {
			specific = append(specific, h)
		}
	}
	inQuote, quotedRunes := false, 0
	first := true
	i := 0
	for i < len(rs) {
		r := rs[i]
		switch r {
		case '“', '”', '"', '«', '»', '„':
			inQuote = r == '“' || r == '«' || r == '„' || (r == '"' && !inQuote)
			i++
			continue
		}
		if inQuote {
			quotedRunes++
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || ((rs[j] == '.' || rs[j] == ',' || rs[j] == '\'' || rs[j] == '’' || rs[j] == '-') && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1])) && j > i)) {
			j++
		}
		word := string(rs[i:j])
		if inQuote {
			quotedRunes += j - i - 1
		}
		i = j
		if n, ok := words.Number(word); ok {
			number(n)
			first = false
			continue
		}
		lower := strings.ToLower(word)
		if n, ok := words.NumberWords[lower]; ok {
			number(n)
			first = false
			continue
		}
		// French and Italian elide articles onto names: L'Acropole, d'Italia.
		if rs := []rune(word); len(rs) > 3 && (rs[1] == '\'' || rs[1] == '’') && strings.ContainsRune("lLdD", rs[0]) {
			word, lower = string(rs[2:]), strings.ToLower(string(rs[2:]))
		}
		for _, part := range strings.FieldsFunc(lower, func(r rune) bool { return r == '-' || r == '\'' || r == '’' }) {
			if len([]rune(part)) >= 3 && !words.Stopwords[part] {
				st := stem(part)
				content = append(content, hash64(st))
				stems = append(stems, st)
			}
		}
		capital := unicode.IsUpper([]rune(word)[0])
		if capital && len([]rune(word)) >= 3 && !words.Stopwords[lower] && !(first && !names[lower]) {
			f := words.Fold(lower)
			h := hash64(f)
			if rs := []rune(f); len(rs) > 5 {
				f = string(rs[:5])
			}
			anchors, xanchors = append(anchors, h), append(xanchors, hash64(f))
			s.names++
		}
		first = false
	}
	s.content, s.anchors, s.xanchors, s.nums, s.specific = setOf(content), setOf(anchors), setOf(xanchors), setOf(nums), setOf(specific)
	s.quoted = quotedRunes*10 >= len(rs)*6
	if !s.quoted && len(s.content) >= 6 {
		slices.Sort(stems)
		s.key = hash64(strings.Join(slices.Compact(stems), " "))
	}
	return s
}

// stem is a crude, language-agnostic stem: enough for spun text, which
// swaps words but keeps most word families ("capsized"/"capsizing").
func stem(w string) string {
	rs := []rune(w)
	if len(rs) > 6 {
		rs = rs[:6]
	}
	return string(rs)
}
