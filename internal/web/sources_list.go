package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// sourceRow is an outlet as the sources list shows and exports it.
type sourceRow struct {
	Name         string  `json:"name"`
	Role         string  `json:"role"`
	Feed         string  `json:"feed"`
	Articles     int     `json:"articles"`
	Originated   int     `json:"originated"`
	Copies       int     `json:"copies"`
	Stories      int     `json:"stories"`
	FirstInStory int     `json:"first_in_story"`
	FirstSeen    *string `json:"first_seen"`
	LastSeen     *string `json:"last_seen"`
	LastError    string  `json:"last_error,omitempty"`
	// Failures counts the watched feed's failed polls in a row.
	Failures int `json:"failures,omitempty"`
	// NextPoll is when the watched feed is polled next (RFC 3339, UTC).
	NextPoll *string `json:"next_poll,omitempty"`
	// SourceID is the watched source's ID (absent for an outlet that is
	// not watched): the one `crosscheck source set` and the role form
	// take.
	SourceID int64 `json:"source_id,omitempty"`
	// FeedTrouble is the feed error badge's explanation.
	FeedTrouble string `json:"-"`
}

// CopyShare is the share of its articles that copy another's.
func (r sourceRow) CopyShare() int {
	if r.Articles == 0 {
		return 0
	}
	return 100 * r.Copies / r.Articles
}

func (s *Server) sourceRows(r *http.Request) ([]sourceRow, error) {
	stats, err := s.store.SourceStats(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]sourceRow, 0, len(stats))
	for _, st := range stats {
		row := sourceRow{Name: st.Name, Articles: st.Articles, Originated: st.Originated, Copies: st.Copies, Stories: st.Stories,
			FirstInStory: st.FirstInStory, FirstSeen: isoDay(st.FirstSeen), LastSeen: isoDay(st.LastSeen)}
		if w := st.Watched; w != nil {
			row.Role, row.Feed, row.LastError, row.Failures, row.SourceID = w.Role, w.FeedURL, w.LastError, w.Failures, w.ID
			row.FeedTrouble = w.PollTrouble(time.RFC3339)
			if w.NextPoll != nil {
				next := w.NextPoll.UTC().Format(time.RFC3339)
				row.NextPoll = &next
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// sourcesPage is the sources page: its outlets, and the renames
// analysts made, newest first.
type sourcesPage struct {
	Rows    []sourceRow
	Renames []model.SourceRename
}

func (s *Server) sourcesList(r *http.Request) (*pageData, error) {
	rows, err := s.sourceRows(r)
	if err != nil {
		return nil, err
	}
	renames, err := s.store.SourceRenames(r.Context())
	if err != nil {
		return nil, err
	}
	slices.Reverse(renames)
	return &pageData{Template: "sources", Title: "Sources", Data: sourcesPage{Rows: rows, Renames: renames}}, nil
}

func (s *Server) apiSourcesList(r *http.Request) (any, error) {
	rows, err := s.sourceRows(r)
	if err != nil {
		return nil, err
	}
	items := make([]any, len(rows))
	for i, row := range rows {
		items[i] = row
	}
	return &listing{Body: map[string]any{"sources": rows}, Items: items, Name: "sources",
		Columns: []string{"name", "role", "feed", "articles", "originated", "copies", "stories", "first_in_story", "first_seen", "last_seen"},
		Row: func(it any) []string {
			x := it.(sourceRow)
			return []string{x.Name, x.Role, x.Feed, strconv.Itoa(x.Articles), strconv.Itoa(x.Originated), strconv.Itoa(x.Copies),
				strconv.Itoa(x.Stories), strconv.Itoa(x.FirstInStory), deref(x.FirstSeen), deref(x.LastSeen)}
		}}, nil
}

// entityRow is an entity in the entities list.
type entityRow struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"entity_type"`
	Articles int    `json:"articles"`
}

func (s *Server) entityRows(r *http.Request) ([]entityRow, string, int, error) {
	typ := r.URL.Query().Get("type")
	switch typ {
	case "", "person", "organisation", "place", "other":
	default:
		return nil, "", 0, errBadRequestf("type must be person, organisation, place or other")
	}
	_, page, err := listParams(r)
	if err != nil {
		return nil, "", 0, err
	}
	top, err := s.store.TopEntities(r.Context(), typ, pageSize, (page-1)*pageSize)
	if err != nil {
		return nil, "", 0, err
	}
	out := make([]entityRow, 0, len(top))
	for _, t := range top {
		out = append(out, entityRow{t.Entity.ID, t.Entity.Name, t.Entity.Type, t.Articles})
	}
	return out, typ, page, nil
}

type entitiesPage struct {
	Entities []entityRow
	Type     string
	Page     int
	HasNext  bool
}

func (s *Server) entitiesList(r *http.Request) (*pageData, error) {
	rows, typ, page, err := s.entityRows(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "entities", Title: "Entities", Data: entitiesPage{rows, typ, page, len(rows) == pageSize}}, nil
}

func (s *Server) apiEntitiesList(r *http.Request) (any, error) {
	rows, _, page, err := s.entityRows(r)
	if err != nil {
		return nil, err
	}
	items := make([]any, len(rows))
	for i, row := range rows {
		items[i] = row
	}
	return &listing{Body: map[string]any{"page": page, "entities": rows}, Items: items, Name: "entities",
		Columns: []string{"id", "name", "entity_type", "articles"},
		Row: func(it any) []string {
			x := it.(entityRow)
			return []string{strconv.FormatInt(x.ID, 10), x.Name, x.Type, strconv.Itoa(x.Articles)}
		}}, nil
}

func errBadRequestf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadRequest}, args...)...)
}

// isoDay is a time as its UTC day, or nil.
func isoDay(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.UTC().Format("2006-01-02")
	return &d
}
