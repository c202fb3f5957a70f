package extract

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// Removal reason codes. They are part of the export format
// (docs/export.md): add new ones, never rename.
const (
	ReasonKnownPhrase = "known-phrase"       // subscription, app, comment and share prompts
	ReasonCopyright   = "copyright"          // © lines, "all rights reserved"
	ReasonCaption     = "photo-caption"      // a caption ending in a photo credit
	ReasonCredit      = "agency-credit"      // a line that is only an agency or photo credit
	ReasonTracking    = "tracking-code"      // a lone code such as "ttn-42"
	ReasonHeader      = "header-block"       // site chrome above the title
	ReasonByline      = "byline"             // author line (kept as metadata)
	ReasonFooter      = "footer-block"       // short lines after a footer marker
	ReasonDuplicate   = "duplicate-line"     // the same short line twice in a row
	ReasonRepeated    = "repeated-in-source" // the same short line in other articles of this source
	ReasonTitle       = "title"              // the title line, kept as metadata
)

// CleanOptions tunes the cleaner. The zero value works.
type CleanOptions struct {
	// Repeated reports whether a short line (already trimmed) was seen in
	// enough other articles of the same source to count as that
	// source's boilerplate. Nil means no cross-article knowledge.
	Repeated func(line string) bool
	// Body is true for text that is already an article body (from the
	// HTML extractor): no header block or title is looked for.
	Body bool
	// Source is the outlet's name, when known: a header line naming it
	// is chrome, never the byline.
	Source string
}

// Cleaned is the result of cleaning a text.
type Cleaned struct {
	Title      string
	Author     string
	Paragraphs []string
	Removed    []model.Removal
}

// Text joins the kept paragraphs.
func (c *Cleaned) Text() string { return strings.Join(c.Paragraphs, "\n\n") }

// maxBoilerplateWords is the longest line that can count as a source's
// boilerplate by repetition alone.
const maxBoilerplateWords = 20

type line struct {
	no     int    // 1-based line number in the input
	text   string // trimmed
	words  int
	block  int // index of the blank-line separated block
	reason string
}

// Clean removes chrome from text and, unless opts.Body is set, finds the
// title (and a byline) in the lines above the first paragraph.
func Clean(text string, opts CleanOptions) *Cleaned {
	lines := splitLines(text)
	if !opts.Body {
		lines = unwrap(lines)
	}
	classifyLines(lines, opts)
	out := &Cleaned{}
	if !opts.Body {
		out.Title, out.Author = headerBlock(lines, opts.Source)
	}
	markFooter(lines)
	for _, l := range lines {
		switch l.reason {
		case "":
			out.Paragraphs = append(out.Paragraphs, l.text)
		case ReasonTitle:
		default:
			out.Removed = append(out.Removed, model.Removal{Line: l.no, Text: l.text, Reason: l.reason})
		}
	}
	if !opts.Body && out.Title == "" && len(out.Paragraphs) > 0 {
		out.Title = titleFromParagraph(out.Paragraphs[0])
	}
	return out
}

func splitLines(text string) []line {
	var out []line
	block := 0
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(strings.Map(normalizeSpace, raw))
		if t == "" {
			block++
			continue
		}
		out = append(out, line{no: i + 1, text: t, words: len(strings.Fields(t)), block: block})
	}
	return out
}

// unwrap joins hard-wrapped lines: a long line that does not end a
// sentence, followed in the same block by one that starts in lower case,
// is one line of the paragraph.
func unwrap(lines []line) []line {
	var out []line
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].block == l.block && wrapped(out[n-1].text) && startsLower(l.text) {
			out[n-1].text += " " + l.text
			out[n-1].words += l.words
			continue
		}
		out = append(out, l)
	}
	return out
}

func startsLower(s string) bool {
	for _, r := range s {
		return unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return false
}

func normalizeSpace(r rune) rune {
	switch r {
	case '\u00a0', '\u2007', '\u202f', '\t':
		return ' '
	case '\u200b', '\ufeff':
		return -1
	}
	return r
}

// wrapped reports whether a line looks cut by hard wrapping rather than
// ending a paragraph: long, and not ending with sentence punctuation.
func wrapped(s string) bool {
	return len(s) >= 50 && !endsSentence(s)
}

func endsSentence(s string) bool {
	r := lastRune(s)
	return strings.ContainsRune(`.!?:;"”’')»…`, r)
}

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// isProse reports whether a line reads as article prose rather than a
// heading, label or button.
func isProse(l line) bool {
	return (l.words >= 8 && endsSentence(l.text)) || l.words >= 20
}

var (
	// Prompts that only ever appear as chrome when they start a short line.
	knownPrefix = regexp.MustCompile(`(?i)^(sign (up|in)|subscribe|already (a )?(member|subscriber)|log ?in\b|register (now|for free)|start reading|download (the|our) app|get (the|our) app|get all your news|one app\b|one subscription|\d+\+? trusted|\w+ days? free|free trial|read news from|top stories on|our picks|related (stories|articles|posts|content|coverage|topics)|more (stories|from|on this)|recommended( for you)?$|you (may|might) also like|read more\b|continue reading|advertisement$|sponsored( content)?$|share (this|on|via)|share$|follow us|click here|sign up for|newsletter|comments are closed|comments? \(\d+\)|leave a (reply|comment)|be the first to comment|\d+ comments?$|view comments|this site uses akismet|learn how your comment|skip to (main )?content|cookie|we use cookies|accept all|print this|email this|tap here|watch:|listen to this article|\d+ min(ute)? read$|updated:? \d|published:? \d)`)
	// Phrases that make any short line chrome, wherever they stand in it.
	knownAnywhere = regexp.MustCompile(`(?i)(all rights reserved|unauthori[sz]ed (use|reproduction|duplication)|without (express )?(and )?written permission|curated specifically for you|premium titles|reduce spam|your comment data|enable javascript|ad blocker|support (our|independent) journalism)`)
	copyrightRe   = regexp.MustCompile(`(?i)^(©|\(c\)\s|copyright\b)`)
	// A caption whose credit closes the line: "(via REUTERS)", "(Anadolu
	// Agency via Getty Images)", "(AP Photo/Name)", "REUTERS/Name Surname".
	captionParen = regexp.MustCompile(`(?i)\((?:[^()]*\bvia\b[^()]*|[^()]*\b(getty images|reuters|afp|ap photo|epa|shutterstock|alamy|anadolu|photo|file photo|pool)\b[^()]*)\)\.?$`)
	captionSlash = regexp.MustCompile(`\b(REUTERS|AFP|AP|EPA|POOL|Getty Images|AP Photo|Reuters)\s*/\s*[\p{Lu}][\p{L}.'-]+(\s[\p{Lu}][\p{L}.'-]+){0,3}\.?$`)
	creditPrefix = regexp.MustCompile(`(?i)^(photo(graph)?|image|picture|credit|pictured|illustration|video)s?\s*(:|by\b)`)
	agencyOnly   = regexp.MustCompile(`(?i)^(©\s*)?(afp|ap|reuters|anp|dpa|efe|ansa|xinhua|tass|ria novosti|upi|pa|pa media|bloomberg|getty images|ap photo|epa)(\s*(/|,|and)\s*(afp|ap|reuters|getty images|epa))*\.?$`)
	trackingCode = regexp.MustCompile(`^[A-Za-z]{1,8}[-_]?\d{1,8}([-_][A-Za-z0-9]{1,8})?$`)
	bylineRe     = regexp.MustCompile(`^(?i:by\s+)?[\p{Lu}][\p{L}'.-]+(\s(?:[\p{Lu}][\p{L}'.-]+|de|van|von|al|bin|da|del|der|la|le)){1,3}$`)
	titleSuffix  = regexp.MustCompile(`\s+[|–—]\s+[^|–—]{1,40}$`)
)

// knownAnywhereHints are pieces of text each of knownAnywhere's phrases
// contains, lower case, none with a letter that Go's case-insensitive
// matching folds to or from a non-ASCII one (k and K with the Kelvin
// sign, s and S with the long s): a line whose lower-case form holds
// none of them cannot match. The expression, unanchored and
// case-insensitive, is tried at every position of every short line;
// ruling lines out first made the line cleaner three times faster on the
// seed articles (BenchmarkCleanSeeds; docs/PERFORMANCE.md, twelfth round).
var knownAnywhereHints = []string{"all right", "unauthori", "written permi", "curated", "premium title", "reduce", "comment data", "enable java", "ad bloc", "journali"}

// mayBeKnownAnywhere reports whether knownAnywhere may match t.
func mayBeKnownAnywhere(t string) bool {
	lower := strings.ToLower(t)
	for _, h := range knownAnywhereHints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return false
}

// isCaption reports whether t ends in a photo credit: "(Photo: …)" or
// "REUTERS/Name". Each expression is tried only on lines that can match
// it (those ending in a parenthesis, those holding a slash), since both
// are tried at every position of every line otherwise; the checks are
// exact, so they change no result (FuzzIsCaption).
func isCaption(t string) bool {
	if (strings.HasSuffix(t, ")") || strings.HasSuffix(t, ").")) && captionParen.MatchString(t) {
		return true
	}
	return strings.IndexByte(t, '/') >= 0 && captionSlash.MatchString(t)
}

// classifyLines applies the rules that depend only on a line itself, its
// neighbour and the source's history.
func classifyLines(lines []line, opts CleanOptions) {
	for i := range lines {
		l := &lines[i]
		t := l.text
		switch {
		case l.words <= 15 && knownPrefix.MatchString(t):
			l.reason = ReasonKnownPhrase
		case l.words <= 40 && mayBeKnownAnywhere(t) && knownAnywhere.MatchString(t):
			l.reason = ReasonKnownPhrase
		case agencyOnly.MatchString(t):
			l.reason = ReasonCredit
		case l.words <= 80 && copyrightRe.MatchString(t):
			l.reason = ReasonCopyright
		case l.words <= 60 && isCaption(t):
			l.reason = ReasonCaption
		case l.words <= 12 && creditPrefix.MatchString(t):
			l.reason = ReasonCredit
		case l.words == 1 && len(t) <= 20 && trackingCode.MatchString(t) && strings.ContainsAny(t, "0123456789") && !isYearOrNumber(t):
			l.reason = ReasonTracking
		case i > 0 && l.words <= 10 && t == lines[i-1].text:
			l.reason = ReasonDuplicate
		case opts.Repeated != nil && l.words <= maxBoilerplateWords && opts.Repeated(t):
			l.reason = ReasonRepeated
		}
	}
}

func isYearOrNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// headerBlock looks at the lines above the first paragraph of prose. The
// first heading-shaped line there is the title; chrome above it is removed
// as header; a name-shaped line around it is the byline.
func headerBlock(lines []line, source string) (title, author string) {
	end := len(lines)
	for i, l := range lines {
		if l.reason == "" && isProse(l) {
			end = i
			break
		}
	}
	if end == len(lines) {
		// No prose at all: the first clean line is the title.
		end = 0
		for i, l := range lines {
			if l.reason == "" {
				lines[i].reason = ReasonTitle
				return cleanTitle(l.text), ""
			}
		}
		return "", ""
	}
	counts := map[string]int{}
	for i := 0; i < end; i++ {
		counts[lines[i].text]++
	}
	// The title is the longest heading-shaped line that is not repeated
	// (a repeated line is the site's name or a section label).
	titleAt := -1
	for i := 0; i < end; i++ {
		l := lines[i]
		if l.reason == "" && l.words >= 3 && lastRune(l.text) != '.' && hasLower(l.text) && counts[l.text] == 1 &&
			(titleAt < 0 || l.words > lines[titleAt].words) {
			titleAt = i
		}
	}
	if titleAt < 0 {
		// Short lines only: take the last clean one as the title.
		for i := end - 1; i >= 0; i-- {
			if lines[i].reason == "" && lines[i].words >= 2 {
				titleAt = i
				break
			}
		}
	}
	if titleAt < 0 {
		return "", ""
	}
	for i := 0; i < end; i++ {
		l := &lines[i]
		switch {
		case i == titleAt:
			l.reason = ReasonTitle
			title = cleanTitle(l.text)
		case l.reason != "":
		case l.words <= 4 && counts[l.text] == 1 && bylineRe.MatchString(l.text) && !strings.EqualFold(l.text, title) && !strings.EqualFold(l.text, source):
			if author == "" || i > titleAt {
				author = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(l.text, "By "), "by "))
			}
			l.reason = ReasonByline
		case i < titleAt:
			l.reason = ReasonHeader
		}
	}
	// A byline-shaped line is only an author when exactly one stands in
	// the header; otherwise those lines were site and section names.
	n := 0
	for i := 0; i < end; i++ {
		if lines[i].reason == ReasonByline {
			n++
		}
	}
	if n > 1 {
		author = ""
		for i := 0; i < end; i++ {
			if lines[i].reason == ReasonByline {
				if i < titleAt {
					lines[i].reason = ReasonHeader
				} else {
					lines[i].reason = ""
				}
			}
		}
	}
	return title, author
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// cleanTitle drops a trailing " | Section" or " — Site" label.
func cleanTitle(t string) string {
	if loc := titleSuffix.FindStringIndex(t); loc != nil && loc[0] > 10 {
		suffix := strings.TrimLeft(t[loc[0]:], " |–—")
		if len(strings.Fields(suffix)) <= 4 {
			t = t[:loc[0]]
		}
	}
	return strings.TrimSpace(t)
}

// markFooter removes the block at the end of a text that starts with a
// chrome line and holds nothing but short lines or chrome: related-story
// lists, subscription walls, comment boxes.
func markFooter(lines []line) {
	start := -1
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if l.reason == ReasonKnownPhrase || l.reason == ReasonCopyright {
			start = i
			continue
		}
		if l.reason != "" || l.words <= 15 && !isProse(l) {
			continue
		}
		break
	}
	if start < 0 || start < len(lines)/2 {
		return
	}
	for i := start; i < len(lines); i++ {
		if lines[i].reason == "" {
			lines[i].reason = ReasonFooter
		}
	}
}

// titleFromParagraph makes a title out of a text that has none: its first
// sentence, shortened at a word boundary.
func titleFromParagraph(p string) string {
	s := p
	for i, r := range p {
		if (r == '.' || r == '!' || r == '?') && i > 20 && (i+1 == len(p) || p[i+1] == ' ') {
			s = p[:i+1]
			break
		}
	}
	const max = 140
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	short := string(rs[:max])
	if cut := strings.LastIndex(short, " "); cut > 40 {
		short = short[:cut]
	}
	return short + "…"
}
