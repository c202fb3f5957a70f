package storetest

import (
	"context"
	"testing"

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
