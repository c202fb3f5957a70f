package web

import (
	"fmt"
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// lineageView is one lineage: its articles, which are origins, and the
// links between them.
type lineageView struct {
	ID       string
	Articles []*model.Article
	Origins  map[string]bool
	Links    []model.Derivation
	Titles   map[string]string
	Sources  []string
}

func (s *Server) lineage(r *http.Request) (*lineageView, error) {
	id := r.PathValue("id")
	as, err := s.store.LineageArticles(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, fmt.Errorf("lineage %s: %w", id, store.ErrNotFound)
	}
	v := &lineageView{ID: id, Articles: as, Origins: map[string]bool{}, Titles: map[string]string{}}
	copied, seenLink, seenSrc := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range as {
		v.Titles[a.ID] = a.Source + ": " + a.Title
		if !seenSrc[a.Source] {
			seenSrc[a.Source] = true
			v.Sources = append(v.Sources, a.Source)
		}
		ds, err := s.store.Derivations(r.Context(), a.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if key := d.From + d.To; !seenLink[key] {
				seenLink[key] = true
				v.Links = append(v.Links, d)
				if d.Directed {
					copied[d.To] = true
				}
			}
		}
	}
	for _, a := range as {
		v.Origins[a.ID] = !copied[a.ID]
	}
	return v, nil
}

func (s *Server) lineageShow(r *http.Request) (*pageData, error) {
	v, err := s.lineage(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "lineage", Title: "Lineage", Data: v}, nil
}

func (s *Server) apiLineageShow(r *http.Request) (any, error) {
	v, err := s.lineage(r)
	if err != nil {
		return nil, err
	}
	arts := make([]export.Article, 0, len(v.Articles))
	for _, a := range v.Articles {
		arts = append(arts, export.FromArticle(a))
	}
	links := make([]export.Derivation, 0, len(v.Links))
	for _, d := range v.Links {
		links = append(links, export.FromDerivation(d))
	}
	return map[string]any{"id": v.ID, "sources": v.Sources, "articles": arts, "derivations": links}, nil
}
