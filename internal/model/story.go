package model

import "time"

// Story is a group of articles about one event. Its ID never changes:
// articles join it, analysts move articles in and out, and when two
// stories merge the older ID survives and the younger records MergedInto.
type Story struct {
	ID int64
	// FirstSeen and LastSeen span the members' publication times (their
	// ingest times when undated).
	FirstSeen, LastSeen time.Time
	// Articles, Lineages and Sources count the members, their lineages
	// (independent reports: copies count once) and their outlets.
	Articles, Lineages, Sources int
	// MergedInto is the story this one was merged into, or 0.
	MergedInto int64
	CreatedAt  time.Time
}

// How an article came to be in its story.
const (
	ViaNew        = "new"        // no stored story was close enough
	ViaSimilarity = "similarity" // closest story above the threshold
	ViaLineage    = "lineage"    // a copy joins the story of what it copies
	ViaAnalyst    = "analyst"    // moved or split by an analyst
)

// Assignment is the evidence for an article's place in its story.
type Assignment struct {
	ArticleID string `json:"article"`
	Story     int64  `json:"story"`
	Via       string `json:"via"`
	// Score is the similarity to the story when it was joined (1 for a
	// copy, 0 for a new story).
	Score float64 `json:"score"`
	// Shared lists the heaviest terms the article shared with the story.
	Shared []string `json:"shared,omitempty"`
	// Copies is the stored article whose story a copy joined.
	Copies string `json:"copies,omitempty"`
	// Pinned is set when an analyst placed the article; automatic merges
	// carry it along but nothing automatic moves it.
	Pinned bool `json:"pinned,omitempty"`
	// Mentions are other stories the article is also close to (digests,
	// live blogs): linked, not joined.
	Mentions []Mention `json:"mentions,omitempty"`
}

// Mention links an article to a story it touches but does not belong to.
type Mention struct {
	Story int64   `json:"story"`
	Score float64 `json:"score"`
}

// Story corrections an analyst can make.
const (
	CorrectMove  = "move"  // move articles into a story
	CorrectMerge = "merge" // merge a story into another (older ID kept)
	CorrectSplit = "split" // move articles out into a new story
)

// StoryCorrection is an analyst's change to the story grouping, kept so
// that later runs respect it and the UI can show who changed what.
type StoryCorrection struct {
	Action string
	// Story is the target: where articles move to, the story merged
	// into, or the story split.
	Story int64
	// Other is the story merged away, or the new story of a split.
	Other    int64
	Articles []string
	Who, Why string
	At       time.Time
}
