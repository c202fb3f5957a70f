package eval

import (
	"regexp"
	"strings"
)

var tokenRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// shingles counts the n-grams of \w+ tokens of text. A text shorter than
// n tokens is one shingle of all its tokens; an empty text has none.
func shingles(text string, n int) map[string]int {
	toks := tokenRe.FindAllString(text, -1)
	out := map[string]int{}
	if len(toks) == 0 {
		return out
	}
	for i := 0; i < max(1, len(toks)-n+1); i++ {
		out[strings.Join(toks[i:min(i+n, len(toks))], "\x00")]++
	}
	return out
}

// ShingleCounts compares predicted and gold text by 4-gram shingle
// multisets, normalised so that tp+fp+fn = 1 (each page weighs the same,
// whatever its length). Both empty counts as a perfect match.
func ShingleCounts(pred, gold string) (tp, fp, fn float64) {
	p, g := shingles(pred, 4), shingles(gold, 4)
	for k, pc := range p {
		gc := g[k]
		tp += float64(min(pc, gc))
		fp += float64(max(0, pc-gc))
	}
	for k, gc := range g {
		fn += float64(max(0, gc-p[k]))
	}
	s := tp + fp + fn
	if s == 0 {
		return 1, 0, 0
	}
	return tp / s, fp / s, fn / s
}

// PRF accumulates normalised counts over pages and reports precision,
// recall and F1 from the sums.
type PRF struct {
	TP, FP, FN float64
	N          int
}

// Add adds one page's counts.
func (m *PRF) Add(tp, fp, fn float64) {
	m.TP += tp
	m.FP += fp
	m.FN += fn
	m.N++
}

// Precision is TP / (TP + FP), 0 when undefined.
func (m PRF) Precision() float64 { return ratio(m.TP, m.TP+m.FP) }

// Recall is TP / (TP + FN), 0 when undefined.
func (m PRF) Recall() float64 { return ratio(m.TP, m.TP+m.FN) }

// F1 is the harmonic mean of precision and recall.
func (m PRF) F1() float64 {
	p, r := m.Precision(), m.Recall()
	return ratio(2*p*r, p+r)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
