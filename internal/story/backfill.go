package story

import (
	"context"
	"sort"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// PlaceUnclustered puts every stored article that has no story (stored
// before stories existed) into one, in publication order (undated last),
// as if they were arriving now. It returns how many it placed.
func (c *Clusterer) PlaceUnclustered(ctx context.Context) (int, error) {
	type pending struct {
		id  string
		pub *time.Time
	}
	var todo []pending
	err := c.st.EachArticle(ctx, func(a *model.Article) error {
		if a.Story == 0 {
			todo = append(todo, pending{a.ID, a.Published})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sort.SliceStable(todo, func(i, j int) bool {
		pi, pj := todo[i].pub, todo[j].pub
		switch {
		case pi == nil || pj == nil:
			return pi != nil && pj == nil
		default:
			return pi.Before(*pj)
		}
	})
	for n, p := range todo {
		a, err := c.st.GetArticle(ctx, p.id)
		if err != nil {
			return n, err
		}
		ds, err := c.st.Derivations(ctx, a.ID)
		if err != nil {
			return n, err
		}
		w, err := c.Assign(ctx, a, ds)
		if err != nil {
			return n, err
		}
		if err := c.st.PlaceArticle(ctx, a, w); err != nil {
			return n, err
		}
	}
	return len(todo), nil
}
