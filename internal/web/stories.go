package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// storyRow is one line of the story list.
type storyRow struct {
	*model.Story
	Title string
}

type storiesPage struct {
	Stories []storyRow
	Order   string
	Page    int
	HasNext bool
}

// listStories reads ?order= and ?page= and describes that page of stories.
func (s *Server) listStories(r *http.Request) (*storiesPage, []*story.Description, error) {
	order := r.URL.Query().Get("order")
	switch order {
	case "":
		order = store.ByRecency
	case store.ByRecency, store.BySources:
	default:
		return nil, nil, fmt.Errorf("%w: order must be %s or %s", errBadRequest, store.ByRecency, store.BySources)
	}
	opts, page, err := listParams(r)
	if err != nil {
		return nil, nil, err
	}
	ss, err := s.store.ListStories(r.Context(), store.StoryListOptions{Limit: pageSize, Offset: opts.Offset, Order: order})
	if err != nil {
		return nil, nil, err
	}
	p := &storiesPage{Order: order, Page: page, HasNext: len(ss) == pageSize}
	var ds []*story.Description
	for _, st := range ss {
		d, err := story.Describe(r.Context(), s.store, st)
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, d)
		p.Stories = append(p.Stories, storyRow{Story: st, Title: d.Title})
	}
	return p, ds, nil
}

func (s *Server) storiesList(r *http.Request) (*pageData, error) {
	p, _, err := s.listStories(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "stories", Title: "Stories", Data: p}, nil
}

func (s *Server) apiStoriesList(r *http.Request) (any, error) {
	_, ds, err := s.listStories(r)
	if err != nil {
		return nil, err
	}
	out := make([]export.Story, 0, len(ds))
	for _, d := range ds {
		out = append(out, export.FromDescription(d))
	}
	return map[string]any{"stories": out}, nil
}

// storyMember is an article on the story page with why it is there.
type storyMember struct {
	*model.Article
	Assignment *model.Assignment
	Placement  *placement
}

// placement is an assignment as pages show it: with the outlet of the
// article a copy copies.
type placement struct {
	*model.Assignment
	CopiesSource string
}

type storyView struct {
	*story.Description
	Lineages    [][]storyMember
	Corrections []model.StoryCorrection
	Facts       claim.Sheet
	Entities    []*model.Entity
	Places      []storyPlace
	// Adds lists, per lineage in page order, what only it states.
	Adds []lineageAdds
}

// storyPlace is a place a story's articles name, with how many times.
type storyPlace struct {
	model.PlaceMention
	Count int
}

type lineageAdds struct {
	Report int // 1-based, as the page numbers lineages
	Source string
	Groups []claim.Group
}

func (s *Server) story(r *http.Request) (*storyView, *model.Story, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, fmt.Errorf("%w: story IDs are positive numbers", errBadRequest)
	}
	st, err := s.store.GetStory(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if st.MergedInto != 0 {
		return nil, st, nil
	}
	d, err := story.Describe(r.Context(), s.store, st)
	if err != nil {
		return nil, nil, err
	}
	v := &storyView{Description: d}
	sources := map[string]string{}
	for _, g := range d.Lineages {
		for _, a := range g {
			sources[a.ID] = a.Source
		}
	}
	for _, g := range d.Lineages {
		var ms []storyMember
		for _, a := range g {
			as, err := s.store.Assignment(r.Context(), a.ID)
			if err != nil {
				return nil, nil, err
			}
			ms = append(ms, storyMember{Article: a, Assignment: as, Placement: &placement{Assignment: as, CopiesSource: sources[as.Copies]}})
		}
		v.Lineages = append(v.Lineages, ms)
	}
	if v.Corrections, err = s.store.StoryCorrections(r.Context(), id); err != nil {
		return nil, nil, err
	}
	if v.Facts, _, err = export.Sheet(r.Context(), s.store, id); err != nil {
		return nil, nil, err
	}
	if v.Entities, err = s.store.StoryEntities(r.Context(), id); err != nil {
		return nil, nil, err
	}
	ps, err := s.store.StoryPlaces(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		if n := len(v.Places); n > 0 && v.Places[n-1].PlaceID == p.PlaceID {
			v.Places[n-1].Count++
			continue
		}
		v.Places = append(v.Places, storyPlace{PlaceMention: p, Count: 1})
	}
	for i, g := range d.Lineages {
		lin := g[0].Lineage
		if lin == "" {
			lin = g[0].ID
		}
		if adds := v.Facts.Unique[lin]; len(adds) > 0 {
			v.Adds = append(v.Adds, lineageAdds{Report: i + 1, Source: g[0].Source, Groups: adds})
		}
	}
	return v, st, nil
}

func (s *Server) storyShow(r *http.Request) (*pageData, error) {
	v, st, err := s.story(r)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return &pageData{Redirect: fmt.Sprintf("/stories/%d", st.MergedInto)}, nil
	}
	return &pageData{Template: "story", Title: v.Title, Data: v}, nil
}

func (s *Server) apiStoryShow(r *http.Request) (any, error) {
	v, st, err := s.story(r)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return map[string]any{"id": st.ID, "merged_into": st.MergedInto}, nil
	}
	type member struct {
		export.Article
		Assignment *model.Assignment `json:"assignment"`
	}
	var lineages [][]member
	for _, g := range v.Lineages {
		var ms []member
		for _, m := range g {
			ms = append(ms, member{Article: export.FromArticle(m.Article), Assignment: m.Assignment})
		}
		lineages = append(lineages, ms)
	}
	corrections := make([]map[string]any, 0, len(v.Corrections))
	for _, c := range v.Corrections {
		corrections = append(corrections, map[string]any{"action": c.Action, "story": c.Story, "other": c.Other,
			"articles": c.Articles, "who": c.Who, "why": c.Why, "at": c.At})
	}
	facts := make([]export.ClaimGroup, 0, len(v.Facts.Groups))
	for _, g := range v.Facts.Groups {
		facts = append(facts, export.FromGroup(g))
	}
	return map[string]any{"story": export.FromDescription(v.Description), "summary_sentences": v.Summary,
		"members": lineages, "corrections": corrections, "claim_groups": facts}, nil
}
