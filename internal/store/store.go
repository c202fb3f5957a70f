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
	// Derivations returns the derivations touching an article.
	Derivations(ctx context.Context, articleID string) ([]model.Derivation, error)
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
	// Derivations link the article to stored ones.
	Derivations []model.Derivation
}

// ListOptions pages through a list.
type ListOptions struct {
	Limit  int // 0 means a default of 100
	Offset int
	Source string // only articles of this source, when set
}
