package story

import (
	"context"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// dfCache keeps the document frequencies a clusterer has read, in step
// with what its writer stores (Stored), so that each article asks the
// store only for terms it has not met: reading every term's frequency for
// every article was 3 % of the ingest writer's time at 100,000 articles.
//
// Every article counted adds one to the article count (the frequency of
// ""), which the store returns with each lookup. When it is not the count
// the cache expects, someone else counted articles (another process, a
// batch rolled back) and the cache starts afresh.
type dfCache struct {
	valid bool
	n     int            // articles counted
	df    map[string]int // 0 for a term known absent
}

// dfKept bounds the cache; past it, it starts afresh.
const dfKept = 200_000

// termStats is store.TermStats for terms, through the cache.
func (c *Clusterer) termStats(ctx context.Context, terms []string) (map[string]int, int, error) {
	dc := &c.df
	ask := terms
	if dc.valid {
		ask = nil
		for _, t := range terms {
			if _, ok := dc.df[t]; !ok {
				ask = append(ask, t)
			}
		}
	}
	got, n, err := c.st.TermStats(ctx, ask)
	if err != nil {
		return nil, 0, err
	}
	if dc.valid && n != dc.n {
		dc.valid = false
		if got, n, err = c.st.TermStats(ctx, terms); err != nil {
			return nil, 0, err
		}
		ask = terms
	}
	if !dc.valid || len(dc.df)+len(ask) > dfKept {
		dc.valid, dc.df = true, make(map[string]int, len(ask))
	}
	dc.n = n
	for _, t := range ask {
		dc.df[t] = got[t]
	}
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		if f := dc.df[t]; f > 0 {
			out[t] = f
		}
	}
	return out, n, nil
}

// Stored tells the clusterer that its writer stored an article placed by
// w: the store counted it and each of its terms once.
func (c *Clusterer) Stored(w *store.StoryWrite) {
	dc := &c.df
	if !dc.valid || w == nil {
		return
	}
	dc.n++
	seen := make(map[string]bool, len(w.Terms))
	for _, t := range w.Terms {
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		if f, ok := dc.df[t]; ok {
			dc.df[t] = f + 1
		}
	}
}

// Forget drops what the clusterer keeps about the store: its writer's
// batch was rolled back.
func (c *Clusterer) Forget() { c.df = dfCache{} }
