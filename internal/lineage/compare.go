package lineage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// Thresholds. Each is named in the evidence of the decisions it makes.
const (
	// MinContentWords is the least content (words outside quotes) a text
	// needs before anything but an exact duplicate is decided on it.
	MinContentWords = 40
	sameLangMatch   = 0.40 // sentence similarity that counts as aligned
	crossLangMatch  = 0.60
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
	prose       int // runes outside quotes
	// credited lists the names the article credits ("(Meridian Wire)",
	// "© AFP"), to tell which side of a found copy is the origin. From
	// text it is scanned on first use (Encode uses it, for a new article;
	// a candidate prepared from its text needs it only if it is a copy:
	// the scan was half the cost of preparing one); decoded features
	// carry it.
	credited func() []string
	// role is what the article's source does (model.Roles, or "" when
	// not said), set by the linker before each comparison from the
	// watched sources: it votes on the direction of a copy.
	role string
}

// Prepare computes an article's comparison features.
func Prepare(a *model.Article) *Prepared {
	p := &Prepared{Article: a, Fingerprint: Fingerprint(a.Text), doc: prepare(a.Text)}
	p.prose = prose(p.doc)
	text, removed := a.Text, a.Removed // as they are now
	p.credited = sync.OnceValue(func() []string {
		all := text
		for _, r := range removed {
			all += "\n" + r.Text
		}
		return credited(all)
	})
	return p
}

// prose counts the runes of d's sentences that count as evidence.
func prose(d *doc) int {
	n := 0
	for i := range d.sentences {
		if evidential(&d.sentences[i]) {
			n += d.sentences[i].runes
		}
	}
	return n
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
	case strong >= 3 || exact >= 2 || longestRun(pairs, strongSentence) >= 2:
		kind = model.KindPartial
		ev.Rule = fmt.Sprintf("%d passages reused (%d sentences at similarity ≥ %.2f) inside otherwise different texts", len(ev.Passages), strong, strongSentence)
	default:
		return nil, ""
	}
	return direct(a, b, kind, round(mean*(covA+covB)/2), ev), ""
}

// align finds the best monotonic alignment of the two texts' sentences: a
// copy keeps its source's order even when it drops or adds paragraphs. A
// sentence may also align with two consecutive sentences of the other text
// when the languages differ (translators split and merge sentences). Sentences that are
// mostly quotes are not aligned: outlets share quotes without copying.
func align(a, b *doc, cross bool) []pair {
	n, m := min(len(a.sentences), MaxSentences), min(len(b.sentences), MaxSentences)
	if n == 0 || m == 0 {
		return nil
	}
	thr := sameLangMatch
	if cross {
		thr = crossLangMatch
	}
	var ma, mb []sentence
	if cross {
		ma, mb = merged(a.sentences[:n]), merged(b.sentences[:m])
	}
	sim := func(x, y *sentence) float64 {
		if s := similarity(x, y, cross); s >= thr {
			return s
		}
		return -1
	}
	// score[i][j]: best total for a[:i], b[:j]; move records the step.
	const (
		skipA = iota
		skipB
		one
		twoA // a[i-2]+a[i-1] with b[j-1]
		twoB // a[i-1] with b[j-2]+b[j-1]
	)
	score := make([]float64, (n+1)*(m+1))
	move := make([]uint8, (n+1)*(m+1))
	gain := make([]float64, (n+1)*(m+1))
	at := func(i, j int) int { return i*(m+1) + j }
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if i == 0 || j == 0 {
				if i > 0 {
					move[at(i, j)] = skipA
				} else {
					move[at(i, j)] = skipB
				}
				continue
			}
			best, mv, g := score[at(i-1, j)], uint8(skipA), 0.0
			if v := score[at(i, j-1)]; v > best {
				best, mv = v, skipB
			}
			if s := sim(&a.sentences[i-1], &b.sentences[j-1]); s > 0 && score[at(i-1, j-1)]+s > best {
				best, mv, g = score[at(i-1, j-1)]+s, one, s
			}
			if cross && i >= 2 {
				if s := sim(&ma[i-2], &b.sentences[j-1]); s > 0 && score[at(i-2, j-1)]+1.5*s > best {
					best, mv, g = score[at(i-2, j-1)]+1.5*s, twoA, s
				}
			}
			if cross && j >= 2 {
				if s := sim(&a.sentences[i-1], &mb[j-2]); s > 0 && score[at(i-1, j-2)]+1.5*s > best {
					best, mv, g = score[at(i-1, j-2)]+1.5*s, twoB, s
				}
			}
			score[at(i, j)], move[at(i, j)], gain[at(i, j)] = best, mv, g
		}
	}
	var out []pair
	for i, j := n, m; i > 0 && j > 0; {
		g := gain[at(i, j)]
		switch move[at(i, j)] {
		case one:
			out = append(out, pair{i - 1, j - 1, g})
			i, j = i-1, j-1
		case twoA:
			out = append(out, pair{i - 1, j - 1, g}, pair{i - 2, j - 1, g})
			i, j = i-2, j-1
		case twoB:
			out = append(out, pair{i - 1, j - 1, g}, pair{i - 1, j - 2, g})
			i, j = i-1, j-2
		case skipA:
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

// merged returns, for each i, sentence i joined with sentence i+1.
func merged(ss []sentence) []sentence {
	if len(ss) < 2 {
		return nil
	}
	out := make([]sentence, len(ss)-1)
	for i := range out {
		x, y := &ss[i], &ss[i+1]
		m := sentence{start: x.start, end: y.end, runes: x.runes + y.runes, quoted: x.quoted && y.quoted, names: x.names + y.names,
			content: x.content.union(y.content), anchors: x.anchors.union(y.anchors), xanchors: x.xanchors.union(y.xanchors),
			nums: x.nums.union(y.nums), specific: x.specific.union(y.specific)}
		out[i] = m
	}
	return out
}

// similarity of two sentences: within a language, the overlap of content
// stems and anchors (anchors weigh double); across languages, of anchors
// only (names by their first letters), as the overlap coefficient so that
// German's capitalised nouns on one side do not drown the shared names.
// Across languages numbers alone align only when they are specific.
func similarity(x, y *sentence, cross bool) float64 {
	if x.quoted && y.quoted {
		return 0
	}
	if cross {
		shared, names, specific, sharedNums := 0, 0, 0, 0
		for _, k := range x.xanchors {
			if !y.xanchors.has(k) {
				continue
			}
			shared++
			switch {
			case !x.nums.has(k):
				names++
			case x.specific.has(k):
				specific++
				sharedNums++
			default:
				sharedNums++
			}
		}
		// A translation keeps a sentence's numbers: two sentences that
		// both give numbers but share none say different things.
		if len(x.nums) > 0 && len(y.nums) > 0 && sharedNums == 0 {
			return 0
		}
		if shared < 2 || (names == 0 && shared < 3 && specific == 0) {
			return 0
		}
		small := min(len(x.xanchors), len(y.xanchors))
		if small < 3 {
			return 2 * float64(shared) / float64(len(x.xanchors)+len(y.xanchors))
		}
		return float64(shared) / float64(small)
	}
	sharedAnchors, sharedNums := x.anchors.shared(y.anchors), 0
	if len(x.nums) > 0 && len(y.nums) > 0 {
		sharedNums = x.nums.shared(y.nums)
	}
	// A copy, however reworded, keeps its source's names and numbers:
	// formulaic sentences about other people, places or figures are not
	// copies of each other, and a sentence with no name or number at all
	// ("Shops stayed shut.") can match by chance, so it is no evidence.
	if sharedAnchors == 0 || len(x.nums) > 0 && len(y.nums) > 0 && sharedNums == 0 {
		return 0
	}
	shared := x.content.shared(y.content)
	if shared < 3 {
		return 0
	}
	return 2 * float64(shared+sharedAnchors) / float64(len(x.content)+len(y.content)+len(x.anchors)+len(y.anchors))
}

// specificNumber reports whether a numeral is unlikely to coincide: a
// decimal, or three digits or more that are not a year.
func specificNumber(n string) bool {
	if strings.Contains(n, ".") {
		return true
	}
	if len(n) == 4 && (strings.HasPrefix(n, "19") || strings.HasPrefix(n, "20")) {
		return false
	}
	return len(n) >= 3
}

// evidential reports whether a sentence can show copying: not a quote,
// and naming someone or something or giving a number.
func evidential(s *sentence) bool { return !s.quoted && len(s.anchors) > 0 }

// coverage is the share of a text's evidential prose (see evidential) that
// the aligned sentences cover.
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
		if s := &p.doc.sentences[k]; evidential(s) {
			n += s.runes
		}
	}
	return math.Min(1, float64(n)/float64(p.prose))
}

func longestRun(pairs []pair, min float64) int {
	best, run := 0, 0
	for k, p := range pairs {
		if p.sim >= min && k > 0 && run > 0 && next(pairs[k-1], p) {
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

// next reports whether q continues p's run: each side moves on by at
// most one sentence, and at least one does.
func next(p, q pair) bool {
	di, dj := q.i-p.i, q.j-p.j
	return di >= 0 && di <= 1 && dj >= 0 && dj <= 1 && di+dj > 0
}

// passages merges runs of consecutive aligned sentences.
func passages(a, b *doc, pairs []pair) []model.Passage {
	var out []model.Passage
	var sum float64
	var count int
	for k, p := range pairs {
		sa, sb := a.sentences[p.i], b.sentences[p.j]
		if k > 0 && next(pairs[k-1], p) {
			last := &out[len(out)-1]
			last.FromEnd, last.ToEnd = max(last.FromEnd, sa.end), max(last.ToEnd, sb.end)
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
	for _, c := range p.credited() {
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
// decided. Credit lines decide; otherwise publication time, containment
// and the sources' roles vote, and disagreement leaves the direction
// unknown.
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
	byRole, role := roleOrigin(a, b)
	switch {
	case byTime != nil && byContainment != nil && byTime != byContainment:
		return nil, "unknown: publication time and containment disagree"
	case byRole != nil && byTime != nil && byRole != byTime:
		return nil, "unknown: publication time and the sources' roles disagree (" + role + ")"
	case byRole != nil && byContainment != nil && byRole != byContainment:
		return nil, "unknown: containment and the sources' roles disagree (" + role + ")"
	case byTime != nil && byRole != nil:
		return byTime, "time: published earlier; role: " + role
	case byTime != nil:
		return byTime, "time: published earlier"
	case byContainment != nil && byRole != nil:
		return byContainment, "containment: the other text holds this one plus material of its own; role: " + role
	case byContainment != nil:
		return byContainment, "containment: the other text holds this one plus material of its own"
	case byRole != nil:
		return byRole, "role: " + role
	case pa == nil || pb == nil:
		return nil, "unknown: no credit line and a publication time is missing"
	}
	return nil, "unknown: no credit line and published within 5 minutes of each other"
}

// roleOrigin returns the side the sources' roles make the origin (nil
// when they say nothing) and the roles as evidence, origin first
// ("Meridian Wire is a wire service, NewsStack an aggregator"). An
// aggregator republishes, so against any source that is not one it is
// the copy; a wire service originates, so against an outlet or a source
// whose role is not said it is the origin. Two sources of the same role
// say nothing, nor does an outlet against a source whose role is not
// said (outlets both report and copy).
func roleOrigin(a, b *Prepared) (*Prepared, string) {
	if a.role == b.role || a.Article.Source == b.Article.Source {
		return nil, ""
	}
	origin, copied := a, b
	switch {
	case a.role == model.RoleAggregator, b.role == model.RoleWire:
		origin, copied = b, a
	case b.role == model.RoleAggregator, a.role == model.RoleWire:
	default:
		return nil, ""
	}
	return origin, fmt.Sprintf("%s is %s, %s %s", origin.Article.Source, roleName(origin.role), copied.Article.Source, roleName(copied.role))
}

func roleName(r string) string {
	switch r {
	case model.RoleWire:
		return "a wire service"
	case model.RoleAggregator:
		return "an aggregator"
	case model.RoleOutlet:
		return "an outlet"
	}
	return "not labelled"
}

// sharedCredit returns a name both articles credit that is neither's
// source: both copy a third party, and neither copies the other.
func sharedCredit(a, b *Prepared) string {
	for _, c := range a.credited() {
		if c != strings.ToLower(a.Article.Source) && c != strings.ToLower(b.Article.Source) && b.credits(c) {
			return c
		}
	}
	return ""
}
