package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

const pageSize = 50

// listParams reads ?page= and ?source= from a request.
func listParams(r *http.Request) (store.ListOptions, int, error) {
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			return store.ListOptions{}, 0, fmt.Errorf("%w: page must be a whole number from 1", errBadRequest)
		}
		page = n
	}
	return store.ListOptions{Limit: pageSize, Offset: (page - 1) * pageSize, Source: r.URL.Query().Get("source")}, page, nil
}

type articlesPage struct {
	Articles []*model.Article
	Total    int
	Page     int
	HasNext  bool
	Source   string
}

// listArticles reads the list parameters and fetches that page.
func (s *Server) listArticles(r *http.Request) (store.ListOptions, int, []*model.Article, error) {
	opts, page, err := listParams(r)
	if err != nil {
		return opts, page, nil, err
	}
	as, err := s.store.ListArticles(r.Context(), opts)
	return opts, page, as, err
}

func (s *Server) articlesList(r *http.Request) (*pageData, error) {
	opts, page, as, err := s.listArticles(r)
	if err != nil {
		return nil, err
	}
	total, err := s.store.CountArticles(r.Context())
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "articles", Title: "Articles", Data: articlesPage{
		Articles: as, Total: total, Page: page, HasNext: len(as) == pageSize, Source: opts.Source,
	}}, nil
}

func (s *Server) apiArticlesList(r *http.Request) (any, error) {
	_, page, as, err := s.listArticles(r)
	if err != nil {
		return nil, err
	}
	out := make([]export.Article, 0, len(as))
	items := make([]any, 0, len(as))
	for _, a := range as {
		out = append(out, export.FromArticle(a))
		items = append(items, out[len(out)-1])
	}
	return &listing{Body: map[string]any{"page": page, "articles": out}, Items: items, Name: "articles",
		Columns: []string{"id", "source", "url", "title", "published", "language", "story", "lineage"},
		Row: func(it any) []string {
			a := it.(export.Article)
			return []string{a.ID, a.Source, a.URL, a.Title, deref(a.Published), a.Language, strconv.FormatInt(a.Story, 10), a.Lineage}
		}}, nil
}
