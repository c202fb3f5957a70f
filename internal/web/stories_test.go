package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

func TestStoryPages(t *testing.T) {
	ts, st, by := demoServer(t)
	wire, observer, bus := by["a01-meridian-ferry.html"], by["a03-observer-ferry.html"], by["a08-civic-ledger.jsonl#2"]
	if wire.Story == 0 || wire.Story != observer.Story || bus == nil || bus.Story == wire.Story {
		t.Fatalf("demo stories: wire %d, observer %d, bus %v", wire.Story, observer.Story, bus)
	}
	ferry := fmt.Sprintf("/stories/%d", wire.Story)

	// Home page: the ferry story has the most independent reports.
	_, page := get(t, ts.URL+"/?order=sources")
	if i, j := strings.Index(page, ferry), strings.Index(page, fmt.Sprintf("/stories/%d", bus.Story)); i < 0 || j < 0 || i > j {
		t.Errorf("ordered by sources, the ferry story (%d) should come before the bus crash (%d)", i, j)
	}

	// Story page: articles grouped by lineage, the wire copy's copies
	// together, the Observer on its own, each with why it is there.
	_, page = get(t, ts.URL+ferry)
	// The coverage strip: the wire first and copied; the aggregators copies.
	if i, j := strings.Index(page, "<strong>Meridian Wire</strong> <small>14 Mar 2026 08:40 · first · origin"), strings.Index(page, "<strong>NewsStack</strong>"); i < 0 || j < i ||
		!strings.Contains(page[j:], "1 copy") {
		t.Errorf("coverage strip: wire at %d (first, origin), NewsStack at %d (a copy)", i, j)
	}
	for _, want := range []string{"4 independent reports", "8 articles", "Report 1", "Report 4", "copy link with", "similarity", "Aegean Observer", "Summary"} {
		if !strings.Contains(page, want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	// The fact sheet: the toll conflict first, the missing count revised
	// by the wire, the rescue count corroborated, the passenger count one
	// source however many copies, and what the Observer alone adds.
	for _, want := range []string{"Facts", "badge-conflicting", "badge-updated", "badge-corroborated", "badge-single-source",
		"Seventeen", "What each report alone adds", "#claim-"} {
		if !strings.Contains(page, want) {
			t.Errorf("fact sheet lacks %q", want)
		}
	}
	if strings.Index(page, "badge-conflicting") > strings.Index(page, "badge-corroborated") {
		t.Errorf("conflicts are not listed first")
	}
	_, page = get(t, ts.URL+"/conflicts")
	if !strings.Contains(page, ferry) || !strings.Contains(page, "Aegean Observer") || strings.Contains(page, fmt.Sprintf("/stories/%d", bus.Story)) {
		t.Errorf("conflicts page should list the ferry toll and not the bus crash")
	}
	_, page = get(t, ts.URL+"/articles/"+observer.ID)
	if !strings.Contains(page, "Counts stated") || !strings.Contains(page, `id="claim-`+observer.ID+`-1"`) {
		t.Errorf("article page does not list its claims with anchors")
	}
	// Places, resolved: the ferry story is in Greece, on its map and on
	// the global one.
	_, page = get(t, ts.URL+ferry)
	for _, want := range []string{"Places", "Mytilene", "GR", "GeoNames", "<svg viewBox=", "<circle", "world.svg", "Timeline", "Sat 14 Mar 2026", "Sun 15 Mar 2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("story page lacks %q among its places", want)
		}
	}
	_, page = get(t, ts.URL+"/map")
	if !strings.Contains(page, "<svg") || !strings.Contains(page, `<a href="`+ferry+`">`) || !strings.Contains(page, "Mytilene") {
		t.Errorf("global map lacks the ferry story's places")
	}
	// Names: the spokesman is one person across the wire, its copies and
	// its translation, with his role, and his page lists his claims.
	es, err := st.StoryEntities(context.Background(), wire.Story)
	if err != nil {
		t.Fatal(err)
	}
	var alexiou *model.Entity
	for _, e := range es {
		if e.Name == "Nikos Alexiou" {
			alexiou = e
		}
	}
	if alexiou == nil || alexiou.Type != model.EntityPerson || len(alexiou.Articles) < 5 || len(alexiou.Roles) == 0 {
		t.Fatalf("Nikos Alexiou = %+v", alexiou)
	}
	_, page = get(t, ts.URL+ferry)
	if !strings.Contains(page, fmt.Sprintf(`/entities/%d`, alexiou.ID)) {
		t.Errorf("story page does not link Nikos Alexiou")
	}
	_, page = get(t, ts.URL+fmt.Sprintf("/entities/%d", alexiou.ID))
	for _, want := range []string{"Nikos Alexiou", "person", "coast guard spokesman", "alexiou", "#claim-", "71"} {
		if !strings.Contains(page, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	if r, _ := get(t, ts.URL+"/entities/99999"); r.StatusCode != 404 {
		t.Errorf("unknown entity = %d", r.StatusCode)
	}
	resp, body := get(t, ts.URL+"/api"+ferry)
	var api struct {
		Story struct {
			ID       int64    `json:"id"`
			Title    string   `json:"title"`
			Articles []string `json:"articles"`
			Lineages []string `json:"lineages"`
		} `json:"story"`
		Groups []struct {
			Kind   string `json:"kind"`
			Status string `json:"status"`
		} `json:"claim_groups"`
		Members [][]struct {
			ID         string `json:"id"`
			Assignment struct {
				Via string `json:"via"`
			} `json:"assignment"`
		} `json:"members"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api%s = %d %s", ferry, resp.StatusCode, body)
	}
	if len(api.Groups) == 0 || api.Groups[0].Kind != model.ClaimKilled || api.Groups[0].Status != "conflicting" {
		t.Errorf("api claim groups = %+v; want the killed conflict first", api.Groups)
	}
	if len(api.Story.Articles) != 8 || len(api.Story.Lineages) != 4 || len(api.Members) != 4 {
		t.Errorf("api story = %+v", api.Story)
	}
	for _, g := range api.Members {
		for i, m := range g {
			if i > 0 && m.Assignment.Via == model.ViaSimilarity {
				t.Errorf("copy %s placed by similarity, not lineage", m.ID)
			}
		}
	}

	// A merged story's page leads to the story that absorbed it.
	if err := st.CorrectStories(context.Background(), &model.StoryCorrection{Action: model.CorrectMerge, Story: wire.Story, Other: bus.Story, Who: "test"}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	younger := max(wire.Story, bus.Story)
	r, err := client.Get(ts.URL + fmt.Sprintf("/stories/%d", younger))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/stories/%d", min(wire.Story, bus.Story)) {
		t.Errorf("merged story page = %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	_, page = get(t, ts.URL+fmt.Sprintf("/stories/%d", min(wire.Story, bus.Story)))
	if !strings.Contains(page, "Corrections") || !strings.Contains(page, "merge by test") {
		t.Errorf("surviving story does not show the merge")
	}
}
