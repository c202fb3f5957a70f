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
	v := articleView{Article: a, Provenance: p}
	if v.Claims, err = s.store.ArticleClaims(r.Context(), a.ID); err != nil {
		return nil, err
	}
	if v.Places, err = s.store.ArticlePlaces(r.Context(), a.ID); err != nil {
		return nil, err
	}
	if v.Dates, err = s.store.ArticleDates(r.Context(), a.ID); err != nil {
		return nil, err
	}
	as, err := s.store.Assignment(r.Context(), a.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		v.Placement = &placement{Assignment: as}
		if as.Copies != "" {
			if c, err := s.store.GetArticle(r.Context(), as.Copies); err == nil {
				v.Placement.CopiesSource = c.Source
			}
		}
	}
	return &pageData{Template: "article", Title: a.Title, Data: v}, nil
}

type articleView struct {
	*model.Article
	Provenance *provenance
	Placement  *placement
	Claims     []model.Claim
	Places     []model.PlaceMention
	Dates      []model.DateMention
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
