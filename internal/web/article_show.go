package web

import (
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/export"
)

func (s *Server) articleShow(r *http.Request) (*pageData, error) {
	a, err := s.store.GetArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "article", Title: a.Title, Data: a}, nil
}

func (s *Server) apiArticleShow(r *http.Request) (any, error) {
	a, err := s.store.GetArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return export.FromArticle(a), nil
}
