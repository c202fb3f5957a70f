package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// DetectLanguage returns the ISO 639-1 code of text's language, or "" when
// the text is too short to tell.
func DetectLanguage(text string) string {
	text = opening(text)
	info := whatlanggo.Detect(text)
	if info.Lang == -1 {
		return ""
	}
	if utf8.RuneCountInString(text) < 40 && !info.IsReliable() {
		return ""
	}
	if info.Script == unicode.Cyrillic {
		if l := cyrillicLanguage(text); l != "" {
			return l
		}
	}
	return info.Lang.Iso6391()
}

// opening is the first 2,500 bytes of text (whole runes): the opening of
// a text tells its language as well as all of it, at a fraction of the
// cost (trigram statistics over every rune).
func opening(text string) string {
	if len(text) <= 2500 {
		return text
	}
	cut := 2500
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

// refineLanguage is DetectLanguage for a text whose language the HTML
// extractor has already classified with the same trigram statistics
// (go-trafilatura runs its fork of whatlanggo over every page's extracted
// body, and that cannot be turned off; the two agree on every real page
// of the tests, TestHTMLLanguageAgrees): it keeps that language and
// adds only the orthographic rule for Cyrillic texts. Running the trigram
// model a second time, on the cleaned text, was a quarter of a parsing
// reader's CPU time (docs/PERFORMANCE.md, twelfth round).
//
// A short text (under 40 characters) is classified again, which costs
// little: the model's answer for it counts only when the model is sure.
func refineLanguage(detected, text string) string {
	text = opening(text)
	if utf8.RuneCountInString(text) < 40 {
		return DetectLanguage(text)
	}
	if whatlanggo.DetectScript(text) == unicode.Cyrillic {
		if l := cyrillicLanguage(text); l != "" {
			return l
		}
	}
	return detected
}

// cyrillicLanguage tells Ukrainian, Russian and Bulgarian apart, which
// trigram statistics often confuse, by the letters only one of them uses,
// then by word endings and function words.
func cyrillicLanguage(text string) string {
	lower := strings.ToLower(text)
	letters := func(set string) int {
		n := 0
		for _, r := range set {
			n += strings.Count(lower, string(r))
		}
		return n
	}
	if uk := letters("іїєґ"); uk > 0 && uk >= letters("ыэё") {
		return "uk"
	}
	ru, bg := 3*letters("ыэё"), 2*letters("ъ")
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch {
		case ruWords[w]:
			ru += 2
		case bgWords[w]:
			bg += 2
		}
		for _, suf := range []string{"ие", "ые", "ий", "ый", "ого", "ему", "ться", "ется", "ются"} {
			if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
				ru++
			}
		}
		for _, suf := range []string{"ът", "ите", "ото", "ята"} {
			if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
				bg++
			}
		}
	}
	switch {
	case ru > bg:
		return "ru"
	case bg > ru:
		return "bg"
	}
	return ""
}

var (
	ruWords = setOf("что", "это", "как", "который", "которые", "которая", "было", "его", "уже", "или", "если", "только", "также", "она", "они", "он", "был", "была", "были", "будет", "из-за", "сообщили", "заявил")
	bgWords = setOf("че", "са", "ще", "към", "във", "със", "като", "които", "този", "тази", "беше", "след", "е", "бяха", "каза", "съобщиха")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
