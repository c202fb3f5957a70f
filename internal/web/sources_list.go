package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/export"
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
			row.Role, row.Feed, row.LastError = w.Role, w.FeedURL, w.LastError
		}
		out = append(out, row)
	}
	return out, nil
}

func (s *Server) sourcesList(r *http.Request) (*pageData, error) {
	rows, err := s.sourceRows(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "sources", Title: "Sources", Data: rows}, nil
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

// apiPlacesList lists every place named, with its mentions and stories;
// ?format=geojson gives them as a FeatureCollection.
func (s *Server) apiPlacesList(r *http.Request) (any, error) {
	var places []export.Place
	if err := export.EachPlace(r.Context(), s.store, func(p export.Place) error { places = append(places, p); return nil }); err != nil {
		return nil, err
	}
	items := make([]any, len(places))
	for i, p := range places {
		items[i] = p
	}
	if places == nil {
		places = []export.Place{}
	}
	return &listing{Body: map[string]any{"places": places}, Items: items, Name: "places",
		Columns: []string{"id", "name", "geonames_id", "lat", "lon", "country", "admin1", "precision", "mentions", "stories"},
		Row: func(it any) []string {
			p := it.(export.Place)
			var st []string
			for _, x := range p.Stories {
				st = append(st, strconv.FormatInt(x, 10))
			}
			return []string{p.ID, p.Name, strconv.FormatInt(p.GeonamesID, 10), strconv.FormatFloat(p.Lat, 'f', 4, 64), strconv.FormatFloat(p.Lon, 'f', 4, 64),
				p.Country, p.Admin1, p.Precision, strconv.Itoa(len(p.Mentions)), strings.Join(st, " ")}
		},
		GeoJSON: func() any {
			fs := make([]any, len(places))
			for i, p := range places {
				fs[i] = export.Feature(p)
			}
			return map[string]any{"type": "FeatureCollection", "features": fs}
		}}, nil
}

// apiRejectionsList lists rejected inputs.
func (s *Server) apiRejectionsList(r *http.Request) (any, error) {
	rs, err := s.store.ListRejections(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]export.Rejection, 0, len(rs))
	items := make([]any, 0, len(rs))
	for _, x := range rs {
		out = append(out, export.FromRejection(x))
		items = append(items, out[len(out)-1])
	}
	return &listing{Body: map[string]any{"rejections": out}, Items: items, Name: "rejections", Columns: []string{"input", "reason", "at"},
		Row: func(it any) []string { x := it.(export.Rejection); return []string{x.Input, x.Reason, x.At} }}, nil
}
