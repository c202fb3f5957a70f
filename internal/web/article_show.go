package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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
	mentions, err := s.store.ArticleMentions(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	v.Paragraphs = annotate(a.Text, marks(v, mentions))
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
	// Paragraphs is the text cut at the marks of what was found in it.
	Paragraphs [][]piece
}

// marks are what the article page highlights in the text: claims'
// sentences (the anchors fact sheets link to), names, places and times.
func marks(v articleView, mentions []store.Mention) []mark {
	var out []mark
	for _, c := range v.Claims {
		out = append(out, mark{Start: c.Start, End: c.End, Class: "hl-claim", ID: "claim-" + c.ID, Title: c.Quantity + " " + c.Kind})
	}
	for _, m := range mentions {
		out = append(out, mark{Start: m.Start, End: m.End, Class: "hl-entity", Title: m.Type, Href: fmt.Sprintf("/entities/%d", m.Entity)})
	}
	for _, p := range v.Places {
		out = append(out, mark{Start: p.Start, End: p.End, Class: "hl-place", Title: fmt.Sprintf("%s, %s (%s)", p.Name, p.Country, p.Precision)})
	}
	for _, d := range v.Dates {
		title := "unresolved"
		if d.Value != nil {
			title = d.Value.Format("2 Jan 2006") + " (" + d.Precision + ")"
		}
		out = append(out, mark{Start: d.Start, End: d.End, Class: "hl-date", Title: title})
	}
	return out
}

// compareWith sends the compare form to the side-by-side page.
func (s *Server) compareWith(r *http.Request) (*pageData, error) {
	a, b := strings.TrimSpace(r.URL.Query().Get("a")), strings.TrimSpace(r.URL.Query().Get("b"))
	if a == "" || b == "" {
		return nil, fmt.Errorf("%w: give two article IDs", errBadRequest)
	}
	// An article's page URL works as well as its ID.
	b = strings.TrimSuffix(b[strings.LastIndex(b, "/")+1:], "#")
	return &pageData{Redirect: "/compare/" + url.PathEscape(a) + "/" + url.PathEscape(b)}, nil
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
