package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func testPlaces(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("g1", day(10))
	ps := []model.PlaceMention{
		{Start: 0, End: 7, Text: "Kharkiv", PlaceID: "706483", GeonamesID: 706483, Name: "Kharkiv", Lat: 49.98, Lon: 36.25, Country: "UA", Admin1: "07", Precision: "point"},
		{Start: 20, End: 27, Text: "Ukraine", PlaceID: "PCLI:UA", Name: "Ukraine", Lat: 49, Lon: 31, Country: "UA", Precision: "country"},
	}
	w := store.ArticleWrite{Article: a, Places: ps, Story: &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew},
		Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}}
	if _, err := s.PutArticle(ctx, w); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticlePlaces(ctx, a.ID)
	if err != nil || len(got) != 2 || got[0] != (model.PlaceMention{Article: a.ID, Start: 0, End: 7, Text: "Kharkiv", PlaceID: "706483", GeonamesID: 706483,
		Name: "Kharkiv", Lat: 49.98, Lon: 36.25, Country: "UA", Admin1: "07", Precision: "point"}) {
		t.Fatalf("ArticlePlaces = %+v, %v", got, err)
	}
	byStory, err := s.StoryPlaces(ctx, a.Story)
	if err != nil || len(byStory) != 2 || byStory[0].PlaceID != "706483" {
		t.Errorf("StoryPlaces = %+v, %v", byStory, err)
	}
	n := 0
	if err := s.EachPlaceMention(ctx, func(model.PlaceMention) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachPlaceMention saw %d, %v", n, err)
	}

	// A source's places: its latest articles only, and only its own.
	later := article("g2", day(11))
	later.IngestedAt = later.IngestedAt.Add(time.Hour)
	other := article("g3", day(11))
	other.Source = "Other Outlet"
	for _, x := range []*model.Article{later, other} {
		p := model.PlaceMention{Start: 0, End: 5, Text: "Paris", PlaceID: "4717560", GeonamesID: 4717560, Name: "Paris", Lat: 33.66, Lon: -95.56, Country: "US", Admin1: "TX", Precision: "point"}
		again := p
		again.Start, again.End = 30, 35
		if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: x, Places: []model.PlaceMention{p, again}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		source string
		n      int
		want   []string
	}{
		{"Meridian Press", 10, []string{"706483", "PCLI:UA", "4717560"}},
		{"Meridian Press", 1, []string{"4717560"}},
		{"Other Outlet", 10, []string{"4717560"}},
		{"Nobody", 10, nil},
	} {
		got, err := s.SourcePlaces(ctx, tc.source, tc.n)
		var ids []string
		for _, p := range got {
			ids = append(ids, p.PlaceID)
		}
		if err != nil || !sameSet(ids, tc.want) {
			t.Errorf("SourcePlaces(%q, %d) = %v, %v; want %v", tc.source, tc.n, ids, err, tc.want)
		}
		for _, p := range got {
			if p.Article == "" || p.Country == "" || p.Precision == "" {
				t.Errorf("SourcePlaces(%q, %d) gave %+v: want its article, country and precision", tc.source, tc.n, p)
			}
		}
	}
	// The articles SourcePlaces reads, newest first, with or without
	// places.
	bare := article("g4", day(12))
	bare.IngestedAt = later.IngestedAt.Add(-time.Minute) // ingested between g1 and g2
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: bare}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		source string
		n      int
		want   []string
	}{
		{"Meridian Press", 10, []string{later.ID, bare.ID, a.ID}},
		{"Meridian Press", 2, []string{later.ID, bare.ID}},
		{"Other Outlet", 10, []string{other.ID}},
		{"Nobody", 10, nil},
	} {
		got, err := s.SourceLatest(ctx, tc.source, tc.n)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SourceLatest(%q, %d) = %v, %v; want %v", tc.source, tc.n, got, err, tc.want)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func testDates(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("d1", day(10))
	ds := []model.DateMention{{Start: 0, End: 7, Text: "Tuesday", Value: day(3), Precision: "day"}, {Start: 10, End: 24, Text: "two days later", Precision: ""}}
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: a, Dates: ds}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleDates(ctx, a.ID)
	if err != nil || len(got) != 2 || got[0].Value == nil || !got[0].Value.Equal(*day(3)) || got[0].Precision != "day" || got[1].Value != nil || got[1].Text != "two days later" {
		t.Fatalf("ArticleDates = %+v, %v", got, err)
	}
	n := 0
	if err := s.EachDateMention(ctx, func(model.DateMention) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachDateMention saw %d, %v", n, err)
	}
}
