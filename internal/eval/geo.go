package eval

import (
	"encoding/xml"
	"fmt"
	"os"

	"github.com/crosscheck-news/crosscheck/internal/geo"
)

// GeoDoc is one article of an LGL-format toponym set.
type GeoDoc struct {
	ID       string
	Source   string // the outlet (LGL: its domain)
	Text     string
	Toponyms []GoldToponym
}

// GoldToponym is a labelled place mention: rune offsets and, when
// resolved, its coordinates.
type GoldToponym struct {
	Start, End int
	Phrase     string
	Resolved   bool
	Lat, Lon   float64
	Gold       string // the gold entry: "Alexandria (PPL, United States, Louisiana)"
}

// LoadLGL reads an LGL-format XML file (Lieberman et al.): articles with
// text and toponyms with character offsets and GeoNames coordinates.
func LoadLGL(path string) ([]GeoDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var raw struct {
		Articles []struct {
			ID       string `xml:"docid,attr"`
			Domain   string `xml:"domain"`
			Text     string `xml:"text"`
			Toponyms []struct {
				Start  int    `xml:"start"`
				End    int    `xml:"end"`
				Phrase string `xml:"phrase"`
				Gaz    *struct {
					Name    string  `xml:"name"`
					FCode   string  `xml:"fcode"`
					Country string  `xml:"country"`
					Admin1  string  `xml:"admin1"`
					Lat     float64 `xml:"lat"`
					Lon     float64 `xml:"lon"`
				} `xml:"gaztag"`
			} `xml:"toponyms>toponym"`
		} `xml:"article"`
	}
	if err := xml.NewDecoder(f).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw.Articles) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	docs := make([]GeoDoc, 0, len(raw.Articles))
	for _, a := range raw.Articles {
		d := GeoDoc{ID: a.ID, Source: a.Domain, Text: a.Text}
		for _, t := range a.Toponyms {
			g := GoldToponym{Start: t.Start, End: t.End, Phrase: t.Phrase}
			if t.Gaz != nil {
				g.Resolved, g.Lat, g.Lon = true, t.Gaz.Lat, t.Gaz.Lon
				g.Gold = fmt.Sprintf("%s (%s, %s, %s)", t.Gaz.Name, t.Gaz.FCode, t.Gaz.Country, t.Gaz.Admin1)
			}
			d.Toponyms = append(d.Toponyms, g)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// GeoScore is toponym recognition and resolution accuracy.
type GeoScore struct {
	Gold, Predicted, Matched int     // gold toponyms with coordinates; predictions; gold found
	PredictedRight           int     // predictions overlapping any gold toponym
	Within161                int     // matched gold resolved within 161 km
	ErrorKmSum               float64 // over matched gold
	Errors                   []string
}

// P is recognition precision; R recognition recall; Acc161 the share of
// matched gold toponyms resolved within 161 km; MeanKm their mean error.
func (s GeoScore) P() float64      { return ratio(float64(s.PredictedRight), float64(s.Predicted)) }
func (s GeoScore) R() float64      { return ratio(float64(s.Matched), float64(s.Gold)) }
func (s GeoScore) Acc161() float64 { return ratio(float64(s.Within161), float64(s.Matched)) }
func (s GeoScore) MeanKm() float64 { return ratio(s.ErrorKmSum, float64(s.Matched)) }

// ScoreGeo geoparses every document and scores it against the gold
// toponyms, matched by overlapping offsets. With bySource, each outlet's
// earlier documents (in file order, as they would arrive) are its prior,
// as at ingest.
func ScoreGeo(g *geo.Gazetteer, docs []GeoDoc, bySource bool) GeoScore {
	var s GeoScore
	priors := geo.Priors{}
	for _, d := range docs {
		var prior *geo.Prior
		if bySource {
			prior = priors.For(d.Source)
		}
		ms := g.ParseWith(d.Text, prior)
		prior.Learn(ms)
		s.Predicted += len(ms)
		for _, m := range ms {
			for _, t := range d.Toponyms {
				if m.Start < t.End && t.Start < m.End {
					s.PredictedRight++
					break
				}
			}
		}
		for _, t := range d.Toponyms {
			if !t.Resolved {
				continue
			}
			s.Gold++
			for _, m := range ms {
				if m.Start < t.End && t.Start < m.End {
					s.Matched++
					km := geo.DistanceKm(t.Lat, t.Lon, m.Place.Lat, m.Place.Lon)
					s.ErrorKmSum += km
					if km <= 161 {
						s.Within161++
					} else {
						s.Errors = append(s.Errors, fmt.Sprintf("%s %q → %s (%s %s %s), %.0f km off; gold %s", d.ID, t.Phrase, m.Place.Name, m.Place.FCode, m.Place.Country, m.Place.Admin1, km, t.Gold))
					}
					break
				}
			}
		}
	}
	return s
}
