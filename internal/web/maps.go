package web

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// mapView is a map drawn as SVG over Natural Earth outlines, in the
// equirectangular projection of static/world.svg (x = (lon+180)×2, y =
// (90−lat)×2), zoomed to its markers.
type mapView struct {
	ViewBox string
	Markers []marker
}

type marker struct {
	X, Y, R float64
	Label   string
	Href    string
}

func project(lat, lon float64) (float64, float64) { return (lon + 180) * 2, (90 - lat) * 2 }

// newMap places markers (radius growing with the count) and frames them.
func newMap(ms []marker) *mapView {
	if len(ms) == 0 {
		return nil
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, m := range ms {
		minX, maxX = math.Min(minX, m.X), math.Max(maxX, m.X)
		minY, maxY = math.Min(minY, m.Y), math.Max(maxY, m.Y)
	}
	// At least 60×30 map units (about 30° of longitude), with a margin.
	w, h := math.Max(maxX-minX, 60)*1.3, math.Max(maxY-minY, 30)*1.3
	if w < 2*h {
		w = 2 * h
	}
	h = w / 2
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	x0 := math.Max(0, math.Min(720-w, cx-w/2))
	y0 := math.Max(0, math.Min(360-h, cy-h/2))
	scale := w / 720
	for i := range ms {
		ms[i].R = ms[i].R * math.Max(scale, 0.08)
	}
	return &mapView{ViewBox: fmt.Sprintf("%.1f %.1f %.1f %.1f", x0, y0, math.Min(w, 720), math.Min(h, 360)), Markers: ms}
}

// storyMap draws the places a story's articles name.
func storyMap(ps []storyPlace) *mapView {
	var ms []marker
	for _, p := range ps {
		if p.Precision == "country" {
			continue // a country is not a point on the map
		}
		x, y := project(p.Lat, p.Lon)
		ms = append(ms, marker{X: x, Y: y, R: 3 + 2*math.Sqrt(float64(p.Count)), Label: fmt.Sprintf("%s (%d)", p.Name, p.Count)})
	}
	return newMap(ms)
}

type globalMapPage struct {
	Map    *mapView
	Places int
}

// globalMap draws every place articles name, linking each to a story that
// names it most.
func (s *Server) globalMap(r *http.Request) (*globalMapPage, error) {
	type agg struct {
		p       model.PlaceMention
		n       int
		stories map[int64]int
	}
	byPlace := map[string]*agg{}
	var arts []string
	seen := map[string]bool{}
	err := s.store.EachPlaceMention(r.Context(), func(m model.PlaceMention) error {
		if m.Precision == "country" {
			return nil
		}
		a, ok := byPlace[m.PlaceID]
		if !ok {
			a = &agg{p: m, stories: map[int64]int{}}
			byPlace[m.PlaceID] = a
		}
		a.n++
		if !seen[m.Article] {
			seen[m.Article] = true
			arts = append(arts, m.Article)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	storyOf := map[string]int64{}
	for len(arts) > 0 {
		chunk := arts[:min(len(arts), 500)]
		arts = arts[len(chunk):]
		got, err := s.store.ArticleStories(r.Context(), chunk)
		if err != nil {
			return nil, err
		}
		for k, v := range got {
			storyOf[k] = v
		}
	}
	err = s.store.EachPlaceMention(r.Context(), func(m model.PlaceMention) error {
		if a := byPlace[m.PlaceID]; a != nil && storyOf[m.Article] != 0 {
			a.stories[storyOf[m.Article]]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := make([]*agg, 0, len(byPlace))
	for _, a := range byPlace {
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].p.PlaceID < all[j].p.PlaceID
	})
	all = all[:min(len(all), 500)]
	var ms []marker
	for _, a := range all {
		best, bestN := int64(0), 0
		for st, n := range a.stories {
			if n > bestN || n == bestN && st > best {
				best, bestN = st, n
			}
		}
		x, y := project(a.p.Lat, a.p.Lon)
		m := marker{X: x, Y: y, R: 2.5 + math.Sqrt(float64(a.n)), Label: fmt.Sprintf("%s (%d mentions)", a.p.Name, a.n)}
		if best != 0 {
			m.Href = fmt.Sprintf("/stories/%d", best)
		}
		ms = append(ms, m)
	}
	mv := newMap(ms)
	if mv != nil {
		mv.ViewBox = "0 0 720 360" // the whole world
	}
	return &globalMapPage{Map: mv, Places: len(byPlace)}, nil
}

func (s *Server) mapShow(r *http.Request) (*pageData, error) {
	p, err := s.globalMap(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "map", Title: "Map", Data: p}, nil
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
