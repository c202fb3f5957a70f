package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Source roles: what an outlet does with news, used by provenance.
const (
	RoleWire       = "wire"       // originates copy others republish
	RoleAggregator = "aggregator" // republishes others' copy
	RoleOutlet     = "outlet"     // reports and rewrites
)

// Roles lists the valid roles; "" means not said.
var Roles = []string{RoleWire, RoleAggregator, RoleOutlet}

// ValidRole reports whether r is one of Roles, or "" (not said).
func ValidRole(r string) bool { return r == "" || slices.Contains(Roles, r) }

// Source is a feed crosscheck watches.
type Source struct {
	ID int64
	// Name is the outlet's name, as articles from it are attributed.
	Name     string
	FeedURL  string
	Home     string // the outlet's homepage
	Language string
	Role     string // one of Roles, or ""
	Category string // a folder from an OPML list ("Wires/Europe")
	// Every is how often the feed is polled.
	Every time.Duration
	// ETag and LastModified make the next poll conditional.
	ETag, LastModified string
	NextPoll, LastPoll *time.Time
	// LastError is why the last poll failed ("" when it did not).
	LastError string
	// Failures counts the polls that failed in a row (0 after one that
	// worked).
	Failures int
	AddedAt  time.Time
}

// PollTrouble says why the source's polls fail: the last error, the
// failures in a row when more than one, and the next poll (in layout);
// "" when the last poll worked.
func (s *Source) PollTrouble(layout string) string {
	if s.LastError == "" {
		return ""
	}
	out := s.LastError
	if s.Failures > 1 {
		out += fmt.Sprintf(" (%d failed polls in a row)", s.Failures)
	}
	if s.NextPoll != nil {
		out += "; next poll " + s.NextPoll.UTC().Format(layout)
	}
	return out
}

// FeedItem is an item seen in a source's feed, and what became of it.
type FeedItem struct {
	Source    int64
	GUID, URL string
	SeenAt    time.Time
	// Outcome is ingested, skipped (already stored), rejected, queued
	// (handed to the work queue) or retry (the page failed in a way that
	// may pass; it is fetched again at a later poll).
	Outcome   string
	ArticleID string
	Reason    string
	// Attempts counts the fetches of the item's page that failed and may
	// pass (for a retry; kept when a later one succeeds).
	Attempts int
	// Published is the feed's date for the item, if it gave one.
	Published *time.Time
}

// OutcomeRetry is a feed item's outcome while its page waits to be
// fetched again.
const OutcomeRetry = "retry"

// MaxSourceName bounds the length of an outlet's name, in characters.
const MaxSourceName = 200

// CheckSourceName says why name cannot name an outlet: it is empty (or
// blank), longer than MaxSourceName, or more than one line; nil when it
// can.
func CheckSourceName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("a source needs a name")
	case utf8.RuneCountInString(name) > MaxSourceName:
		return fmt.Errorf("a source name is at most %d characters", MaxSourceName)
	case strings.ContainsFunc(name, unicode.IsControl):
		return errors.New("a source name is one line, without control characters")
	}
	return nil
}

// SourceRename is an analyst's renaming of an outlet, kept so that every
// correction can be shown: the articles attributed to From were
// attributed to To. Source is the watched source renamed, or 0 when the
// outlet's name itself was (every article under it, and every source).
type SourceRename struct {
	ID       int64
	From, To string
	Source   int64
	Moved    int // stored articles that moved
	At       time.Time
}
