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

// SourceCorrection is what storing an analyst's correction of a source
// changed: how many stored articles moved to its new name, whether the
// direction of stored copies was decided again, and how many links
// changed direction.
type SourceCorrection struct {
	Moved      int
	Reoriented bool
	Turned     int
}

// CorrectSource stores was corrected into now (the same source, by ID)
// and decides again the direction of the stored copies the change can
// affect, since a role votes on it: those of the articles under the old
// name and under the new one, when the role or the name changed (a new
// name with no role changes nothing). With reorient, it decides them
// again whatever changed, so that a correction cut short between its two
// writes can be completed by making it again.
func CorrectSource(ctx context.Context, st store.Store, was, now model.Source, reorient bool) (SourceCorrection, error) {
	var c SourceCorrection
	if was != now {
		moved, err := st.UpdateSource(ctx, &now)
		if err != nil {
			return c, err
		}
		c.Moved = moved
	}
	renamed := was.Name != now.Name
	if !reorient && was.Role == now.Role && !(renamed && now.Role != "") {
		return c, nil
	}
	c.Reoriented = true
	for _, name := range slices.Compact([]string{was.Name, now.Name}) {
		n, err := Reorient(ctx, st, name)
		if err != nil {
			return c, err
		}
		c.Turned += n
	}
	return c, nil
}

// RenameOutlet renames an outlet as a whole (store.RenameOutlet), then
// decides again the direction of the copies touching its articles, since
// the role of the new name now votes on them.
func RenameOutlet(ctx context.Context, st store.Store, from, to string) (SourceCorrection, error) {
	c := SourceCorrection{Reoriented: true}
	var err error
	if c.Moved, err = st.RenameOutlet(ctx, from, to); err != nil {
		return SourceCorrection{}, err
	}
	c.Turned, err = Reorient(ctx, st, to)
	return c, err
}
