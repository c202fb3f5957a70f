package web

import (
	"errors"
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func (s *Server) articleShow(r *http.Request) (*pageData, error) {
	a, err := s.store.GetArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	p, err := s.provenance(r.Context(), a)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Assignment(r.Context(), a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &pageData{Template: "article", Title: a.Title, Data: articleView{Article: a, Provenance: p, Assignment: as}}, nil
}

type articleView struct {
	*model.Article
	Provenance *provenance
	Assignment *model.Assignment
}

func (s *Server) apiArticleDerivations(r *http.Request) (any, error) {
	a, err := s.store.GetArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ds, err := s.store.Derivations(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	out := make([]export.Derivation, 0, len(ds))
	for _, d := range ds {
		out = append(out, export.FromDerivation(d))
	}
	return map[string]any{"article": a.ID, "lineage": a.Lineage, "derivations": out}, nil
}

func (s *Server) apiArticleShow(r *http.Request) (any, error) {
	a, err := s.store.GetArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return export.FromArticle(a), nil
}
