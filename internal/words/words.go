// Package words holds the vocabulary crosscheck's text analysis shares:
// function words, number words, numeral and diacritic normalisation.
package words

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// stopwords are function words of the languages crosscheck's users read
// most (en, nl, de, fr, es, it, pt): never content, never names.
var Stopwords = Set(strings.Fields(`
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say told according its it's meanwhile however despite since still yet even though although
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week month year
de het een en van in op te dat die voor met zijn is niet aan er om ook als bij of uit naar maar door dan
nog wel tot over worden wordt werd zo onder tegen na hun hij zij ze we wij ik je u haar hem deze dit waar
omdat volgens ongeveer zeker al meer dus toen
der die das den dem des ein eine einer eines und oder aber nicht mit von zu im am auf für aus bei nach
sich ist sind war wird werden hat haben wie auch noch nur schon
le la les un une des du et ou mais dans sur pour par avec sans est sont été être a ont au aux ce cette
ces qui que quoi dont il elle ils elles nous vous se ne pas plus
el los las unos unas y o pero en con sin por para es son fue ser ha han al del lo que quien su sus se
no más como
il lo gli di da per tra fra che non sono
o os as um uma em com sem não`)...)

// numberWords maps small number words to digits, in the same languages:
// "four nautical miles" and "vier zeemijl" share the anchor 4.
var NumberWords = func() map[string]string {
	m := map[string]string{}
	rows := []string{
		"1 one een eins ein eine un une uno una satu",
		"2 two twee zwei deux dos due dua",
		"3 three drie drei trois tres tre tiga",
		"4 four vier quatre cuatro quattro empat",
		"5 five vijf fünf cinq cinco cinque",
		"6 six zes sechs seis sei enam",
		"7 seven zeven sieben sept siete sette tujuh",
		"8 eight acht huit ocho otto lapan delapan",
		"9 nine negen neun neuf nueve nove sembilan",
		"10 ten tien zehn dix diez dieci sepuluh",
		"11 eleven elf onze once undici",
		"12 twelve dozen twaalf zwölf douze doce dodici",
		"20 twenty twintig zwanzig vingt veinte venti",
		"100 hundred honderd hundert cent cien cento",
		"1000 thousand duizend tausend mille mil",
	}
	for _, row := range rows {
		f := strings.Fields(row)
		for _, w := range f[1:] {
			m[w] = f[0]
		}
	}
	// Words that are also ordinary words elsewhere are left out.
	for _, w := range []string{"een", "ein", "eine", "un", "une", "uno", "una", "due", "sei", "tre", "dos", "mil"} {
		delete(m, w)
	}
	return m
}()

// Number normalises a numeral: "200,000" → "200000", "4,5" and "4.5" →
// "4.5", "7%" → "7". It reports false for words that are not numerals.
func Number(w string) (string, bool) {
	if w == "" || !unicode.IsDigit([]rune(w)[0]) {
		return "", false
	}
	var b strings.Builder
	parts := strings.Split(strings.ReplaceAll(w, ".", ","), ",")
	for i, p := range parts {
		for _, r := range p {
			if !unicode.IsDigit(r) {
				return "", false
			}
		}
		switch {
		case i == 0:
			b.WriteString(p)
		case len(p) == 3 && (i < len(parts)-1 || len(parts) > 1 && len(parts[0]) <= 3):
			b.WriteString(p) // thousands separator
		default:
			b.WriteString("." + p)
		}
	}
	return b.String(), true
}

// Fold lower-cases and strips diacritics, so "Llíria" and "Lliria" match.
func Fold(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Set returns the set of words.
func Set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Jaccard is the Jaccard similarity of two sets: shared members over all
// members, 0 when either is empty.
func Jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Sentences splits text into sentences and returns their rune offsets
// [start, end), trimmed of surrounding space. A sentence ends at a line
// break, or at . ! ? (and their CJK forms) followed by space and a capital,
// a digit or a quote; "J. Smith", "U.S. officials" and "4.5" do not end one.
func Sentences(text string) [][2]int {
	rs := []rune(text)
	var out [][2]int
	start := 0
	flush := func(end int) {
		s, e := start, end
		for s < e && unicode.IsSpace(rs[s]) {
			s++
		}
		for e > s && unicode.IsSpace(rs[e-1]) {
			e--
		}
		if e > s {
			out = append(out, [2]int{s, e})
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\n' {
			flush(i + 1)
			continue
		}
		if strings.ContainsRune("。！？", r) {
			flush(i + 1)
			continue
		}
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(`"”’'»)`, rs[j]) {
			j++
		}
		if j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
			flush(j)
			i = j - 1
			continue
		}
		if j >= len(rs) || rs[j] != ' ' {
			continue
		}
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		if k < len(rs) && !(unicode.IsUpper(rs[k]) || unicode.IsDigit(rs[k]) || strings.ContainsRune(`"“‘'«(`, rs[k])) {
			continue
		}
		if r == '.' && i > 0 && unicode.IsUpper(rs[i-1]) && (i == 1 || !unicode.IsLetter(rs[i-2])) {
			continue // an initial: "J. Smith", "U.S."
		}
		flush(j)
		i = j - 1
	}
	flush(len(rs))
	return out
}

// FoldName folds a name for comparison: lower case, no diacritics,
// single spaces ("  Zelénskiy  Volodymyr " → "zelenskiy volodymyr").
func FoldName(s string) string {
	return strings.Join(strings.Fields(Fold(strings.ToLower(s))), " ")
}
