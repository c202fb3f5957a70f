package model

import "time"

// Derivation kinds. They are part of the export format.
const (
	KindDuplicate     = "duplicate"      // the same text
	KindNearDuplicate = "near-duplicate" // the same text with small edits, truncation or other chrome
	KindRewrite       = "rewrite"        // spun: words swapped, names, numbers and order kept
	KindTranslation   = "translation"    // another language, same names, numbers and structure
	KindPartial       = "partial"        // passages reused inside other material
)

// Derivation links a copy to what it copies. When Directed is false the
// origin is unknown and From/To are in ID order.
type Derivation struct {
	From, To string
	Kind     string
	Score    float64
	Directed bool
	Evidence Evidence
	// Override is set when an analyst declared the link ("copy of").
	Override bool
	At       time.Time
}

// Evidence is what a derivation was decided on.
type Evidence struct {
	// Rule names the rule that decided the kind.
	Rule string `json:"rule"`
	// Direction says how the origin was decided: "credit", "time",
	// "containment", or "unknown" with the reason.
	Direction string `json:"direction"`
	// CoverageFrom and CoverageTo are the shares of each text (by length)
	// that the aligned passages cover.
	CoverageFrom float64 `json:"coverage_from"`
	CoverageTo   float64 `json:"coverage_to"`
	// Similarity is the mean similarity of the aligned sentence pairs.
	Similarity float64 `json:"similarity"`
	// Sentences is how many sentence pairs were aligned.
	Sentences int       `json:"sentences"`
	Passages  []Passage `json:"passages"`
	Notes     []string  `json:"notes,omitempty"`
}

// Passage is a run of aligned text: rune offsets [start, end) in the
// From and To articles' clean text.
type Passage struct {
	FromStart int     `json:"from_start"`
	FromEnd   int     `json:"from_end"`
	ToStart   int     `json:"to_start"`
	ToEnd     int     `json:"to_end"`
	Score     float64 `json:"score"`
}

// Override verdicts an analyst can give on a pair of articles.
const (
	VerdictNotCopy = "not-copy"
	VerdictCopyOf  = "copy-of"
)

// Override is an analyst's decision on a pair, respected by later runs.
type Override struct {
	// A and B are the pair; for copy-of, B copies A.
	A, B    string
	Verdict string
	Who     string
	Why     string
	At      time.Time
}

// Band is one locality-sensitive hash of an article's text; articles that
// share a band are compared.
type Band struct {
	Band int
	Hash int64
}
