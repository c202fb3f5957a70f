package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/entity"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// entityView is an entity with the stories and claims it appears in.
type entityView struct {
	*model.Entity
	Stories []entityStory
}

type entityStory struct {
	ID       int64
	Title    string
	Articles []*model.Article
	// Claims attributed to the entity, or stated in a sentence naming it.
	Claims []model.Claim
}

func (s *Server) entity(r *http.Request) (*entityView, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, fmt.Errorf("%w: entity IDs are positive numbers", errBadRequest)
	}
	e, err := s.store.GetEntity(r.Context(), id)
	if err != nil {
		return nil, err
	}
	v := &entityView{Entity: e}
	byStory := map[int64]int{}
	for _, aid := range e.Articles {
		a, err := s.store.GetArticle(r.Context(), aid)
		if err != nil {
			return nil, err
		}
		i, ok := byStory[a.Story]
		if !ok {
			i = len(v.Stories)
			byStory[a.Story] = i
			v.Stories = append(v.Stories, entityStory{ID: a.Story, Title: a.Title})
		}
		v.Stories[i].Articles = append(v.Stories[i].Articles, a)
		cs, err := s.store.ArticleClaims(r.Context(), aid)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if names(c, e) {
				v.Stories[i].Claims = append(v.Stories[i].Claims, c)
			}
		}
	}
	return v, nil
}

// names reports whether a claim comes from, or names, an entity.
func names(c model.Claim, e *model.Entity) bool {
	for _, a := range e.Aliases {
		if a != "" && (containsFold(c.Attribution, a) || containsFold(c.Sentence, a)) {
			return true
		}
	}
	return false
}

func (s *Server) entityShow(r *http.Request) (*pageData, error) {
	v, err := s.entity(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "entity", Title: v.Name, Data: v}, nil
}

func (s *Server) apiEntityShow(r *http.Request) (any, error) {
	v, err := s.entity(r)
	if err != nil {
		return nil, err
	}
	var claims []export.Claim
	var stories []int64
	for _, st := range v.Stories {
		stories = append(stories, st.ID)
		for _, c := range st.Claims {
			claims = append(claims, export.FromClaim(st.ID, c))
		}
	}
	return map[string]any{"entity": export.FromEntity(v.Entity), "stories": stories, "claims": claims}, nil
}

func containsFold(s, sub string) bool {
	return strings.Contains(entity.Fold(s), sub)
}
