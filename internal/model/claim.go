package model

import "time"

// Claim is one countable fact an article states: "at least 12 people were
// killed, the coast guard said".
type Claim struct {
	// ID is the article ID, "-", and the claim's ordinal in the article.
	ID      string
	Article string
	// Sentence is the sentence stating it; Start and End are its rune
	// offsets in the article's text.
	Sentence   string
	Start, End int
	// Quantity is the quantity as written ("at least 12", "dozens").
	Quantity string
	// Kind is what is counted, normalised (KindKilled, …); Noun is the
	// head noun as written ("people", "bodies", "hectares").
	Kind string
	Noun string
	// Value is the stated number; Low and High bound it (nil: unbounded):
	// "at least 18" is [18, ∞), "about 400" [360, 440], "12" [12, 12].
	Value     float64
	Low, High *float64
	// Place is where the sentence places the fact, when it says.
	Place string
	// When is the day the fact is about: the article's date, moved to the
	// weekday or "yesterday" the sentence names. Nil when undated.
	When *time.Time
	// Attribution is who the sentence says it comes from ("coast guard
	// spokesman Nikos Alexiou", "police"), or "" when unattributed.
	Attribution string
}

// Claim kinds: what is counted.
const (
	ClaimKilled     = "killed"
	ClaimInjured    = "injured"
	ClaimMissing    = "missing"
	ClaimBodies     = "bodies"
	ClaimRescued    = "rescued"
	ClaimDisplaced  = "displaced"
	ClaimArrested   = "arrested"
	ClaimTroops     = "troops"
	ClaimProtesters = "protesters"
	ClaimVotes      = "votes"
	ClaimArea       = "area"
	ClaimMoney      = "money"
	ClaimPercent    = "percent"
	ClaimOther      = "other" // counted by its noun
)

// Casualty reports whether a kind counts people harmed.
func Casualty(kind string) bool {
	switch kind {
	case ClaimKilled, ClaimInjured, ClaimMissing, ClaimBodies:
		return true
	}
	return false
}

// ClaimOverride is an analyst's verdict on a claim group's status,
// replacing the computed one.
type ClaimOverride struct {
	Story  int64
	Group  string // the claim group's ID
	Status string // conflicting, updated, corroborated or single-source
	Who    string
	Why    string
	At     time.Time
}
