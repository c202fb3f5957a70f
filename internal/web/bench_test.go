package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

// BenchmarkStoryPage renders the page of a story of 500 articles (in 100
// lineages, each article with claims, places and names) in a database of
// CROSSCHECK_BENCH_ARTICLES articles (default 10,000; docs/PERFORMANCE.md
// has 100,000), against the page of a 5-article story in the same
// database: ms/op of each and their ratio.
func BenchmarkStoryPage(b *testing.B) {
	total := 10000
	if s := os.Getenv("CROSSCHECK_BENCH_ARTICLES"); s != "" {
		total, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	put := func(i int, story int64, origin string) *model.Article {
		pub := day.Add(time.Duration(i) * time.Minute)
		key := fmt.Sprintf("bench:%d", i)
		a := &model.Article{ID: model.ArticleID(key), Key: key, Source: fmt.Sprintf("Outlet %d", i%40), Title: fmt.Sprintf("Report %d on the flood", i),
			Published: &pub, Language: "en", IngestedAt: pub,
			Text: fmt.Sprintf("Floods in Kharkiv killed %d people on Tuesday, Governor Oleh Syniehubov said.\n\nRescuers saved %d residents near Izium.", 10+i%7, 50+i%11)}
		w := store.ArticleWrite{Article: a, Story: &store.StoryWrite{Assignment: model.Assignment{Story: story, Via: model.ViaSimilarity, Score: 0.5},
			Vector: map[string]float64{"flood": 1, fmt.Sprintf("t%d", i%97): 0.5}, Terms: []string{"flood"}}}
		if story == 0 {
			w.Story.Assignment.Via = model.ViaNew
		}
		if origin != "" {
			w.Derivations = []model.Derivation{{From: origin, To: a.ID, Kind: model.KindDuplicate, Score: 0.99}}
		}
		w.Claims = []model.Claim{
			{ID: a.ID + "-1", Article: a.ID, Sentence: "Floods in Kharkiv killed people on Tuesday.", Start: 0, End: 60, Quantity: fmt.Sprint(10 + i%7), Kind: model.ClaimKilled, Value: float64(10 + i%7)},
			{ID: a.ID + "-2", Article: a.ID, Sentence: "Rescuers saved residents near Izium.", Start: 62, End: 110, Quantity: fmt.Sprint(50 + i%11), Kind: model.ClaimRescued, Value: float64(50 + i%11)},
		}
		w.Places = []model.PlaceMention{{Article: a.ID, Start: 10, End: 17, Text: "Kharkiv", PlaceID: "706483", GeonamesID: 706483, Name: "Kharkiv", Lat: 49.98, Lon: 36.25, Country: "UA", Admin1: "07", Precision: "point"}}
		w.Mentions = []model.NameMention{{Name: "Oleh Syniehubov", Role: "Governor", Type: model.EntityPerson, Start: 40, End: 55, Key: "p:o snhbv"}}
		if _, err := st.PutArticle(ctx, w); err != nil {
			b.Fatal(err)
		}
		return a
	}
	// The big story first, then the small one, then the rest of the corpus.
	first := put(0, 0, "")
	big := first.Story
	var origin *model.Article
	for i := 1; i < 500; i++ {
		o := ""
		if i%5 != 0 && origin != nil {
			o = origin.ID // four copies for each original: 100 lineages
		}
		a := put(i, big, o)
		if i%5 == 0 {
			origin = a
		}
	}
	small := put(500, 0, "").Story
	for i := 501; i < 505; i++ {
		put(i, small, "")
	}
	for i := 505; i < total; i++ {
		put(i, 0, "")
	}
	srv, err := New(st, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	render := func(story int64) time.Duration {
		start := time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/stories/%d", story), nil))
		if rec.Code != 200 {
			b.Fatalf("story %d: %d", story, rec.Code)
		}
		return time.Since(start)
	}
	render(big)
	render(small)
	var bigT, smallT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bigT += render(big)
		smallT += render(small)
	}
	b.StopTimer()
	b.ReportMetric(float64(bigT.Microseconds())/1000/float64(b.N), "ms-500-article-story")
	b.ReportMetric(float64(smallT.Microseconds())/1000/float64(b.N), "ms-5-article-story")
	b.ReportMetric(float64(bigT)/float64(smallT), "ratio")
	b.ReportMetric(float64(total), "articles-in-db")
}
