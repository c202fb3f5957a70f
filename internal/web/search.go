package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// searchParams reads a search from the query string: q, source,
// language, story, entity, place, from, to (YYYY-MM-DD), page.
func searchParams(r *http.Request) (store.SearchQuery, int, error) {
	v := r.URL.Query()
	q := store.SearchQuery{Text: v.Get("q"), Source: v.Get("source"), Language: v.Get("language"), Place: v.Get("place"), Limit: pageSize}
	if len(q.Text) > 500 {
		return q, 0, fmt.Errorf("%w: the search text is over 500 bytes", errBadRequest)
	}
	for name, dst := range map[string]*int64{"story": &q.Story, "entity": &q.Entity} {
		if s := v.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 1 {
				return q, 0, fmt.Errorf("%w: %s must be an ID", errBadRequest, name)
			}
			*dst = n
		}
	}
	for name, dst := range map[string]**time.Time{"from": &q.From, "to": &q.To} {
		if s := v.Get(name); s != "" {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				return q, 0, fmt.Errorf("%w: %s must be a date like 2026-03-14", errBadRequest, name)
			}
			*dst = &t
		}
	}
	page := 1
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10_000 {
			return q, 0, fmt.Errorf("%w: page must be a whole number from 1", errBadRequest)
		}
		page = n
	}
	q.Offset = (page - 1) * pageSize
	return q, page, nil
}

// searchGroup is the hits of one story.
type searchGroup struct {
	Story int64
	Title string
	Hits  []searchHit
}

type searchHit struct {
	store.SearchHit
	Parts []snippetPart
}

// snippetPart is a piece of a snippet, marked when it matched.
type snippetPart struct {
	Text string
	Mark bool
}

func splitSnippet(s string) []snippetPart {
	var out []snippetPart
	mark := false
	for s != "" {
		i := strings.IndexAny(s, "\x02\x03")
		if i < 0 {
			out = append(out, snippetPart{s, mark})
			break
		}
		if i > 0 {
			out = append(out, snippetPart{s[:i], mark})
		}
		mark = s[i] == '\x02'
		s = s[i+1:]
	}
	return out
}

type searchPage struct {
	Query   store.SearchQuery
	Form    map[string]string
	Groups  []searchGroup
	Total   int
	Page    int
	HasNext bool
	Next    string
	Prev    string
	CSV     string
}

// search runs the query and groups the hits by story, in order of each
// story's best hit.
func (s *Server) search(r *http.Request) (*searchPage, error) {
	q, page, err := searchParams(r)
	if err != nil {
		return nil, err
	}
	p := &searchPage{Query: q, Page: page, Form: map[string]string{}}
	for _, k := range []string{"q", "source", "language", "story", "entity", "place", "from", "to"} {
		p.Form[k] = r.URL.Query().Get(k)
	}
	hits, total, err := s.store.Search(r.Context(), q)
	if err != nil {
		return nil, err
	}
	p.Total, p.HasNext = total, q.Offset+len(hits) < total
	index := map[int64]int{}
	for _, h := range hits {
		i, ok := index[h.Article.Story]
		if !ok {
			i = len(p.Groups)
			index[h.Article.Story] = i
			g := searchGroup{Story: h.Article.Story, Title: "Not in a story"}
			if h.Article.Story != 0 {
				g.Title = fmt.Sprintf("Story %d", h.Article.Story)
				if st, err := s.store.GetStory(r.Context(), h.Article.Story); err == nil {
					if d, err := story.Describe(r.Context(), s.store, st); err == nil && d.Title != "" {
						g.Title = d.Title
					}
				}
			}
			p.Groups = append(p.Groups, g)
		}
		p.Groups[i].Hits = append(p.Groups[i].Hits, searchHit{h, splitSnippet(h.Snippet)})
	}
	link := func(page int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(page))
		return "/search?" + v.Encode()
	}
	if p.HasNext {
		p.Next = link(page + 1)
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	v := r.URL.Query()
	v.Del("page")
	v.Set("format", "csv")
	p.CSV = "/api/search?" + v.Encode()
	return p, nil
}

func (s *Server) searchShow(r *http.Request) (*pageData, error) {
	p, err := s.search(r)
	if err != nil {
		return nil, err
	}
	title := "Search"
	if p.Query.Text != "" {
		title = "Search: " + p.Query.Text
	}
	return &pageData{Template: "search", Title: title, Data: p}, nil
}

// apiSearchHit is a hit in the JSON API: the article, its story, and the
// snippet as plain text with the matches as code-point ranges.
type apiSearchHit struct {
	export.Article
	Snippet    string   `json:"snippet"`
	Highlights [][2]int `json:"highlights"`
}

func (s *Server) apiSearch(r *http.Request) (any, error) {
	p, err := s.search(r)
	if err != nil {
		return nil, err
	}
	type group struct {
		Story int64          `json:"story"`
		Title string         `json:"title"`
		Hits  []apiSearchHit `json:"hits"`
	}
	out := struct {
		Query  map[string]string `json:"query"`
		Total  int               `json:"total"`
		Page   int               `json:"page"`
		Groups []group           `json:"stories"`
	}{p.Form, p.Total, p.Page, []group{}}
	var items []any
	for _, g := range p.Groups {
		gg := group{Story: g.Story, Title: g.Title, Hits: []apiSearchHit{}}
		for _, h := range g.Hits {
			a := export.FromArticle(h.Article)
			a.Text = ""
			hit := apiSearchHit{Article: a, Highlights: [][2]int{}}
			for _, part := range h.Parts {
				n := utf8.RuneCountInString(hit.Snippet)
				if part.Mark {
					hit.Highlights = append(hit.Highlights, [2]int{n, n + utf8.RuneCountInString(part.Text)})
				}
				hit.Snippet += part.Text
			}
			gg.Hits = append(gg.Hits, hit)
			items = append(items, searchRow{g.Story, g.Title, hit})
		}
		out.Groups = append(out.Groups, gg)
	}
	return &listing{Body: out, Items: items, Name: "search", Columns: []string{"story", "story_title", "article", "published", "source", "title", "url", "language", "snippet"},
		Row: func(it any) []string {
			h := it.(searchRow)
			return []string{strconv.FormatInt(h.Story, 10), h.StoryTitle, h.ID, deref(h.Published), h.Source, h.Title, h.URL, h.Language, h.Snippet}
		}}, nil
}

// searchRow is a hit as one record of a JSONL or CSV export.
type searchRow struct {
	Story      int64  `json:"story"`
	StoryTitle string `json:"story_title"`
	apiSearchHit
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
