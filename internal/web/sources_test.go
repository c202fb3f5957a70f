package web

import (
	"context"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// TestSourcesShowFeedTrouble: an outlet whose watched feed keeps failing
// shows the error, the failures in a row and the next poll, in the page
// and in its JSON.
func TestSourcesShowFeedTrouble(t *testing.T) {
	ctx := context.Background()
	ts, st, _ := demoServer(t)
	var before struct {
		Sources []sourceRow `json:"sources"`
	}
	_, body := get(t, ts.URL+"/api/sources")
	if err := json.Unmarshal([]byte(body), &before); err != nil || len(before.Sources) == 0 {
		t.Fatalf("sources: %v %s", err, body)
	}
	name := before.Sources[0].Name
	id, _, err := st.AddSource(ctx, &model.Source{Name: name, FeedURL: "https://desk.example/feed", Role: model.RoleWire, Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	for i, next := range []time.Time{at.Add(time.Hour), at.Add(3 * time.Hour)} {
		if err := st.PolledSource(ctx, id, "", "", at.Add(time.Duration(i)*time.Hour), next, "HTTP 503 Service Unavailable"); err != nil {
			t.Fatal(err)
		}
	}
	var after struct {
		Sources []sourceRow `json:"sources"`
	}
	_, body = get(t, ts.URL+"/api/sources")
	if err := json.Unmarshal([]byte(body), &after); err != nil {
		t.Fatal(err)
	}
	var row *sourceRow
	for i := range after.Sources {
		if after.Sources[i].Name == name {
			row = &after.Sources[i]
		}
	}
	if row == nil || row.Feed != "https://desk.example/feed" || row.Role != model.RoleWire || row.Failures != 2 ||
		row.NextPoll == nil || *row.NextPoll != "2026-03-14T15:00:00Z" || !strings.Contains(row.LastError, "503") {
		t.Fatalf("watched outlet in the API = %+v", row)
	}
	_, page := get(t, ts.URL+"/sources")
	want := "HTTP 503 Service Unavailable (2 failed polls in a row); next poll 2026-03-14T15:00:00Z"
	if !strings.Contains(html.UnescapeString(page), `title="`+want+`">feed error`) {
		t.Errorf("sources page lacks the feed error %q", want)
	}
}
