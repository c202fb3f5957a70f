package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
	// Featured is the story the home page opens with: the one with the
	// most independent reports among those whose facts conflict.
	Featured *featured
}

type featured struct {
	ID     int64
	Title  string
	Groups []claim.Group // conflicts first, then copy-inflated figures
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
	if p.Page == 1 {
		if p.Featured, err = s.feature(r, p.Stories); err != nil {
			return nil, err
		}
	}
	return &pageData{Template: "stories", Title: "Stories", Data: p}, nil
}

// feature picks, of up to ten of the listed stories with the most
// independent reports, the first whose fact sheet has a conflict, and
// keeps what an analyst should see first: conflicts, and figures stated
// more often than by independent sources.
func (s *Server) feature(r *http.Request, rows []storyRow) (*featured, error) {
	byReports := append([]storyRow(nil), rows...)
	sort.SliceStable(byReports, func(i, j int) bool { return byReports[i].Lineages > byReports[j].Lineages })
	for _, row := range byReports[:min(len(byReports), 10)] {
		sheet, _, err := export.Sheet(r.Context(), s.store, row.ID)
		if err != nil {
			return nil, err
		}
		f := &featured{ID: row.ID, Title: row.Title}
		conflict := false
		for _, g := range sheet.Groups {
			if g.Status == claim.Conflicting {
				conflict = true
				f.Groups = append(f.Groups, g)
			}
		}
		if !conflict {
			continue
		}
		for _, g := range sheet.Groups {
			if g.Status != claim.Conflicting && inflated(g) {
				f.Groups = append(f.Groups, g)
			}
		}
		return f, nil
	}
	return nil, nil
}

// inflated reports whether a group holds a figure stated by more
// articles than independent sources: copies repeating one report.
func inflated(g claim.Group) bool {
	for _, v := range g.Values {
		if len(v.Claims) > len(v.Lineages) {
			return true
		}
	}
	return false
}

func (s *Server) apiStoriesList(r *http.Request) (any, error) {
	_, ds, err := s.listStories(r)
	if err != nil {
		return nil, err
	}
	out := make([]export.Story, 0, len(ds))
	items := make([]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, export.FromDescription(d))
		items = append(items, out[len(out)-1])
	}
	return &listing{Body: map[string]any{"stories": out}, Items: items, Name: "stories",
		Columns: []string{"id", "title", "articles", "lineages", "sources", "first_seen", "last_seen", "summary"},
		Row: func(it any) []string {
			x := it.(export.Story)
			return []string{strconv.FormatInt(x.ID, 10), x.Title, strconv.Itoa(len(x.Articles)), strconv.Itoa(len(x.Lineages)), strings.Join(x.Sources, "; "),
				x.FirstSeen, x.LastSeen, x.Summary}
		}}, nil
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
	Map         *mapView
	Timeline    []timelineDay
	// Adds lists, per lineage in page order, what only it states.
	Adds []lineageAdds
	// Coverage lists the outlets that covered the story, earliest first.
	Coverage []outletCoverage
}

// outletCoverage is one outlet's part in a story: when it first
// published, how many articles, how many of them copies of another's.
type outletCoverage struct {
	Source   string
	First    *time.Time
	Articles int
	Copies   int
	Origins  int // its articles others copied
	IsFirst  bool
}

// coverage sums up which outlets covered a story and which were first.
func coverage(lineages [][]storyMember) []outletCoverage {
	by := map[string]*outletCoverage{}
	var out []*outletCoverage
	for _, g := range lineages {
		for i, m := range g {
			c := by[m.Source]
			if c == nil {
				c = &outletCoverage{Source: m.Source}
				by[m.Source] = c
				out = append(out, c)
			}
			c.Articles++
			if m.Lineage != m.ID {
				c.Copies++
			} else if len(g) > 1 && i == 0 {
				c.Origins++
			}
			if m.Published != nil && (c.First == nil || m.Published.Before(*c.First)) {
				c.First = m.Published
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].First, out[j].First
		return a != nil && (b == nil || a.Before(*b))
	})
	res := make([]outletCoverage, len(out))
	for i, c := range out {
		res[i] = *c
	}
	if len(res) > 0 && res[0].First != nil {
		res[0].IsFirst = true
	}
	return res
}

// storyPlace is a place a story's articles name, with how many times.
type storyPlace struct {
	model.PlaceMention
	Count int
}

// timelineDay is one day of a story: the reports published on it, the
// counts said to be about it, and how many time expressions point to it.
type timelineDay struct {
	Day      time.Time
	Reports  []*model.Article
	Counts   []string
	Mentions int
}

// timeline lays a story's reports, counts and dated expressions out by day.
func (s *Server) timeline(r *http.Request, d *story.Description, facts claim.Sheet) ([]timelineDay, error) {
	days := map[time.Time]*timelineDay{}
	day := func(t time.Time) *timelineDay {
		k := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if days[k] == nil {
			days[k] = &timelineDay{Day: k}
		}
		return days[k]
	}
	sources := map[string]string{}
	for _, g := range d.Lineages {
		for _, a := range g {
			sources[a.ID] = a.Source
			if a.Published != nil {
				x := day(a.Published.UTC())
				x.Reports = append(x.Reports, a)
			}
			ds, err := s.store.ArticleDates(r.Context(), a.ID)
			if err != nil {
				return nil, err
			}
			for _, m := range ds {
				if m.Value != nil && m.Precision == "day" {
					day(*m.Value).Mentions++
				}
			}
		}
	}
	// One line per count and day, with the outlets stating it.
	type key struct {
		day  time.Time
		what string
	}
	outlets := map[key][]string{}
	var order []key
	for _, g := range facts.Groups {
		if g.Kind == model.ClaimMoney || g.Kind == model.ClaimPercent {
			continue
		}
		for _, c := range g.Claims {
			if c.When == nil {
				continue
			}
			what := c.Quantity + " " + c.Kind
			if c.Kind == model.ClaimOther && c.Noun != "" {
				what = c.Quantity + " " + c.Noun
			}
			k := key{day(*c.When).Day, what}
			if _, ok := outlets[k]; !ok {
				order = append(order, k)
			}
			if src := sources[c.Article]; !slices.Contains(outlets[k], src) {
				outlets[k] = append(outlets[k], src)
			}
		}
	}
	for _, k := range order {
		days[k.day].Counts = append(days[k.day].Counts, k.what+" ("+strings.Join(outlets[k], ", ")+")")
	}
	out := make([]timelineDay, 0, len(days))
	for _, x := range days {
		out = append(out, *x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out, nil
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
	assignments, err := s.store.StoryAssignments(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range d.Lineages {
		var ms []storyMember
		for _, a := range g {
			as := assignments[a.ID]
			if as == nil {
				as = &model.Assignment{ArticleID: a.ID, Story: id}
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
	v.Map = storyMap(v.Places)
	if v.Timeline, err = s.timeline(r, d, v.Facts); err != nil {
		return nil, nil, err
	}
	v.Coverage = coverage(v.Lineages)
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
