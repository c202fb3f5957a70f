package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// conflictsScan is how many of the most recent stories the conflicts page
// reads.
const conflictsScan = 200

type storyConflicts struct {
	Story  int64
	Title  string
	Groups []claim.Group
}

// conflicts lists, for the most recently seen stories, the claim groups
// in which independent sources disagree.
func (s *Server) conflicts(r *http.Request) ([]storyConflicts, error) {
	ss, err := s.store.ListStories(r.Context(), store.StoryListOptions{Limit: conflictsScan})
	if err != nil {
		return nil, err
	}
	var out []storyConflicts
	for _, st := range ss {
		sheet, _, err := export.Sheet(r.Context(), s.store, st.ID)
		if err != nil {
			return nil, err
		}
		var gs []claim.Group
		for _, g := range sheet.Groups {
			if g.Status == claim.Conflicting {
				gs = append(gs, g)
			}
		}
		if len(gs) == 0 {
			continue
		}
		d, err := story.Describe(r.Context(), s.store, st)
		if err != nil {
			return nil, err
		}
		out = append(out, storyConflicts{Story: st.ID, Title: d.Title, Groups: gs})
	}
	return out, nil
}

func (s *Server) conflictsList(r *http.Request) (*pageData, error) {
	cs, err := s.conflicts(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "conflicts", Title: "Conflicts", Data: cs}, nil
}

func (s *Server) apiConflictsList(r *http.Request) (any, error) {
	cs, err := s.conflicts(r)
	if err != nil {
		return nil, err
	}
	out := []export.ClaimGroup{}
	var items []any
	for _, c := range cs {
		for _, g := range c.Groups {
			out = append(out, export.FromGroup(g))
			items = append(items, out[len(out)-1])
		}
	}
	return &listing{Body: map[string]any{"claim_groups": out}, Items: items, Name: "conflicts",
		Columns: []string{"id", "story", "kind", "noun", "status", "independent_sources", "values", "rule"},
		Row: func(it any) []string {
			g := it.(export.ClaimGroup)
			var vs []string
			for _, v := range g.Values {
				vs = append(vs, v.Quantity+" ("+strings.Join(v.Sources, ", ")+")")
			}
			return []string{g.ID, strconv.FormatInt(g.Story, 10), g.Kind, g.Noun, g.Status, strconv.Itoa(g.IndependentSources), strings.Join(vs, "; "), g.Rule}
		}}, nil
}
