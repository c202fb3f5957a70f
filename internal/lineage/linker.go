package lineage

import (
	"container/list"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// CopyWindow is how far apart in publication time a copy and its origin
// may be: a copy appears within days of its origin. Undated articles are
// compared whatever their age.
const CopyWindow = 30 * 24 * time.Hour

// Linker finds the derivations between new articles and a store. It is
// not safe for concurrent use: the ingest writer owns one.
type Linker struct {
	st store.Store
	// MaxCandidates bounds the stored articles compared with a new one.
	MaxCandidates int
	cache         *lru
	// Compared counts the comparisons made, for benchmarks and logs.
	Compared int
	// roles maps a watched source's name to its role, read from the
	// store at most every rolesTTL (rolesAt) so that a role an analyst
	// sets reaches a long-running linker.
	roles   map[string]string
	rolesAt time.Time
	// names is the sources' IDs and names, and the last rename, as last
	// read: when a source or an outlet is renamed, its stored articles
	// are too (store.UpdateSource, store.RenameOutlet), and the prepared
	// articles cached under their old name are dropped.
	names string
}

// rolesTTL is how long a linker uses the sources' roles it read before
// reading them again.
const rolesTTL = time.Minute

// preparedCache is how many prepared articles a linker keeps: about
// 3.5 KB each for a short report (words as hashes), so ~30 MB. A
// candidate outside it is decoded from its stored features.
const preparedCache = 8192

// NewLinker returns a linker over st.
func NewLinker(st store.Store) *Linker {
	return &Linker{st: st, MaxCandidates: 60, cache: newLRU(preparedCache)}
}

// Link computes what is stored with a new article: its fingerprint, LSH
// bands and derivations to stored articles.
func (l *Linker) Link(ctx context.Context, a *model.Article) (store.ArticleWrite, error) {
	return l.LinkFeatures(ctx, a, FeaturesOf(a))
}

// Features are what linking needs of an article that depends on the
// article alone: its prepared text, LSH bands, and the encoding of what
// Compare reads, stored with it. Ingest works them out in parallel,
// ahead of the linker, which must run in input order.
type Features struct {
	Prepared *Prepared
	Bands    []model.Band
	Encoded  []byte
}

// FeaturesOf prepares a for linking.
func FeaturesOf(a *model.Article) Features {
	p := Prepare(a)
	return Features{Prepared: p, Bands: Signature(p), Encoded: p.Encode()}
}

// LinkFeatures is Link for an article whose features are already known
// (prepared from a itself or from an article with the same text).
func (l *Linker) LinkFeatures(ctx context.Context, a *model.Article, f Features) (store.ArticleWrite, error) {
	p := f.Prepared
	p.Article = a
	if f.Encoded == nil {
		f.Encoded = p.Encode()
	}
	w := store.ArticleWrite{Article: a, Fingerprint: p.Fingerprint, Bands: f.Bands, Features: f.Encoded}
	ids, err := l.st.Candidates(ctx, store.CandidateQuery{Bands: w.Bands, Fingerprint: w.Fingerprint, Limit: l.MaxCandidates,
		Around: a.Published, Window: CopyWindow})
	if err != nil {
		return w, err
	}
	if err := l.loadRoles(ctx); err != nil { // before the cache is read: it may drop it
		return w, err
	}
	cs, err := l.prepared(ctx, a.ID, ids)
	if err != nil {
		return w, err
	}
	p.role = l.roles[a.Source]
	for i, id := range ids {
		if id == a.ID {
			continue
		}
		l.Compared++
		cs[i].role = l.roles[cs[i].Article.Source]
		if d, _ := Compare(cs[i], p); d != nil {
			w.Derivations = append(w.Derivations, *d)
		}
	}
	l.cache.put(a.ID, p)
	return w, nil
}

// loadRoles reads the watched sources' roles, unless read less than
// rolesTTL ago.
func (l *Linker) loadRoles(ctx context.Context) error {
	if l.roles != nil && time.Since(l.rolesAt) < rolesTTL {
		return nil
	}
	srcs, err := l.st.Sources(ctx)
	if err != nil {
		return fmt.Errorf("sources' roles: %w", err)
	}
	l.roles = make(map[string]string, len(srcs))
	var names strings.Builder
	for _, s := range srcs {
		if s.Role != "" {
			l.roles[s.Name] = s.Role
		}
		fmt.Fprintf(&names, "%d\x00%s\x00", s.ID, s.Name)
	}
	// An outlet renamed by name may change no watched source.
	renames, err := l.st.SourceRenames(ctx)
	if err != nil {
		return fmt.Errorf("source renames: %w", err)
	}
	if n := len(renames); n > 0 {
		fmt.Fprintf(&names, "renamed %d", renames[n-1].ID)
	}
	if l.names != names.String() {
		l.cache = newLRU(preparedCache)
	}
	l.names, l.rolesAt = names.String(), time.Now()
	return nil
}

// prepared returns the candidates ids prepared, in order (nil for self).
// Those not in the cache are read in one query, as stored features; one
// stored without (before the features table) or whose features do not
// decode is read whole and prepared from its text.
func (l *Linker) prepared(ctx context.Context, self string, ids []string) ([]*Prepared, error) {
	out := make([]*Prepared, len(ids))
	var missing []string
	for i, id := range ids {
		if id == self {
			continue
		}
		if out[i] = l.cache.get(id); out[i] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := l.st.CandidateFeatures(ctx, missing)
	if err != nil {
		return nil, err
	}
	got := make(map[string]*Prepared, len(rows))
	for _, r := range rows {
		if r.Features == nil {
			continue
		}
		p, err := decodeFeatures(r)
		if err != nil {
			slog.Warn("stored copy-linking features unreadable; preparing the article from its text", "article", r.ID, "err", err)
			continue
		}
		got[r.ID] = p
	}
	for i, id := range ids {
		if out[i] != nil || id == self {
			continue
		}
		p := got[id]
		if p == nil {
			a, err := l.st.GetArticle(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("candidate %s: %w", id, err)
			}
			p = Prepare(a)
		}
		l.cache.put(id, p)
		out[i] = p
	}
	return out, nil
}

// lru is a small least-recently-used cache of prepared articles: wire
// originals are compared again with every copy that arrives.
type lru struct {
	max   int
	order *list.List
	items map[string]*list.Element
}

type lruItem struct {
	key string
	val *Prepared
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(k string) *Prepared {
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruItem).val
	}
	return nil
}

func (c *lru) put(k string, v *Prepared) {
	if e, ok := c.items[k]; ok {
		e.Value.(*lruItem).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruItem{k, v})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruItem).key)
	}
}
