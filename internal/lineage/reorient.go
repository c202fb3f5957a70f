package lineage

import (
	"context"
	"fmt"
	"slices"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// reorientChunk is how many links Reorient decides per read of their
// articles' features.
const reorientChunk = 1000

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
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), reorientChunk)]
		ds = ds[len(chunk):]
		// Both sides of a chunk's links, read in one query.
		var ids []string
		for _, d := range chunk {
			ids = append(ids, d.From, d.To)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		ps, err := l.prepared(ctx, "", ids)
		if err != nil {
			return 0, fmt.Errorf("reorient: %w", err)
		}
		byID := make(map[string]*Prepared, len(ids))
		for i, id := range ids {
			byID[id] = ps[i]
		}
		for _, d := range chunk {
			if d.Override {
				continue
			}
			a, b := byID[d.From], byID[d.To]
			a.role, b.role = l.roles[a.Article.Source], l.roles[b.Article.Source]
			nd := direct(a, b, d.Kind, d.Score, d.Evidence)
			if nd.From == d.From && nd.To == d.To && nd.Directed == d.Directed && nd.Evidence.Direction == d.Evidence.Direction {
				continue
			}
			nd.At = d.At
			changed = append(changed, *nd)
		}
	}
	if len(changed) == 0 {
		return 0, nil
	}
	return st.SetDirections(ctx, changed)
}
