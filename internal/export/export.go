// Package export writes crosscheck's analysed state as JSON, JSONL or CSV.
// The field names are a public contract documented in docs/export.md:
// fields and top-level arrays may be added, never renamed or removed.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// Formats lists the accepted --format values.
var Formats = []string{"json", "jsonl", "csv", "geojson"}

// FormatVersion is bumped when fields are added.
const FormatVersion = 7

// Article is the exported form of an article.
type Article struct {
	ID         string          `json:"id"`
	Source     string          `json:"source"`
	URL        string          `json:"url"`
	Path       string          `json:"path"`
	Format     string          `json:"format"`
	Title      string          `json:"title"`
	Author     string          `json:"author"`
	Site       string          `json:"site"`
	Published  *string         `json:"published"`
	Language   string          `json:"language"`
	Text       string          `json:"text"`
	Removed    []model.Removal `json:"removed"`
	IngestedAt string          `json:"ingested_at"`
	Lineage    string          `json:"lineage"`
	// Story is the article's story ID (0: not clustered).
	Story int64 `json:"story"`
}

// Story is the exported form of a story: articles about one event.
type Story struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Articles are the member article IDs, earliest first.
	Articles  []string `json:"articles"`
	FirstSeen string   `json:"first_seen"`
	LastSeen  string   `json:"last_seen"`
	// Lineages are the IDs of the members' lineages: the independent
	// reports.
	Lineages []string `json:"lineages"`
	Sources  []string `json:"sources"`
}

// FromDescription converts a described story to its exported form.
func FromDescription(d *story.Description) Story {
	out := Story{ID: d.Story.ID, Title: d.Title, Articles: []string{}, Lineages: []string{}, Sources: d.Sources,
		FirstSeen: d.Story.FirstSeen.UTC().Format(time.RFC3339), LastSeen: d.Story.LastSeen.UTC().Format(time.RFC3339)}
	var sum []string
	for _, s := range d.Summary {
		sum = append(sum, s.Text)
	}
	out.Summary = strings.Join(sum, " ")
	for _, g := range d.Lineages {
		out.Lineages = append(out.Lineages, g[0].ID)
	}
	for _, g := range d.Lineages {
		for _, a := range g {
			out.Articles = append(out.Articles, a.ID)
		}
	}
	if out.Sources == nil {
		out.Sources = []string{}
	}
	return out
}

// Place is the exported form of a place and where articles name it.
type Place struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	GeonamesID int64          `json:"geonames_id"`
	Lat        float64        `json:"lat"`
	Lon        float64        `json:"lon"`
	Country    string         `json:"country"`
	Admin1     string         `json:"admin1"`
	Precision  string         `json:"precision"`
	Mentions   []PlaceMention `json:"mentions"`
	Stories    []int64        `json:"stories"`
}

// Date is the exported form of a time expression.
type Date struct {
	Article   string  `json:"article"`
	Text      string  `json:"text"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Value     *string `json:"value"`
	Precision string  `json:"precision"`
}

// FromDate converts a stored time expression.
func FromDate(d model.DateMention) Date {
	return Date{Article: d.Article, Text: d.Text, Start: d.Start, End: d.End, Value: dayOf(d.Value), Precision: d.Precision}
}

// dayOf formats an optional day as YYYY-MM-DD.
func dayOf(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.UTC().Format("2006-01-02")
	return &d
}

// PlaceMention is one naming of a place in an article.
type PlaceMention struct {
	Article string `json:"article"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

// eachPlace streams places with their mentions and stories.
func eachPlace(ctx context.Context, st store.Store, fn func(Place) error) error {
	var cur *Place
	var arts []string
	flush := func() error {
		if cur == nil {
			return nil
		}
		stories, err := st.ArticleStories(ctx, arts)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		cur.Stories = []int64{}
		for _, a := range arts {
			if s := stories[a]; s != 0 && !seen[s] {
				seen[s] = true
				cur.Stories = append(cur.Stories, s)
			}
		}
		return fn(*cur)
	}
	err := st.EachPlaceMention(ctx, func(m model.PlaceMention) error {
		if cur == nil || cur.ID != m.PlaceID {
			if err := flush(); err != nil {
				return err
			}
			cur = &Place{ID: m.PlaceID, Name: m.Name, GeonamesID: m.GeonamesID, Lat: m.Lat, Lon: m.Lon, Country: m.Country, Admin1: m.Admin1, Precision: m.Precision}
			arts = nil
		}
		cur.Mentions = append(cur.Mentions, PlaceMention{Article: m.Article, Start: m.Start, End: m.End, Text: m.Text})
		if len(arts) == 0 || arts[len(arts)-1] != m.Article {
			arts = append(arts, m.Article)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// EachPlace calls fn with every place named in the stored articles, with
// its mentions and stories, by place ID.
func EachPlace(ctx context.Context, st store.Store, fn func(Place) error) error {
	return eachPlace(ctx, st, fn)
}

// Feature is a place as a GeoJSON point feature, with its stories.
func Feature(p Place) map[string]any {
	return map[string]any{
		"type":     "Feature",
		"geometry": map[string]any{"type": "Point", "coordinates": []float64{p.Lon, p.Lat}},
		"properties": map[string]any{"id": p.ID, "name": p.Name, "geonames_id": p.GeonamesID, "country": p.Country,
			"admin1": p.Admin1, "precision": p.Precision, "mentions": len(p.Mentions), "stories": p.Stories},
	}
}

// writeGeoJSON writes the places as a GeoJSON FeatureCollection of
// points, each with its stories.
func writeGeoJSON(ctx context.Context, w *bufio.Writer, st store.Store) error {
	w.WriteString(`{"type": "FeatureCollection", "features": [`)
	err := jsonArray(w, func(emit func(any) error) error {
		return eachPlace(ctx, st, func(p Place) error { return emit(Feature(p)) })
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]}\n")
	return err
}

// Entity is the exported form of a person, organisation or place.
type Entity struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Aliases  []string `json:"aliases"`
	Roles    []string `json:"roles"`
	Articles []string `json:"articles"`
}

// FromEntity converts a stored entity to its exported form.
func FromEntity(e *model.Entity) Entity {
	out := Entity{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases, Roles: e.Roles, Articles: e.Articles}
	for _, p := range []*[]string{&out.Aliases, &out.Roles, &out.Articles} {
		if *p == nil {
			*p = []string{}
		}
	}
	return out
}

// Claim is the exported form of a claim.
type Claim struct {
	ID          string   `json:"id"`
	Story       int64    `json:"story"`
	Article     string   `json:"article"`
	Sentence    string   `json:"sentence"`
	Start       int      `json:"start"`
	End         int      `json:"end"`
	Quantity    string   `json:"quantity"`
	Kind        string   `json:"kind"`
	Noun        string   `json:"noun"`
	Value       float64  `json:"value"`
	Low         *float64 `json:"low"`
	High        *float64 `json:"high"`
	Place       string   `json:"place"`
	When        *string  `json:"when"`
	Attribution string   `json:"attribution"`
}

// FromClaim converts a claim of a story to its exported form.
func FromClaim(story int64, c model.Claim) Claim {
	return Claim{ID: c.ID, Story: story, Article: c.Article, Sentence: c.Sentence, Start: c.Start, End: c.End,
		Quantity: c.Quantity, Kind: c.Kind, Noun: c.Noun, Value: c.Value, Low: c.Low, High: c.High,
		Place: c.Place, When: dayOf(c.When), Attribution: c.Attribution}
}

// ClaimGroup is the exported form of a story's claims about one thing.
type ClaimGroup struct {
	ID                 string           `json:"id"`
	Story              int64            `json:"story"`
	Kind               string           `json:"kind"`
	Noun               string           `json:"noun"`
	Claims             []string         `json:"claims"`
	Status             string           `json:"status"`
	Rule               string           `json:"rule"`
	IndependentSources int              `json:"independent_sources"`
	Values             []claim.Value    `json:"values"`
	Relations          []claim.Relation `json:"relations"`
}

// FromGroup converts a claim group to its exported form.
func FromGroup(g claim.Group) ClaimGroup {
	out := ClaimGroup{ID: g.ID, Story: g.Story, Kind: g.Kind, Noun: g.Noun, Status: g.Status, Rule: g.Rule,
		IndependentSources: g.IndependentSources, Values: g.Values, Relations: g.Relations, Claims: []string{}}
	for _, c := range g.Claims {
		out.Claims = append(out.Claims, c.ID)
	}
	if out.Relations == nil {
		out.Relations = []claim.Relation{}
	}
	return out
}

// eachSheet calls fn with every live story's fact sheet and claims.
func eachSheet(ctx context.Context, st store.Store, fn func(story int64, claims []model.Claim, sheet claim.Sheet) error) error {
	return eachLiveStory(ctx, st, func(s *model.Story) error {
		sheet, cs, err := Sheet(ctx, st, s.ID)
		if err != nil || len(cs) == 0 {
			return err
		}
		return fn(s.ID, cs, sheet)
	})
}

// eachLiveStory pages through the live stories, most recent first.
func eachLiveStory(ctx context.Context, st store.Store, fn func(*model.Story) error) error {
	const page = 200
	for off := 0; ; off += page {
		ss, err := st.ListStories(ctx, store.StoryListOptions{Limit: page, Offset: off})
		if err != nil {
			return err
		}
		for _, s := range ss {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(ss) < page {
			return nil
		}
	}
}

// StoryLinks returns the copy links touching a story's articles.
// Sheet loads a story's fact sheet.
func Sheet(ctx context.Context, st store.Store, story int64) (claim.Sheet, []model.Claim, error) {
	cs, err := st.StoryClaims(ctx, story)
	if err != nil {
		return claim.Sheet{}, nil, err
	}
	arts, err := st.StoryArticles(ctx, story)
	if err != nil {
		return claim.Sheet{}, nil, err
	}
	links, err := st.StoryDerivations(ctx, story)
	if err != nil {
		return claim.Sheet{}, nil, err
	}
	sheet := claim.FactSheet(story, arts, cs, links)
	os, err := st.ClaimOverrides(ctx, story)
	if err != nil {
		return claim.Sheet{}, nil, err
	}
	sheet.Override(os)
	return sheet, cs, nil
}

// eachStory describes every live story, most recent first.
func eachStory(ctx context.Context, st store.Store, fn func(Story) error) error {
	return eachLiveStory(ctx, st, func(s *model.Story) error {
		d, err := story.Describe(ctx, st, s)
		if err != nil {
			return err
		}
		return fn(FromDescription(d))
	})
}

// Derivation is the exported form of a copy link.
type Derivation struct {
	From     string          `json:"from"`
	To       string          `json:"to"`
	Kind     string          `json:"kind"`
	Score    float64         `json:"score"`
	Directed bool            `json:"directed"`
	Override bool            `json:"override"`
	Passages []model.Passage `json:"passages"`
	Evidence model.Evidence  `json:"evidence"`
}

// Lineage is the exported form of a lineage: articles connected by
// copying, which count once as a source.
type Lineage struct {
	ID       string   `json:"id"`
	Articles []string `json:"articles"`
	Sources  []string `json:"sources"`
}

// Override is the exported form of an analyst's decision on a pair.
type Override struct {
	A       string `json:"a"`
	B       string `json:"b"`
	Verdict string `json:"verdict"`
	Who     string `json:"who"`
	Why     string `json:"why"`
	At      string `json:"at"`
}

// FromOverride converts a stored override; for copy-of, A is the origin.
func FromOverride(o model.Override) Override {
	return Override{A: o.A, B: o.B, Verdict: o.Verdict, Who: o.Who, Why: o.Why, At: o.At.UTC().Format(time.RFC3339)}
}

// FromDerivation converts a stored derivation to its exported form.
func FromDerivation(d model.Derivation) Derivation {
	ps := d.Evidence.Passages
	if ps == nil {
		ps = []model.Passage{}
	}
	ev := d.Evidence
	ev.Passages = nil
	return Derivation{From: d.From, To: d.To, Kind: d.Kind, Score: d.Score, Directed: d.Directed, Override: d.Override, Passages: ps, Evidence: ev}
}

// Rejection is the exported form of a rejected input.
type Rejection struct {
	Input  string `json:"input"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// FromArticle converts a stored article to its exported form.
func FromArticle(a *model.Article) Article {
	out := Article{
		ID: a.ID, Source: a.Source, URL: a.URL, Path: a.Path, Format: a.Format, Title: a.Title,
		Author: a.Author, Site: a.Site, Language: a.Language, Text: a.Text, Removed: a.Removed,
		IngestedAt: a.IngestedAt.UTC().Format(time.RFC3339), Lineage: a.Lineage, Story: a.Story,
	}
	if out.Removed == nil {
		out.Removed = []model.Removal{}
	}
	if a.Published != nil {
		p := a.Published.UTC().Format(time.RFC3339)
		out.Published = &p
	}
	return out
}

// FromRejection converts a stored rejection to its exported form.
func FromRejection(r model.Rejection) Rejection {
	return Rejection{Input: r.Input, Reason: r.Reason, At: r.At.UTC().Format(time.RFC3339)}
}

// Write writes the whole state of st to w in format.
func Write(ctx context.Context, w io.Writer, st store.Store, format string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "json":
		err = writeJSON(ctx, bw, st)
	case "jsonl":
		err = writeJSONL(ctx, bw, st)
	case "csv":
		err = writeCSV(ctx, bw, st)
	case "geojson":
		err = writeGeoJSON(ctx, bw, st)
	default:
		return fmt.Errorf("unknown export format %q (want json, jsonl, csv or geojson)", format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSON streams one object, article by article, so memory stays flat
// however large the database.
func writeJSON(ctx context.Context, w *bufio.Writer, st store.Store) error {
	fmt.Fprintf(w, "{\n\"version\": %d,\n\"articles\": [", FormatVersion)
	lin := newLineages()
	err := jsonArray(w, func(emit func(any) error) error {
		return st.EachArticle(ctx, func(a *model.Article) error {
			lin.add(a)
			return emit(FromArticle(a))
		})
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"derivations\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return st.EachDerivation(ctx, func(d model.Derivation) error { return emit(FromDerivation(d)) })
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"stories\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return eachStory(ctx, st, func(s Story) error { return emit(s) })
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"places\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return eachPlace(ctx, st, func(p Place) error { return emit(p) })
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"dates\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return st.EachDateMention(ctx, func(d model.DateMention) error { return emit(FromDate(d)) })
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"entities\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return st.EachEntity(ctx, func(e *model.Entity) error { return emit(FromEntity(e)) })
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"claims\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return eachSheet(ctx, st, func(story int64, cs []model.Claim, _ claim.Sheet) error {
			for _, c := range cs {
				if err := emit(FromClaim(story, c)); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"claim_groups\": [")
	err = jsonArray(w, func(emit func(any) error) error {
		return eachSheet(ctx, st, func(_ int64, _ []model.Claim, sh claim.Sheet) error {
			for _, g := range sh.Groups {
				if err := emit(FromGroup(g)); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"lineages\": ")
	if err := json.NewEncoder(w).Encode(lin.list()); err != nil {
		return err
	}
	os, err := st.ListOverrides(ctx)
	if err != nil {
		return err
	}
	ovs := make([]Override, 0, len(os))
	for _, o := range os {
		ovs = append(ovs, FromOverride(o))
	}
	w.WriteString(",\n\"overrides\": ")
	if err := json.NewEncoder(w).Encode(ovs); err != nil {
		return err
	}
	w.WriteString(",\n\"rejections\": ")
	rs, err := st.ListRejections(ctx)
	if err != nil {
		return err
	}
	out := make([]Rejection, 0, len(rs))
	for _, r := range rs {
		out = append(out, FromRejection(r))
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Write(b)
	_, err = w.WriteString("\n}\n")
	return err
}

// jsonArray writes the elements that each emits, comma-separated, one per
// line, streaming.
func jsonArray(w *bufio.Writer, each func(emit func(any) error) error) error {
	first := true
	return each(func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n")
		_, err = w.Write(b)
		return err
	})
}

// lineages groups article IDs and sources by lineage while articles stream.
type lineages struct {
	order []string
	byID  map[string]*Lineage
	seen  map[string]map[string]bool
}

func newLineages() *lineages {
	return &lineages{byID: map[string]*Lineage{}, seen: map[string]map[string]bool{}}
}

func (l *lineages) add(a *model.Article) {
	id := a.Lineage
	if id == "" {
		id = a.ID
	}
	x, ok := l.byID[id]
	if !ok {
		x = &Lineage{ID: id, Articles: []string{}, Sources: []string{}}
		l.byID[id] = x
		l.seen[id] = map[string]bool{}
		l.order = append(l.order, id)
	}
	x.Articles = append(x.Articles, a.ID)
	if a.Source != "" && !l.seen[id][a.Source] {
		l.seen[id][a.Source] = true
		x.Sources = append(x.Sources, a.Source)
	}
}

func (l *lineages) list() []Lineage {
	sort.Strings(l.order)
	out := make([]Lineage, 0, len(l.order))
	for _, id := range l.order {
		x := l.byID[id]
		sort.Strings(x.Sources)
		out = append(out, *x)
	}
	return out
}

// writeJSONL writes one record per line, each with a "type" field.
func writeJSONL(ctx context.Context, w *bufio.Writer, st store.Store) error {
	lin := newLineages()
	err := st.EachArticle(ctx, func(a *model.Article) error {
		lin.add(a)
		return typed(w, "article", FromArticle(a))
	})
	if err != nil {
		return err
	}
	err = st.EachDerivation(ctx, func(d model.Derivation) error {
		return typed(w, "derivation", FromDerivation(d))
	})
	if err != nil {
		return err
	}
	err = eachStory(ctx, st, func(s Story) error {
		return typed(w, "story", s)
	})
	if err != nil {
		return err
	}
	err = eachPlace(ctx, st, func(p Place) error {
		return typed(w, "place", p)
	})
	if err != nil {
		return err
	}
	err = st.EachDateMention(ctx, func(d model.DateMention) error {
		return typed(w, "date", FromDate(d))
	})
	if err != nil {
		return err
	}
	err = st.EachEntity(ctx, func(e *model.Entity) error {
		return typed(w, "entity", entityLine(FromEntity(e)))
	})
	if err != nil {
		return err
	}
	err = eachSheet(ctx, st, func(story int64, cs []model.Claim, sh claim.Sheet) error {
		for _, c := range cs {
			if err := typed(w, "claim", FromClaim(story, c)); err != nil {
				return err
			}
		}
		for _, g := range sh.Groups {
			if err := typed(w, "claim_group", FromGroup(g)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, l := range lin.list() {
		if err := typed(w, "lineage", l); err != nil {
			return err
		}
	}
	os, err := st.ListOverrides(ctx)
	if err != nil {
		return err
	}
	for _, o := range os {
		if err := typed(w, "override", FromOverride(o)); err != nil {
			return err
		}
	}
	rs, err := st.ListRejections(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := typed(w, "rejection", FromRejection(r)); err != nil {
			return err
		}
	}
	return nil
}

// CSVHeader is the column list of the CSV export.
var CSVHeader = []string{"id", "source", "url", "path", "format", "title", "author", "site", "published", "language", "removed_lines", "text", "lineage", "story"}

func writeCSV(ctx context.Context, w *bufio.Writer, st store.Store) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err := st.EachArticle(ctx, func(a *model.Article) error {
		e := FromArticle(a)
		pub := ""
		if e.Published != nil {
			pub = *e.Published
		}
		return cw.Write([]string{e.ID, e.Source, e.URL, e.Path, e.Format, safeCell(e.Title), safeCell(e.Author), safeCell(e.Site), pub, e.Language, strconv.Itoa(len(e.Removed)), safeCell(e.Text), e.Lineage, strconv.FormatInt(e.Story, 10)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses spreadsheet formula injection: article text is
// untrusted, and a cell starting with = + - @ runs as a formula when an
// analyst opens the CSV in a spreadsheet.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// entityLine is an entity as a JSONL record, whose "type" is the record's:
// the entity's own type goes in "entity_type".
type entityLineT struct {
	ID         int64    `json:"id"`
	Name       string   `json:"name"`
	EntityType string   `json:"entity_type"`
	Aliases    []string `json:"aliases"`
	Roles      []string `json:"roles"`
	Articles   []string `json:"articles"`
}

func entityLine(e Entity) entityLineT {
	return entityLineT{ID: e.ID, Name: e.Name, EntityType: e.Type, Aliases: e.Aliases, Roles: e.Roles, Articles: e.Articles}
}

// typed writes v as one JSON line with a leading "type" field.
func typed(w *bufio.Writer, typ string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, `{"type":%q`, typ)
	if len(b) > 2 {
		w.WriteByte(',')
	}
	w.Write(b[1:])
	return w.WriteByte('\n')
}
