package storetest

import (
	"context"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func testClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("k1", day(10))
	lo := 12.0
	cs := []model.Claim{
		{ID: a.ID + "-1", Article: a.ID, Sentence: "At least 12 people were killed.", Start: 0, End: 31, Quantity: "at least 12",
			Kind: model.ClaimKilled, Noun: "people", Value: 12, Low: &lo, Place: "Kalos", When: day(9), Attribution: "police"},
		{ID: a.ID + "-2", Article: a.ID, Sentence: "7% rise.", Start: 32, End: 40, Quantity: "7", Kind: model.ClaimPercent, Noun: "%", Value: 7, Low: &lo, High: &lo},
	}
	w := store.ArticleWrite{Article: a, Claims: cs, Story: &store.StoryWrite{Assignment: model.Assignment{Via: model.ViaNew},
		Vector: map[string]float64{"kalos": 1}, Terms: []string{"kalos"}}}
	if _, err := s.PutArticle(ctx, w); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleClaims(ctx, a.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("ArticleClaims = %+v, %v", got, err)
	}
	c := got[0]
	if c.ID != cs[0].ID || c.Quantity != "at least 12" || c.Kind != model.ClaimKilled || c.Noun != "people" || c.Value != 12 ||
		c.Low == nil || *c.Low != 12 || c.High != nil || c.Place != "Kalos" || c.When == nil || !c.When.Equal(*day(9)) ||
		c.Attribution != "police" || c.Start != 0 || c.End != 31 || c.Sentence != cs[0].Sentence {
		t.Errorf("claim round trip = %+v", c)
	}
	if got[1].When != nil || got[1].High == nil {
		t.Errorf("second claim = %+v", got[1])
	}
	byStory, err := s.StoryClaims(ctx, a.Story)
	if err != nil || len(byStory) != 2 {
		t.Errorf("StoryClaims = %d, %v", len(byStory), err)
	}
	n := 0
	if err := s.EachClaim(ctx, func(model.Claim) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachClaim saw %d, %v", n, err)
	}
	// Re-ingesting the article stores nothing twice.
	if ins, err := s.PutArticle(ctx, w); err != nil || ins {
		t.Errorf("second put = %v, %v", ins, err)
	}
	if got, _ := s.ArticleClaims(ctx, a.ID); len(got) != 2 {
		t.Errorf("%d claims after re-ingest", len(got))
	}
}
