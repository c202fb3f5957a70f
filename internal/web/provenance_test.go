package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/demo/demotest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// demoServer serves the demo corpus, ingested into a new store, on
// loopback; it returns the server, the store and the demo's articles by
// file name.
func demoServer(t *testing.T) (*httptest.Server, store.Store, map[string]*model.Article) {
	t.Helper()
	st, by := demotest.Store(t)
	srv, err := New(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st, by
}

func TestProvenancePages(t *testing.T) {
	ts, _, by := demoServer(t)
	wire, beacon, observer := by["a01-meridian-ferry.html"], by["a05-beacon-ferry.txt"], by["a03-observer-ferry.html"]

	_, page := get(t, ts.URL+"/articles/"+wire.ID)
	for _, want := range []string{"Copies of this", "Lineage of", "5 articles", "rewrite", "translation", "near-duplicate", "credit: Daily Beacon credits Meridian Wire", "/compare/" + wire.ID + "/" + beacon.ID} {
		if !strings.Contains(page, want) {
			t.Errorf("wire article page lacks %q", want)
		}
	}
	_, page = get(t, ts.URL+"/articles/"+beacon.ID)
	if !strings.Contains(page, "This copies") {
		t.Errorf("Beacon page does not say what it copies")
	}
	_, page = get(t, ts.URL+"/articles/"+observer.ID)
	if !strings.Contains(page, "independent source") {
		t.Errorf("independent article not shown as such")
	}
	_, page = get(t, ts.URL+"/articles/"+by["b03-signal-wildfire.txt"].ID)
	if !strings.Contains(page, "shares only passages") || !strings.Contains(page, "partial") || strings.Contains(page, "No copies found") {
		t.Errorf("a partial reuser's page does not say it is its own source with shared passages")
	}

	resp, page := get(t, ts.URL+"/compare/"+wire.ID+"/"+beacon.ID)
	if resp.StatusCode != 200 || strings.Count(page, "<mark") < 4 || !strings.Contains(page, "adds") {
		t.Errorf("compare page: status %d, %d marks", resp.StatusCode, strings.Count(page, "<mark"))
	}
	if !strings.Contains(page, "<mark title=\"similarity") || !strings.Contains(page, "Terrified holidaymaker") {
		t.Errorf("compare page lacks highlighted passages or the Beacon's own material")
	}
	// An unlinked pair is compared on the fly, and says it is not a copy.
	_, page = get(t, ts.URL+"/compare/"+wire.ID+"/"+observer.ID)
	if !strings.Contains(page, "Not copies of each other") {
		t.Errorf("unlinked compare page does not say so")
	}

	_, page = get(t, ts.URL+"/lineages/"+wire.Lineage)
	if strings.Count(page, "<strong>origin</strong>") != 1 || strings.Count(page, ">copy<") != 4 {
		t.Errorf("lineage page: want 1 origin and 4 copies")
	}
	if resp, _ := get(t, ts.URL+"/lineages/nope"); resp.StatusCode != 404 {
		t.Errorf("missing lineage = %d; want 404", resp.StatusCode)
	}
}

func TestProvenanceAPI(t *testing.T) {
	ts, _, by := demoServer(t)
	wire := by["a01-meridian-ferry.html"]
	_, body := get(t, ts.URL+"/api/articles/"+wire.ID+"/derivations")
	var ds struct {
		Lineage     string
		Derivations []struct {
			From, To, Kind string
			Directed       bool
			Passages       []model.Passage
		}
	}
	if err := json.Unmarshal([]byte(body), &ds); err != nil || len(ds.Derivations) != 4 {
		t.Fatalf("derivations = %s (%v)", body, err)
	}
	for _, d := range ds.Derivations {
		if d.From != wire.ID || !d.Directed || len(d.Passages) == 0 {
			t.Errorf("derivation %+v: want directed from the wire, with passages", d)
		}
	}
	_, body = get(t, ts.URL+"/api/lineages/"+wire.Lineage)
	var l struct {
		Sources  []string
		Articles []struct{ ID string }
	}
	json.Unmarshal([]byte(body), &l)
	if len(l.Articles) != 5 || len(l.Sources) != 5 {
		t.Errorf("lineage API: %d articles, %d sources; want 5, 5", len(l.Articles), len(l.Sources))
	}
	_, body = get(t, ts.URL+"/api/compare/"+wire.ID+"/"+by["a07-oost-ferry-nl.txt"].ID)
	if !strings.Contains(body, `"kind": "translation"`) || !strings.Contains(body, `"stored": true`) {
		t.Errorf("compare API = %.300s", body)
	}
}
