package lineage

import (
	"context"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Reorient decides again the direction of the stored copies touching
// the articles attributed to source, with the sources' roles as they
// are now: run when an analyst sets or clears a role, so that links made
// before it agree with those made after. A direction declared by an
// analyst is left alone, and one decided by credit lines comes out the
// same (credits outrank roles); kinds, scores, passages and lineages do
// not change. It returns how many derivations it rewrote.
func Reorient(ctx context.Context, st store.Store, source string) (int, error) {
	ds, err := st.SourceDerivations(ctx, source)
	if err != nil {
		return 0, err
	}
	l := NewLinker(st)
	if err := l.loadRoles(ctx); err != nil {
		return 0, err
	}
	var changed []model.Derivation
	for _, d := range ds {
		if d.Override {
			continue
		}
		ps, err := l.prepared(ctx, "", []string{d.From, d.To})
		if err != nil {
			return 0, fmt.Errorf("reorient %s–%s: %w", d.From, d.To, err)
		}
		a, b := ps[0], ps[1]
		a.role, b.role = l.roles[a.Article.Source], l.roles[b.Article.Source]
		nd := direct(a, b, d.Kind, d.Score, d.Evidence)
		if nd.From == d.From && nd.To == d.To && nd.Directed == d.Directed && nd.Evidence.Direction == d.Evidence.Direction {
			continue
		}
		nd.At = d.At
		changed = append(changed, *nd)
	}
	if len(changed) == 0 {
		return 0, nil
	}
	return st.SetDirections(ctx, changed)
}
