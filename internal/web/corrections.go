package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// who is the analyst a form names, "analyst" when it names no one.
func who(r *http.Request) string {
	if by := strings.TrimSpace(r.PostForm.Get("by")); by != "" {
		return by
	}
	return "analyst"
}

func formID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: %s must be a story or entity number", errBadRequest, name)
	}
	return n, nil
}

// storyCorrect applies a move, merge or split made on a story page.
func (s *Server) storyCorrect(r *http.Request) (string, error) {
	id, err := pathID(r)
	if err != nil {
		return "", err
	}
	c := &model.StoryCorrection{Story: id, Who: who(r), Why: strings.TrimSpace(r.PostForm.Get("why"))}
	switch r.PostForm.Get("action") {
	case model.CorrectMove:
		if c.Story, err = formID(r, "to"); err != nil {
			return "", err
		}
		c.Action, c.Articles = model.CorrectMove, r.PostForm["article"]
	case model.CorrectMerge:
		if c.Other, err = formID(r, "other"); err != nil {
			return "", err
		}
		c.Action = model.CorrectMerge
	case model.CorrectSplit:
		c.Action, c.Articles = model.CorrectSplit, r.PostForm["article"]
	default:
		return "", fmt.Errorf("%w: action must be move, merge or split", errBadRequest)
	}
	if c.Action != model.CorrectMerge && len(c.Articles) == 0 {
		return "", fmt.Errorf("%w: choose at least one article", errBadRequest)
	}
	if err := s.store.CorrectStories(r.Context(), c); err != nil {
		return "", fmt.Errorf("%w: %v", errBadRequest, err)
	}
	switch c.Action {
	case model.CorrectMove:
		return fmt.Sprintf("/stories/%d#corrections", c.Story), nil
	case model.CorrectSplit:
		return fmt.Sprintf("/stories/%d#corrections", id), nil
	}
	return fmt.Sprintf("/stories/%d#corrections", id), nil
}

// overridePost records an analyst's verdict on a pair of articles.
func (s *Server) overridePost(r *http.Request) (string, error) {
	o := model.Override{A: r.PostForm.Get("a"), B: r.PostForm.Get("b"), Verdict: r.PostForm.Get("verdict"), Who: who(r), Why: strings.TrimSpace(r.PostForm.Get("why"))}
	if o.Verdict != model.VerdictNotCopy && o.Verdict != model.VerdictCopyOf {
		return "", fmt.Errorf("%w: verdict must be %s or %s", errBadRequest, model.VerdictNotCopy, model.VerdictCopyOf)
	}
	if err := lineage.Override(r.Context(), s.store, o); err != nil {
		return "", fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return "/compare/" + o.A + "/" + o.B, nil
}

// aliasPost makes a spelling an alias of an entity.
func (s *Server) aliasPost(r *http.Request) (string, error) {
	id, err := pathID(r)
	if err != nil {
		return "", err
	}
	spelling := strings.TrimSpace(r.PostForm.Get("spelling"))
	if spelling == "" {
		return "", fmt.Errorf("%w: the spelling is empty", errBadRequest)
	}
	if err := s.store.SetAlias(r.Context(), spelling, id); err != nil {
		return "", fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return fmt.Sprintf("/entities/%d", id), nil
}

// sourceRolePost sets (or, with role none, clears) a watched source's
// role, which votes on the direction of copies: those stored are
// decided again.
func (s *Server) sourceRolePost(r *http.Request) (string, error) {
	id, err := pathID(r)
	if err != nil {
		return "", err
	}
	role := r.PostForm.Get("role")
	if role == "none" {
		role = ""
	}
	if !model.ValidRole(role) {
		return "", fmt.Errorf("%w: role must be one of %s, or none", errBadRequest, strings.Join(model.Roles, ", "))
	}
	src, err := s.store.GetSource(r.Context(), id)
	if err != nil {
		return "", err
	}
	now := *src
	now.Role = role
	// Copies are decided again even when the role is unchanged, so that
	// a request cut short between the two writes can be completed by
	// sending it again.
	if _, err := lineage.CorrectSource(r.Context(), s.store, *src, now, true); err != nil {
		return "", err
	}
	return "/sources", nil
}

// sourceRenamePost renames an outlet (a row of the sources page): every
// stored article under its name moves to the new one with the
// boilerplate learnt from it, every watched source so named is renamed,
// and the direction of the moved articles' copies is decided again with
// the new name's role (the same as crosscheck source rename).
func (s *Server) sourceRenamePost(r *http.Request) (string, error) {
	from := r.PostForm.Get("from")
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if from == "" {
		return "", fmt.Errorf("%w: which outlet to rename (from) is missing", errBadRequest)
	}
	if err := model.CheckSourceName(name); err != nil {
		return "", fmt.Errorf("%w: %v", errBadRequest, err)
	}
	if name == from {
		return "/sources", nil
	}
	if _, err := lineage.RenameOutlet(r.Context(), s.store, from, name); err != nil {
		return "", err
	}
	return "/sources", nil
}

// pathID reads the {id} of a route as a positive number.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("%w: %q is not an ID", errBadRequest, r.PathValue("id"))
	}
	return id, nil
}

// claimStatusPost sets (or, with status "computed", clears) an analyst's
// status for one of a story's claim groups.
func (s *Server) claimStatusPost(r *http.Request) (string, error) {
	id, err := pathID(r)
	if err != nil {
		return "", err
	}
	o := model.ClaimOverride{Story: id, Group: r.PostForm.Get("group"), Status: r.PostForm.Get("status"), Who: who(r), Why: strings.TrimSpace(r.PostForm.Get("why"))}
	if o.Status == "computed" {
		o.Status = ""
	} else if !slices.Contains(claim.Statuses, o.Status) {
		return "", fmt.Errorf("%w: status must be one of %s, or computed", errBadRequest, strings.Join(claim.Statuses, ", "))
	}
	sheet, _, err := export.Sheet(r.Context(), s.store, id)
	if err != nil {
		return "", err
	}
	found := false
	for _, g := range sheet.Groups {
		found = found || g.ID == o.Group
	}
	if !found {
		return "", fmt.Errorf("%w: story %d has no claim group %q", errBadRequest, id, o.Group)
	}
	if err := s.store.PutClaimOverride(r.Context(), o); err != nil {
		return "", err
	}
	return fmt.Sprintf("/stories/%d#facts", id), nil
}
