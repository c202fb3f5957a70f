package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func geoparse(t *testing.T, stdin string, args ...string) (int, []geoRecord, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(append([]string{"geoparse"}, args...), strings.NewReader(stdin), &out, &errb)
	var recs []geoRecord
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r geoRecord
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output is not JSON lines: %v", err)
		}
		recs = append(recs, r)
	}
	return code, recs, errb.String()
}

func TestGeoparseText(t *testing.T) {
	// Offsets count code points: "Zürich" and the dash come before Kyiv.
	text := "Zürich — Shelling hit Kyiv and Kharkiv, Ukraine, on Tuesday."
	code, recs, errs := geoparse(t, text, "-")
	if code != 0 {
		t.Fatalf("geoparse = %d %s", code, errs)
	}
	got := map[string]geoRecord{}
	for _, r := range recs {
		if []rune(text)[r.Start] != []rune(r.Text)[0] || string([]rune(text)[r.Start:r.End]) != r.Text {
			t.Errorf("%q at %d–%d does not match the input", r.Text, r.Start, r.End)
		}
		got[r.Text] = r
	}
	for name, want := range map[string]struct{ country, precision string }{
		"Zürich": {"CH", "point"}, "Kyiv": {"UA", "point"}, "Kharkiv": {"UA", "point"}, "Ukraine": {"UA", "country"},
	} {
		r, ok := got[name]
		if !ok || r.Country != want.country || r.Precision != want.precision || r.Lat == 0 {
			t.Errorf("%s = %+v (found %v); want %s, %s", name, r, ok, want.country, want.precision)
		}
	}
	if r := got["Kyiv"]; r.GeonamesID != 703448 {
		t.Errorf("Kyiv geonames_id = %d, want 703448", r.GeonamesID)
	}
}

func TestGeoparseJSONLSourcePrior(t *testing.T) {
	// A local Texas paper: its earlier lines place it; then a bare "Paris"
	// is Paris, Texas, while the same line from no source is the capital.
	var in strings.Builder
	for i, l := range []string{
		"Deputies in Anderson County, Texas, arrested two men near Palestine, Texas.",
		"The Tyler, Texas, council met in Lamar County, Texas.",
		"Flooding closed roads in Henderson County, Texas, and in Athens, Texas.",
		"Longview and Tyler, Texas, schools reopened.",
		"Marshall, Texas, and Texarkana, Texas, fire crews helped.",
	} {
		json.NewEncoder(&in).Encode(map[string]string{"id": "l" + string(rune('0'+i)), "source": "East Texas Daily", "text": l})
	}
	json.NewEncoder(&in).Encode(map[string]string{"id": "p1", "source": "East Texas Daily", "text": "The parade in Paris drew a crowd."})
	json.NewEncoder(&in).Encode(map[string]string{"id": "p2", "text": "The parade in Paris drew a crowd."})
	in.WriteString("not json\n")
	code, recs, errs := geoparse(t, in.String(), "--jsonl")
	if code != 1 || !strings.Contains(errs, "standard input:8") {
		t.Errorf("a bad line: exit %d, stderr %q; want 1 naming line 8", code, errs)
	}
	paris := map[string]geoRecord{}
	for _, r := range recs {
		if r.ID == "" {
			t.Errorf("record without id: %+v", r)
		}
		if r.Text == "Paris" {
			paris[r.ID] = r
		}
	}
	if r := paris["p1"]; r.Country != "US" || r.Admin1 != "TX" {
		t.Errorf("Paris from the Texas paper = %+v, want Paris, Texas", r)
	}
	if r := paris["p2"]; r.Country != "FR" {
		t.Errorf("Paris from no source = %+v, want Paris, France", r)
	}
}
