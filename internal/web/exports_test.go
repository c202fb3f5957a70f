package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestListExports: every list's JSON twin also answers as CSV and JSONL
// (and places as GeoJSON), with the same records.
func TestListExports(t *testing.T) {
	ts, _, _ := demoServer(t)
	for _, tc := range []struct {
		path, header string
		min          int
	}{
		{"/api/stories", "id,title,articles,lineages", 4},
		{"/api/conflicts", "id,story,kind,noun,status", 1},
		{"/api/sources", "name,role,feed,articles", 5},
		{"/api/entities", "id,name,entity_type,articles", 5},
		{"/api/places", "id,name,geonames_id,lat,lon", 3},
		{"/api/articles", "id,source,url,title,published", 10},
		{"/api/search?q=ferry", "story,story_title,article", 3},
		{"/api/rejections", "input,reason,at", 0},
	} {
		sep := "?"
		if strings.Contains(tc.path, "?") {
			sep = "&"
		}
		resp, body := get(t, ts.URL+tc.path+sep+"format=csv")
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if resp.StatusCode != 200 || err != nil || len(rows) < tc.min+1 || !strings.HasPrefix(strings.Join(rows[0], ","), tc.header) ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("%s CSV: %d, %d rows, header %v, %v", tc.path, resp.StatusCode, len(rows), rows[:min(1, len(rows))], err)
			continue
		}
		resp, body = get(t, ts.URL+tc.path+sep+"format=jsonl")
		n := 0
		sc := bufio.NewScanner(strings.NewReader(body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var v map[string]any
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Errorf("%s JSONL line %d: %v", tc.path, n+1, err)
			}
			n++
		}
		if resp.StatusCode != 200 || n != len(rows)-1 {
			t.Errorf("%s JSONL: %d records; CSV had %d", tc.path, n, len(rows)-1)
		}
	}
	resp, body := get(t, ts.URL+"/api/places?format=geojson")
	var fc struct {
		Type     string
		Features []struct {
			Geometry struct{ Coordinates []float64 }
		}
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) < 3 || len(fc.Features[0].Geometry.Coordinates) != 2 {
		t.Errorf("places GeoJSON: %d %v %+v", resp.StatusCode, err, fc.Type)
	}
	for _, bad := range []string{"/api/stories?format=xml", "/api/sources?format=geojson"} {
		if resp, _ := get(t, ts.URL+bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d; want 400", bad, resp.StatusCode)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1 (555) 0100": "'+1 (555) 0100", "-95.56": "-95.56", "-cmd|' /C calc'!A0": "'-cmd|' /C calc'!A0", "@SUM": "'@SUM", "Kyiv": "Kyiv", "": ""} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q; want %q", in, got, want)
		}
	}
}
