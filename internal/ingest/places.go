package ingest

import (
	"context"
	"slices"

	"github.com/crosscheck-news/crosscheck/internal/geo"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// sourcePriorArticles is how many of a source's latest articles say
// where its news usually happens.
const sourcePriorArticles = 200

// places finds the places an article names, resolving ambiguous names
// towards where its source's latest articles were.
func (w *writer) places(ctx context.Context, a *model.Article) ([]model.PlaceMention, error) {
	g, err := geo.Default()
	if err != nil {
		return nil, err
	}
	var prior *geo.Prior
	if a.Source != "" {
		win, err := w.windows.get(ctx, w, a.Source)
		if err != nil {
			return nil, err
		}
		prior = geo.NewPrior()
		for _, id := range win.ids {
			for _, p := range win.places[id] {
				fcode := ""
				if p.Precision == "country" {
					fcode = "PCLI"
				}
				prior.Add(&geo.Place{ID: p.PlaceID, Country: p.Country, Admin1: p.Admin1, FCode: fcode})
			}
		}
	}
	var out []model.PlaceMention
	for _, m := range g.ParseWith(a.Text, prior) {
		p := m.Place
		out = append(out, model.PlaceMention{Article: a.ID, Start: m.Start, End: m.End, Text: m.Text, PlaceID: p.ID,
			GeonamesID: p.GeonamesID(), Name: p.Name, Lat: p.Lat, Lon: p.Lon, Country: p.Country, Admin1: p.Admin1, Precision: p.Precision()})
	}
	return out, nil
}

// sourceWindows are the writer's copies of its sources' latest articles
// with the places each names, as SourcePlaces reads them. Reading them
// for every article (about a thousand rows for a source's 200 latest)
// was 7 % of the writer's time at 100,000 articles; the writer adds each
// article it stores to its source's window instead, and before using a
// window checks that the source's newest article is the one it added
// last. When it is not (another process stored one, a batch was rolled
// back, the clock went back), the window is read again.
type sourceWindows map[string]*sourceWindow

// sourceWindowsKept bounds how many sources' windows the writer keeps.
const sourceWindowsKept = 1000

type sourceWindow struct {
	ids    []string // oldest first, at most sourcePriorArticles
	places map[string][]model.PlaceMention
}

func (ws *sourceWindows) get(ctx context.Context, w *writer, source string) (*sourceWindow, error) {
	newest, err := w.st.SourceLatest(ctx, source, 1)
	if err != nil {
		return nil, err
	}
	if win := (*ws)[source]; win != nil && win.newestIs(newest) {
		return win, nil
	}
	ids, err := w.st.SourceLatest(ctx, source, sourcePriorArticles)
	if err != nil {
		return nil, err
	}
	ps, err := w.st.SourcePlaces(ctx, source, sourcePriorArticles)
	if err != nil {
		return nil, err
	}
	win := &sourceWindow{places: map[string][]model.PlaceMention{}}
	for i := len(ids) - 1; i >= 0; i-- {
		win.ids = append(win.ids, ids[i])
	}
	for _, p := range ps {
		win.places[p.Article] = append(win.places[p.Article], p)
	}
	if *ws == nil {
		*ws = sourceWindows{}
	}
	if len(*ws) >= sourceWindowsKept {
		clear(*ws) // a writer of very many sources reads their windows again
	}
	(*ws)[source] = win
	return win, nil
}

// newestIs reports whether the window ends with the one article of
// newest (none for an empty window).
func (win *sourceWindow) newestIs(newest []string) bool {
	if len(win.ids) == 0 || len(newest) == 0 {
		return len(win.ids) == len(newest)
	}
	return win.ids[len(win.ids)-1] == newest[0]
}

// stored adds an article the writer stored, with its places, to its
// source's window, if the writer keeps one: one place per distinct
// (place, country, admin1, precision), as SourcePlaces reads them.
func (ws sourceWindows) stored(a *model.Article, places []model.PlaceMention) {
	win := ws[a.Source]
	if win == nil {
		return
	}
	if slices.Contains(win.ids, a.ID) {
		delete(ws, a.Source) // stored again? read the window afresh
		return
	}
	var kept []model.PlaceMention
	for _, p := range places {
		r := model.PlaceMention{Article: a.ID, PlaceID: p.PlaceID, Country: p.Country, Admin1: p.Admin1, Precision: p.Precision}
		if !slices.Contains(kept, r) {
			kept = append(kept, r)
		}
	}
	win.ids = append(win.ids, a.ID)
	if len(kept) > 0 {
		win.places[a.ID] = kept
	}
	if len(win.ids) > sourcePriorArticles {
		delete(win.places, win.ids[0])
		win.ids = win.ids[1:]
	}
}
