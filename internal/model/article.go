package model

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Article is one ingested report: its clean text, its metadata and the
// boilerplate that was removed from it, with the reason for each removal.
type Article struct {
	// ID is stable: derived from Key, so re-ingesting the same input
	// always yields the same ID on every database.
	ID string
	// Key is the article's identity: "url:" + canonical URL when known,
	// else "sha256:" + hash of the normalised clean text.
	Key string
	// Source is the outlet (a name given with --source, the site name
	// from the page's metadata, or the JSONL "source" field).
	Source string
	// URL is the canonical URL when known.
	URL string
	// Path is the input file the article came from, when there was one;
	// for JSONL it carries the line number (file.jsonl:12).
	Path string
	// Format is the input format: html, text or jsonl.
	Format    string
	Title     string
	Author    string
	Site      string
	Published *time.Time
	// FetchedAt is when the page was fetched from the web (by watch, or
	// the WARC record's date); nil for files given directly.
	FetchedAt *time.Time
	// Language is an ISO 639-1 code, or "" when it could not be detected.
	Language string
	// Text is the cleaned article text, paragraphs separated by "\n\n".
	Text string
	// Removed lists what the cleaner dropped from the text and why.
	Removed    []Removal
	IngestedAt time.Time
	// Lineage is the ID of the article that founded this article's
	// lineage: the earliest published of the articles connected to it by
	// copying (its own ID when it copies nothing and nothing copies it).
	Lineage string
	// Story is the ID of the story the article belongs to (0 until it is
	// clustered).
	Story int64
}

// Removal is one line of boilerplate removed from an article's text.
type Removal struct {
	// Line is the 1-based line number in the input text.
	Line int `json:"line"`
	// Text is the removed line as it was.
	Text string `json:"text"`
	// Reason is a short stable code such as "known-phrase",
	// "photo-credit" or "footer-block"; see docs/extraction.md.
	Reason string `json:"reason"`
}

// Rejection records an input that could not be ingested.
type Rejection struct {
	// Input names the file (or file:line for JSONL) that was rejected.
	Input  string
	Reason string
	At     time.Time
}

// ArticleID derives the stable article ID from an identity key.
func ArticleID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}
