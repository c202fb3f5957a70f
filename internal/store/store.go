// Package store defines how the pipeline and the web UI see storage. The
// SQL implementation lives in sqldb; sqlite and postgres open it on their
// database; storetest is the conformance suite every implementation passes.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// Batcher is a Store that can group many writes into one transaction,
// which makes bulk ingest several times cheaper than a commit per
// article. A batch's Store reads its own writes; everything it wrote
// becomes visible to others at Commit, or is discarded.
type Batcher interface {
	Begin(ctx context.Context) (Batch, error)
}

// Batch is an open group of writes (see Batcher).
type Batch interface {
	Store() Store
	Commit(ctx context.Context) error
	Rollback() error
}

// Store is crosscheck's persistent state.
type Store interface {
	// PutArticle stores a new article and everything derived from it in
	// one transaction: line fingerprints, LSH bands, derivations, and the
	// lineage labels of the articles the derivations connect. When an
	// article with the same Key exists nothing is changed and inserted is
	// false.
	PutArticle(ctx context.Context, w ArticleWrite) (inserted bool, err error)
	// HasArticle reports whether an article with this identity key exists.
	HasArticle(ctx context.Context, key string) (bool, error)
	// ArticlesByInput returns, of the given inputs (file paths, fetched
	// URLs: an article's Path), those stored, with their article's ID.
	ArticlesByInput(ctx context.Context, inputs []string) (map[string]string, error)
	// GetArticle returns one article by ID, or ErrNotFound.
	GetArticle(ctx context.Context, id string) (*model.Article, error)
	// ListArticles returns articles, newest publication first.
	ListArticles(ctx context.Context, opts ListOptions) ([]*model.Article, error)
	// CountArticles returns how many articles are stored.
	CountArticles(ctx context.Context) (int, error)
	// EachArticle calls fn for every article in ID order, streaming.
	EachArticle(ctx context.Context, fn func(*model.Article) error) error
	// RepeatedLines returns, of the given line hashes, those that occur in
	// at least minArticles stored articles of the source.
	RepeatedLines(ctx context.Context, source string, hashes []int64, minArticles int) (map[int64]bool, error)
	// RecordRejection records an input that could not be ingested. The
	// same input rejected again updates its record (one row per input).
	RecordRejection(ctx context.Context, r model.Rejection) error
	// ListRejections returns rejected inputs, most recent first.
	ListRejections(ctx context.Context) ([]model.Rejection, error)

	// Candidates returns the IDs of stored articles that share any of the
	// bands or the fingerprint, most shared bands first, at most limit.
	// When around is set, only articles published within window of it (or
	// undated) are returned; a copy appears within days of its origin, and
	// the window keeps the lookup's cost flat as the corpus grows.
	Candidates(ctx context.Context, q CandidateQuery) ([]string, error)
	// CandidateFeatures returns, for the given article IDs, what copy
	// linking compares them on: a few fields and the stored features
	// (nil for an article stored without). Unknown IDs are left out; the
	// order is unspecified.
	CandidateFeatures(ctx context.Context, ids []string) ([]CandidateFeatures, error)
	// Derivations returns the derivations touching an article.
	Derivations(ctx context.Context, articleID string) ([]model.Derivation, error)
	// SourceDerivations returns the derivations touching the articles
	// attributed to source, in pair order.
	SourceDerivations(ctx context.Context, source string) ([]model.Derivation, error)
	// SetDirections rewrites the direction (From, To, Directed and the
	// evidence) of stored derivations, each found by its pair; a pair
	// an analyst declared (an override) or no longer linked is left
	// alone. It returns how many it rewrote.
	SetDirections(ctx context.Context, ds []model.Derivation) (int, error)
	// EachDerivation calls fn for every derivation, in pair order.
	EachDerivation(ctx context.Context, fn func(model.Derivation) error) error
	// LineageArticles returns the articles of a lineage, earliest first.
	LineageArticles(ctx context.Context, lineage string) ([]*model.Article, error)
	// PutOverride records an analyst's verdict on a pair and applies it in
	// the same transaction: not-copy deletes the pair's derivation,
	// copy-of stores d (which must link the pair); lineage labels are
	// recomputed for both articles.
	PutOverride(ctx context.Context, o model.Override, d *model.Derivation) error
	// Overrides returns the overrides touching an article.
	Overrides(ctx context.Context, articleID string) ([]model.Override, error)
	// ListOverrides returns every override, most recent first.
	ListOverrides(ctx context.Context) ([]model.Override, error)

	// TermStats returns how many clustered articles contain each of the
	// terms (absent terms are 0), and how many articles were clustered.
	TermStats(ctx context.Context, terms []string) (map[string]int, int, error)
	// StoryCandidates returns the live (unmerged) stories whose centroid
	// holds any of the terms, most terms shared first, at most limit.
	// When around is set, stories dated entirely outside window of it are
	// skipped; undated stories are always eligible.
	StoryCandidates(ctx context.Context, q StoryQuery) ([]int64, error)
	// StoryCentroids returns the whole term vectors of stories.
	StoryCentroids(ctx context.Context, ids []int64) (map[int64]map[string]float64, error)
	// StoryMatches returns, per story, the centroid's weights on the given
	// terms and the centroid's length: what scoring an article needs,
	// read in time independent of the stories' sizes.
	StoryMatches(ctx context.Context, ids []int64, terms []string) (map[int64]StoryMatch, error)
	// ArticleStories returns the stories of stored articles (absent when
	// the article is unknown or not yet clustered).
	ArticleStories(ctx context.Context, articleIDs []string) (map[string]int64, error)
	// PlaceArticle puts a stored article that has no story yet into one
	// (articles stored before stories existed), in one transaction.
	PlaceArticle(ctx context.Context, a *model.Article, sw *StoryWrite) error
	// GetStory returns a story, or ErrNotFound. A merged story is
	// returned with MergedInto set.
	GetStory(ctx context.Context, id int64) (*model.Story, error)
	// ListStories returns live stories in the order asked for.
	ListStories(ctx context.Context, opts StoryListOptions) ([]*model.Story, error)
	// StoryArticles returns a story's articles, earliest published first.
	StoryArticles(ctx context.Context, id int64) ([]*model.Article, error)
	// Assignment returns why an article is in its story, or ErrNotFound.
	Assignment(ctx context.Context, articleID string) (*model.Assignment, error)
	// CorrectStories applies an analyst's move, merge or split and records
	// it, in one transaction. A split fills in c.Other with the new story.
	CorrectStories(ctx context.Context, c *model.StoryCorrection) error
	// StoryCorrections returns the corrections touching a story (all when
	// id is 0), oldest first.
	StoryCorrections(ctx context.Context, id int64) ([]model.StoryCorrection, error)

	// StoryClaims returns the claims of a story's articles, by article
	// and order in it.
	StoryClaims(ctx context.Context, story int64) ([]model.Claim, error)
	// ArticleClaims returns an article's claims in order.
	ArticleClaims(ctx context.Context, articleID string) ([]model.Claim, error)
	// EachClaim calls fn for every claim, by article and order.
	EachClaim(ctx context.Context, fn func(model.Claim) error) error

	// StoryEntityKeys returns the keys of the entities the story's latest
	// StoryEntityWindow articles (by time of ingest) mention, in key
	// order. The bound keeps the linker's lookup the same size however
	// long a story runs.
	StoryEntityKeys(ctx context.Context, story int64) ([]string, error)
	// AliasKeys returns, of the given folded spellings, those an analyst
	// aliased, with the key of their entity.
	AliasKeys(ctx context.Context, aliases []string) (map[string]string, error)
	// GetEntity returns an entity with its aliases, roles and articles, or
	// ErrNotFound. A merged entity comes back as the one it was merged
	// into.
	GetEntity(ctx context.Context, id int64) (*model.Entity, error)
	// StoryEntities returns the entities a story's articles mention, most
	// mentioned first, with Articles limited to the story's.
	StoryEntities(ctx context.Context, story int64) ([]*model.Entity, error)
	// EachEntity calls fn for every live entity, by ID.
	EachEntity(ctx context.Context, fn func(*model.Entity) error) error
	// SetAlias makes a spelling an analyst's alias of an entity: stored
	// mentions so spelled move to it, and later ones follow.
	SetAlias(ctx context.Context, alias string, entityID int64) error
	// MergeEntities merges other into keep: mentions and aliases move,
	// and later mentions of other's key go to keep.
	MergeEntities(ctx context.Context, keep, other int64) error

	// AddSource stores a source, or finds the one with the same feed URL:
	// it returns the source's ID and whether it was new.
	AddSource(ctx context.Context, s *model.Source) (id int64, added bool, err error)
	// Sources returns every source, by name.
	Sources(ctx context.Context) ([]model.Source, error)
	// GetSource returns one source, or ErrNotFound.
	GetSource(ctx context.Context, id int64) (*model.Source, error)
	// UpdateSource changes what an analyst says about a source: its
	// name, homepage, language, role, category and poll interval (a
	// shorter one brings the next poll forward, unless the feed is
	// failing), or returns ErrNotFound.
	//
	// A new name carries the source's stored articles with it, with
	// their repeated lines and features, in the same transaction, and
	// moved says how many: every article attributed to the old name
	// when no other source has that name, else only those fetched
	// through this source's feed.
	UpdateSource(ctx context.Context, s *model.Source) (moved int, err error)
	// RenameOutlet attributes every stored article under the name from
	// to the name to, with their repeated lines and features, and renames
	// every watched source called from, in one transaction: for outlets
	// named by their pages or by --source (file, WARC and JSONL input),
	// and to merge two names of one outlet. It returns how many articles
	// moved, or ErrNotFound when nothing has the name from.
	RenameOutlet(ctx context.Context, from, to string) (moved int, err error)
	// SourceRenames lists the renames made by UpdateSource and
	// RenameOutlet, oldest first.
	SourceRenames(ctx context.Context) ([]model.SourceRename, error)
	// RemoveSource deletes a source and its seen items (its articles
	// stay), or returns ErrNotFound.
	RemoveSource(ctx context.Context, id int64) error
	// DueSources returns the sources whose next poll is at or before now
	// (or never polled), soonest first.
	DueSources(ctx context.Context, now time.Time) ([]model.Source, error)
	// ClaimSource takes a source for one poll, for as long as the
	// process lives, and reports whether it is still due at now: false
	// when another watcher holds a claim or has polled it since. release
	// gives it back, after PolledSource. A watcher that dies gives its
	// claim back with it: the claim is a session lock on PostgreSQL and a
	// file lock beside the database on SQLite (where one poll at a time
	// holds it, whatever its source).
	ClaimSource(ctx context.Context, id int64, now time.Time) (release func(), ok bool, err error)
	// PolledSource records a poll: validators for the next conditional
	// request, when it happened, when to poll next, and its error ("" for
	// none); a failed poll adds one to the source's Failures, one that
	// worked sets it to 0.
	PolledSource(ctx context.Context, id int64, etag, lastModified string, at, next time.Time, pollErr string) error
	// SeenItems returns which of the GUIDs the source's feed has shown
	// before and that were dealt with.
	SeenItems(ctx context.Context, source int64, guids []string) (map[string]bool, error)
	// RecordItem records what became of a feed item (one row per source
	// and GUID; recording again updates it).
	RecordItem(ctx context.Context, it model.FeedItem) error
	// SourceItems returns a source's most recent items, newest first.
	SourceItems(ctx context.Context, source int64, limit int) ([]model.FeedItem, error)
	// RetryItems returns up to limit of a source's items whose outcome
	// is model.OutcomeRetry, the least recently recorded first.
	RetryItems(ctx context.Context, source int64, limit int) ([]model.FeedItem, error)

	// StoryAssignments returns why each article of a story is in it, by
	// article ID (Assignment for a whole story at once).
	StoryAssignments(ctx context.Context, story int64) (map[string]*model.Assignment, error)
	// StoryDerivations returns the derivations touching a story's
	// articles (Derivations for a whole story at once).
	StoryDerivations(ctx context.Context, story int64) ([]model.Derivation, error)

	// PutClaimOverride records an analyst's status for a claim group
	// (replacing an earlier one); an empty status removes the override.
	PutClaimOverride(ctx context.Context, o model.ClaimOverride) error
	// ClaimOverrides returns a story's claim-group overrides.
	ClaimOverrides(ctx context.Context, story int64) ([]model.ClaimOverride, error)

	// ArticleMentions returns the names an article gives, in text order,
	// each with the live entity it resolves to.
	ArticleMentions(ctx context.Context, articleID string) ([]Mention, error)
	// TopEntities returns live entities by how many articles mention
	// them, most first; typ ("person", "organisation", "place", "other")
	// filters when set.
	TopEntities(ctx context.Context, typ string, limit, offset int) ([]EntityCount, error)

	// SourceStats returns every outlet that has articles, most articles
	// first.
	SourceStats(ctx context.Context) ([]SourceStat, error)

	// Search finds articles by full text (SQLite FTS5, PostgreSQL
	// tsvector) and filters, best match first, and counts all matches.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, int, error)

	// ArticlePlaces returns the places an article names, in text order.
	ArticlePlaces(ctx context.Context, articleID string) ([]model.PlaceMention, error)
	// StoryPlaces returns the place mentions of a story's articles.
	StoryPlaces(ctx context.Context, story int64) ([]model.PlaceMention, error)
	// SourcePlaces returns the places a source's most recently ingested
	// articles name (at most the latest n articles): one mention per
	// article and place, with only Article, PlaceID, Country, Admin1 and
	// Precision set. It is the context for resolving ambiguous names,
	// read for every article ingested, so it carries no more than that.
	SourcePlaces(ctx context.Context, source string, n int) ([]model.PlaceMention, error)
	// SourceLatest returns the IDs of a source's most recently ingested
	// articles (at most n), newest first: the articles SourcePlaces reads.
	SourceLatest(ctx context.Context, source string, n int) ([]string, error)
	// EachPlaceMention calls fn for every place mention, by place and
	// article.
	EachPlaceMention(ctx context.Context, fn func(model.PlaceMention) error) error

	// ArticleDates returns an article's time expressions in text order.
	ArticleDates(ctx context.Context, articleID string) ([]model.DateMention, error)
	// EachDateMention calls fn for every time expression, by article.
	EachDateMention(ctx context.Context, fn func(model.DateMention) error) error

	// Close releases the database.
	Close() error
}

// CandidateQuery asks for the stored articles that may be copies.
type CandidateQuery struct {
	Bands       []model.Band
	Fingerprint string
	Limit       int
	Around      *time.Time
	Window      time.Duration
}

// ArticleWrite is a new article with what is stored along with it.
type ArticleWrite struct {
	Article *model.Article
	// LineHashes fingerprint the article's short lines (source boilerplate).
	LineHashes []int64
	// Fingerprint is the hash of the normalised text (exact duplicates).
	Fingerprint string
	// Bands are the article's LSH bands.
	Bands []model.Band
	// Features are the article's copy-linking features as the lineage
	// package encodes them, stored for CandidateFeatures; nil stores none.
	Features []byte
	// Derivations link the article to stored ones.
	Derivations []model.Derivation
	// Story places the article in a story; nil leaves it unclustered.
	Story *StoryWrite
	// Claims are the countable facts the article states.
	Claims []model.Claim
	// Mentions are the names the article gives, with resolved keys.
	Mentions []model.NameMention
	// Places are the places the article names.
	Places []model.PlaceMention
	// Dates are the time expressions of the article.
	Dates []model.DateMention
}

// CandidateFeatures is a stored article as copy linking compares it.
type CandidateFeatures struct {
	ID          string
	Source      string
	Language    string
	Published   *time.Time
	Fingerprint string
	Features    []byte
}

// StoryWrite is clustering's decision for a new article.
type StoryWrite struct {
	// Assignment says which story (0: a new one) and why; the store fills
	// in the story ID.
	Assignment model.Assignment
	// Vector is the article's weighted terms (unit length), added to the
	// story's centroid.
	Vector map[string]float64
	// Terms are the article's distinct terms, counted in the document
	// frequencies.
	Terms []string
	// Merge lists other stories the article's copies are in: copies of
	// one report are one event, so they are merged into the article's
	// story, the oldest ID surviving, and each merge is recorded as a
	// correction by "crosscheck".
	Merge []int64
}

// StoryMatch is a story's centroid seen from one article's terms.
type StoryMatch struct {
	Weights map[string]float64 // centroid weights of the asked terms it has
	Norm    float64            // the centroid's Euclidean length
	// SharedNorm is the length over the terms other languages can share
	// (all but Chinese words).
	SharedNorm float64
}

// StoryEntityWindow is how many of a story's latest articles
// StoryEntityKeys reads: a surname in a new report is resolved against
// the full names of the story's recent coverage.
const StoryEntityWindow = 100

// StoryQuery asks for the stories a new article may belong to.
type StoryQuery struct {
	Terms  []string
	Limit  int
	Around *time.Time
	Window time.Duration
}

// Story list orders.
const (
	ByRecency = "recent"  // last seen first
	BySources = "sources" // most independent reports (lineages) first
)

// StoryListOptions pages through stories.
type StoryListOptions struct {
	Limit  int // 0 means a default of 100
	Offset int
	Order  string // ByRecency (default) or BySources
}

// SearchQuery is a full-text search with filters; zero fields do not
// filter.
type SearchQuery struct {
	// Text holds words and "quoted phrases", all required; -word
	// excludes a word. Empty: filters only, newest first.
	Text     string
	Source   string
	Language string
	Story    int64
	Entity   int64
	// Place is a gazetteer ID (a GeoNames ID, "ADM1:US.OH", "PCLI:UA")
	// or a place name as resolved ("Kharkiv").
	Place string
	// From and To bound the publication day, inclusive.
	From, To *time.Time
	Limit    int // 0 means 50
	Offset   int
}

// SearchHit is one article found.
type SearchHit struct {
	Article *model.Article
	// Snippet is a passage of the text with matches between \x02 and
	// \x03 (the web UI marks them; the text itself is untrusted).
	Snippet string
}

// Mention is a name in an article's text and its entity.
type Mention struct {
	Entity     int64
	Name, Type string
	Start, End int // rune offsets
}

// EntityCount is an entity and how many articles mention it.
type EntityCount struct {
	Entity   *model.Entity
	Articles int
}

// SourceStat is what an outlet's stored articles say about it.
type SourceStat struct {
	Name     string // as articles are attributed
	Articles int
	// Originated counts its articles that others copied (lineage
	// founders with copies); Copies its articles that copy another.
	Originated, Copies int
	// Stories counts the stories it reported in; FirstInStory those it
	// was first to publish in.
	Stories, FirstInStory int
	FirstSeen, LastSeen   *time.Time
	// Watched is the watched source of that name, if any.
	Watched *model.Source
}

// ListOptions pages through a list.
type ListOptions struct {
	Limit  int // 0 means a default of 100
	Offset int
	Source string // only articles of this source, when set
}
