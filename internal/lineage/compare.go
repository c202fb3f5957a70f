package lineage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// Thresholds. Each is named in the evidence of the decisions it makes.
const (
	// MinContentWords is the least content (words outside quotes) a text
	// needs before anything but an exact duplicate is decided on it.
	MinContentWords = 40
	sameLangMatch   = 0.40 // sentence similarity that counts as aligned
	crossLangMatch  = 0.50
	exactSentence   = 0.90 // an aligned pair this similar is copied as is
	strongSentence  = 0.70 // an aligned pair this similar is a reused passage
	rewriteMean     = 0.55 // mean similarity of a rewrite's aligned pairs
	// MaxSentences bounds the sentences of each text that are aligned:
	// alignment is quadratic, and a copy shows in its first few hundred
	// sentences.
	MaxSentences = 400
)

// Prepared is an article ready for comparison; prepare each article once.
type Prepared struct {
	Article     *model.Article
	Fingerprint string
	doc         *doc
	credited    []string // names this article credits ("(Meridian Wire)", "© AFP")
	prose       int      // runes outside quotes
}

// Prepare computes an article's comparison features.
func Prepare(a *model.Article) *Prepared {
	p := &Prepared{Article: a, Fingerprint: Fingerprint(a.Text), doc: prepare(a.Text)}
	for _, s := range p.doc.sentences {
		if !s.quoted {
			p.prose += s.runes
		}
	}
	all := a.Text
	for _, r := range a.Removed {
		all += "\n" + r.Text
	}
	p.credited = credited(all)
	return p
}

// Fingerprint is the hash of a text's words, lower-cased, with
// punctuation and spacing dropped: equal fingerprints are duplicates.
func Fingerprint(text string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && !isPunct(r))
	}) {
		b.WriteString(w)
		b.WriteByte(' ')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

func isPunct(r rune) bool { return strings.ContainsRune("“”‘’«»„—–…·•", r) }

func (p *Prepared) contentWords() int {
	n := 0
	for _, s := range p.doc.sentences {
		if !s.quoted {
			n += len(s.content)
		}
	}
	return n
}

// pair is one aligned sentence pair.
type pair struct {
	i, j int
	sim  float64
}

// Compare decides whether a and b are copies of one another, and of what
// kind. It returns nil when they are not linked; note says why when a
// content threshold prevented a decision.
func Compare(a, b *Prepared) (d *model.Derivation, note string) {
	if a.Fingerprint == b.Fingerprint && len(a.doc.sentences) > 0 {
		return direct(a, b, model.KindDuplicate, 1, model.Evidence{
			Rule: "identical text (same fingerprint)", CoverageFrom: 1, CoverageTo: 1, Similarity: 1,
			Sentences: len(a.doc.sentences), Passages: []model.Passage{{FromEnd: a.doc.runes, ToEnd: b.doc.runes, Score: 1}},
		}), ""
	}
	if wa, wb := a.contentWords(), b.contentWords(); wa < MinContentWords || wb < MinContentWords {
		return nil, fmt.Sprintf("too little content to compare (%d and %d words outside quotes; %d needed): only exact duplicates are linked", wa, wb, MinContentWords)
	}
	cross := a.Article.Language != "" && b.Article.Language != "" && a.Article.Language != b.Article.Language
	pairs := align(a.doc, b.doc, cross)
	if len(pairs) == 0 {
		return nil, ""
	}
	var notes []string
	if len(a.doc.sentences) > MaxSentences || len(b.doc.sentences) > MaxSentences {
		notes = append(notes, fmt.Sprintf("only the first %d sentences of each text were aligned", MaxSentences))
	}
	covA, covB := coverage(a, pairs, true), coverage(b, pairs, false)
	mean, exact, strong := 0.0, 0, 0
	for _, p := range pairs {
		mean += p.sim
		if p.sim >= exactSentence {
			exact++
		}
		if p.sim >= strongSentence {
			strong++
		}
	}
	mean /= float64(len(pairs))
	ev := model.Evidence{CoverageFrom: round(covA), CoverageTo: round(covB), Similarity: round(mean), Sentences: len(pairs), Passages: passages(a.doc, b.doc, pairs), Notes: notes}
	lo, hi := math.Min(covA, covB), math.Max(covA, covB)
	var kind string
	switch {
	case cross && len(pairs) >= 3 && lo >= 0.5:
		kind = model.KindTranslation
		ev.Rule = fmt.Sprintf("%s and %s texts share names and numbers in %d aligned sentences covering %.0f%% and %.0f%%", a.Article.Language, b.Article.Language, len(pairs), covA*100, covB*100)
	case cross:
		return nil, ""
	case len(pairs) >= 2 && float64(exact) >= 0.8*float64(len(pairs)) && hi >= 0.85 && lo >= 0.5:
		kind = model.KindNearDuplicate
		ev.Rule = fmt.Sprintf("%d of %d aligned sentences copied as is; one text covers %.0f%% of the other", exact, len(pairs), hi*100)
	case len(pairs) >= 3 && lo >= 0.5 && mean >= rewriteMean:
		kind = model.KindRewrite
		ev.Rule = fmt.Sprintf("%d sentences aligned in order with mean similarity %.2f, covering %.0f%% and %.0f%%: the same text reworded", len(pairs), mean, covA*100, covB*100)
	case strong >= 3 || longestRun(pairs, strongSentence) >= 2:
		kind = model.KindPartial
		ev.Rule = fmt.Sprintf("%d passages reused (%d sentences at similarity ≥ %.2f) inside otherwise different texts", len(ev.Passages), strong, strongSentence)
	default:
		return nil, ""
	}
	return direct(a, b, kind, round(mean*(covA+covB)/2), ev), ""
}

// align finds the best monotonic alignment of the two texts' sentences: a
// copy keeps its source's order even when it drops or adds paragraphs.
// Sentences that are mostly quotes are not aligned: outlets share quotes
// without copying each other.
func align(a, b *doc, cross bool) []pair {
	n, m := min(len(a.sentences), MaxSentences), min(len(b.sentences), MaxSentences)
	if n == 0 || m == 0 {
		return nil
	}
	thr := sameLangMatch
	if cross {
		thr = crossLangMatch
	}
	sim := make([]float64, n*m)
	for i := range a.sentences {
		for j := range b.sentences {
			sim[i*m+j] = similarity(&a.sentences[i], &b.sentences[j], cross)
		}
	}
	score := make([]float64, (n+1)*(m+1))
	at := func(i, j int) *float64 { return &score[i*(m+1)+j] }
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best := math.Max(*at(i-1, j), *at(i, j-1))
			if s := sim[(i-1)*m+j-1]; s >= thr {
				best = math.Max(best, *at(i-1, j-1)+s)
			}
			*at(i, j) = best
		}
	}
	var out []pair
	for i, j := n, m; i > 0 && j > 0; {
		s := sim[(i-1)*m+j-1]
		switch {
		case s >= thr && *at(i, j) == *at(i-1, j-1)+s:
			out = append(out, pair{i - 1, j - 1, s})
			i, j = i-1, j-1
		case *at(i, j) == *at(i-1, j):
			i--
		default:
			j--
		}
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

// similarity of two sentences: within a language, the overlap of content
// stems and anchors (anchors weigh double); across languages, of anchors
// only, and never on numbers alone.
func similarity(x, y *sentence, cross bool) float64 {
	if x.quoted && y.quoted {
		return 0
	}
	sharedAnchors, sharedNames := 0, 0
	for k := range x.anchors {
		if y.anchors[k] {
			sharedAnchors++
			if _, isNum := number(k); !isNum {
				sharedNames++
			}
		}
	}
	if cross {
		if sharedAnchors < 2 || sharedNames < 1 {
			return 0
		}
		return 2 * float64(sharedAnchors) / float64(len(x.anchors)+len(y.anchors))
	}
	shared := 0
	for k := range x.content {
		if y.content[k] {
			shared++
		}
	}
	if shared < 3 {
		return 0
	}
	return 2 * float64(shared+sharedAnchors) / float64(len(x.content)+len(y.content)+len(x.anchors)+len(y.anchors))
}

// coverage is the share of a text's prose (runes outside quotes) that the
// aligned sentences cover.
func coverage(p *Prepared, pairs []pair, first bool) float64 {
	if p.prose == 0 {
		return 0
	}
	n := 0
	for _, x := range pairs {
		k := x.j
		if first {
			k = x.i
		}
		if s := p.doc.sentences[k]; !s.quoted {
			n += s.runes
		}
	}
	return math.Min(1, float64(n)/float64(p.prose))
}

func longestRun(pairs []pair, min float64) int {
	best, run := 0, 0
	for k, p := range pairs {
		if p.sim >= min && k > 0 && run > 0 && p.i == pairs[k-1].i+1 && p.j == pairs[k-1].j+1 {
			run++
		} else if p.sim >= min {
			run = 1
		} else {
			run = 0
		}
		best = max(best, run)
	}
	return best
}

// passages merges runs of consecutive aligned sentences.
func passages(a, b *doc, pairs []pair) []model.Passage {
	var out []model.Passage
	var sum float64
	var count int
	for k, p := range pairs {
		sa, sb := a.sentences[p.i], b.sentences[p.j]
		if k > 0 && p.i == pairs[k-1].i+1 && p.j == pairs[k-1].j+1 {
			last := &out[len(out)-1]
			last.FromEnd, last.ToEnd = sa.end, sb.end
			sum += p.sim
			count++
			last.Score = round(sum / float64(count))
			continue
		}
		out = append(out, model.Passage{FromStart: sa.start, FromEnd: sa.end, ToStart: sb.start, ToEnd: sb.end, Score: round(p.sim)})
		sum, count = p.sim, 1
	}
	return out
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

var creditRe = regexp.MustCompile(`(?:\((?:via\s+)?|©\s*(?:\d{4},?\s*)?|\bvia\s+|\b(?:[Rr]eporting|[Pp]rovided|[Ww]ritten|[Rr]eported)\s+by\s+)((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*){0,3})`)

// credited lists the names a text credits: "(Meridian Wire)", "© AFP",
// "via REUTERS", "Additional reporting by Meridian Wire".
func credited(text string) []string {
	var out []string
	for _, m := range creditRe.FindAllStringSubmatch(text, -1) {
		out = append(out, strings.ToLower(strings.TrimRight(m[1], ".")))
	}
	return out
}

// credits reports whether p credits the outlet named source.
func (p *Prepared) credits(source string) bool {
	s := strings.ToLower(strings.TrimSpace(source))
	if s == "" {
		return false
	}
	for _, c := range p.credited {
		if c == s || strings.HasPrefix(c, s) {
			return true
		}
	}
	return false
}

// direct decides which of a and b is the origin and builds the derivation.
func direct(a, b *Prepared, kind string, score float64, ev model.Evidence) *model.Derivation {
	origin, how := orient(a, b, kind, ev)
	d := &model.Derivation{Kind: kind, Score: score, Evidence: ev, At: time.Now().UTC()}
	switch origin {
	case a:
		d.From, d.To, d.Directed = a.Article.ID, b.Article.ID, true
	case b:
		d.From, d.To, d.Directed = b.Article.ID, a.Article.ID, true
		d.Evidence.CoverageFrom, d.Evidence.CoverageTo = ev.CoverageTo, ev.CoverageFrom
		d.Evidence.Passages = swap(ev.Passages)
	default:
		d.From, d.To = a.Article.ID, b.Article.ID
		if b.Article.ID < a.Article.ID {
			d.From, d.To = b.Article.ID, a.Article.ID
			d.Evidence.CoverageFrom, d.Evidence.CoverageTo = ev.CoverageTo, ev.CoverageFrom
			d.Evidence.Passages = swap(ev.Passages)
		}
	}
	d.Evidence.Direction = how
	return d
}

func swap(ps []model.Passage) []model.Passage {
	out := make([]model.Passage, len(ps))
	for i, p := range ps {
		out[i] = model.Passage{FromStart: p.ToStart, FromEnd: p.ToEnd, ToStart: p.FromStart, ToEnd: p.FromEnd, Score: p.Score}
	}
	return out
}

// orient returns the origin (a, b, or nil when unknown) and how it was
// decided. Credit lines decide; otherwise publication time and
// containment vote, and disagreement leaves the direction unknown.
func orient(a, b *Prepared, kind string, ev model.Evidence) (*Prepared, string) {
	aSrc, bSrc := a.Article.Source, b.Article.Source
	bCreditsA, aCreditsB := b.credits(aSrc) && aSrc != bSrc, a.credits(bSrc) && aSrc != bSrc
	switch {
	case bCreditsA && !aCreditsB:
		return a, fmt.Sprintf("credit: %s credits %s", bSrc, aSrc)
	case aCreditsB && !bCreditsA:
		return b, fmt.Sprintf("credit: %s credits %s", aSrc, bSrc)
	}
	if third := sharedCredit(a, b); third != "" {
		return nil, fmt.Sprintf("unknown: both credit %s, which neither is", third)
	}
	var byTime, byContainment *Prepared
	pa, pb := a.Article.Published, b.Article.Published
	if pa != nil && pb != nil {
		switch dt := pb.Sub(*pa); {
		case dt >= 5*time.Minute:
			byTime = a
		case dt <= -5*time.Minute:
			byTime = b
		}
	}
	if kind == model.KindPartial {
		// The copy is the origin plus material of its own.
		switch {
		case ev.CoverageFrom >= 0.8 && ev.CoverageTo < 0.6:
			byContainment = a
		case ev.CoverageTo >= 0.8 && ev.CoverageFrom < 0.6:
			byContainment = b
		}
	}
	switch {
	case byTime != nil && byContainment != nil && byTime != byContainment:
		return nil, "unknown: publication time and containment disagree"
	case byTime != nil:
		return byTime, "time: published earlier"
	case byContainment != nil:
		return byContainment, "containment: the other text holds this one plus material of its own"
	case pa == nil || pb == nil:
		return nil, "unknown: no credit line and a publication time is missing"
	}
	return nil, "unknown: no credit line and published within 5 minutes of each other"
}

// sharedCredit returns a name both articles credit that is neither's
// source: both copy a third party, and neither copies the other.
func sharedCredit(a, b *Prepared) string {
	for _, c := range a.credited {
		if c != strings.ToLower(a.Article.Source) && c != strings.ToLower(b.Article.Source) && b.credits(c) {
			return c
		}
	}
	return ""
}
