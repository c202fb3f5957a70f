package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// run runs the CLI in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

type exported struct {
	Version  int `json:"version"`
	Articles []struct {
		ID, Source, URL, Path, Title, Language, Text string
		Published                                    *string
		Removed                                      []struct {
			Line   int
			Reason string
		}
	} `json:"articles"`
	Rejections []struct{ Input, Reason string } `json:"rejections"`
}

func TestIngestSeedsExport(t *testing.T) {
	seeds := "../../../shared/corpus/seeds"
	if _, err := os.Stat(seeds); err != nil {
		t.Skip("../shared/corpus/seeds not present")
	}
	db := filepath.Join(t.TempDir(), "c.db")
	if code, out, errs := run(t, "ingest", "--db", db, seeds); code != 0 || !strings.Contains(out, "ingested 5, skipped 0 (already present), rejected 0") {
		t.Fatalf("ingest = %d\n%s%s", code, out, errs)
	}
	code, out, _ := run(t, "export", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("export = %d", code)
	}
	var e exported
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if len(e.Articles) != 5 {
		t.Fatalf("exported %d articles; want 5", len(e.Articles))
	}
	chrome := []string{"Comments are closed", "Sign up to read", "Leave a Reply", "Akismet", "ttn-42", "(via REUTERS)", "Already a member", "Download the app", "Get all your news", "© AFP", "REUTERS/"}
	for _, a := range e.Articles {
		for _, c := range chrome {
			if strings.Contains(a.Text, c) {
				t.Errorf("%s keeps chrome %q", filepath.Base(a.Path), c)
			}
		}
		if a.Language != "en" || a.Title == "" || a.ID == "" {
			t.Errorf("%s: language %q, title %q, id %q", a.Path, a.Language, a.Title, a.ID)
		}
	}
	// Re-ingest: nothing new, exit 0.
	if code, out, _ := run(t, "ingest", "--db", db, seeds); code != 0 || !strings.Contains(out, "ingested 0, skipped 5") {
		t.Errorf("re-ingest = %d: %s", code, out)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("A headline here\n\nThe council voted on Thursday to repair the flood barriers before winter."), 0o644)
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"all ingested", []string{"ingest", "--db", db, good}, 0, ""},
		{"some rejected", []string{"ingest", "--db", db, good, empty}, 1, "rejected " + empty + ": empty file"},
		{"unknown flag", []string{"ingest", "--nope", good}, 2, "unknown flag"},
		{"no inputs", []string{"ingest", "--db", db}, 2, "requires at least 1 arg"},
		{"bad published", []string{"ingest", "--db", db, "--published", "soon", good}, 2, "--published"},
		{"bad export format", []string{"export", "--db", db, "--format", "xml"}, 2, "want one of json, jsonl, csv"},
		{"public bind refused", []string{"serve", "--db", db, "--addr", "0.0.0.0:0"}, 2, "not a loopback address"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad db path", []string{"export", "--db", filepath.Join(dir, "no/such/dir/x.db")}, 2, "open sqlite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := run(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.stderr) {
				t.Errorf("crosscheck %v = %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.stderr)
			}
		})
	}
}

func TestExtractCommand(t *testing.T) {
	code, out, errs := run(t, "extract", "../demo/corpus/a01-meridian-ferry.html", "../demo/corpus/a07-oost-ferry-nl.txt", "nope.html")
	if code != 1 || !strings.Contains(errs, "rejected nope.html: no such file") {
		t.Errorf("extract = %d, stderr %q; want 1 and the missing file named", code, errs)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		recs = append(recs, m)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records; want 2", len(recs))
	}
	for _, k := range []string{"path", "title", "text", "published", "author", "site", "language"} {
		if _, ok := recs[0][k]; !ok {
			t.Errorf("record lacks %q", k)
		}
	}
	if recs[0]["site"] != "Meridian Wire" || recs[1]["language"] != "nl" || recs[0]["published"] != "2026-03-14T08:40:00Z" {
		t.Errorf("records = %v", recs)
	}
}

func TestDemoCorpus(t *testing.T) {
	code, out, errs := run(t, "demo", "--no-serve")
	if code != 0 || !strings.Contains(out, "ingested 15, skipped 0 (already present), rejected 0") {
		t.Errorf("demo = %d: %s %s", code, out, errs)
	}
}

func TestExportFormats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	if code, _, errs := run(t, "ingest", "-q", "--db", db, "../demo/corpus"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	_, js, _ := run(t, "export", "--db", db, "--format", "json")
	var e exported
	json.Unmarshal([]byte(js), &e)
	_, jl, _ := run(t, "export", "--db", db, "--format", "jsonl")
	_, csvOut, _ := run(t, "export", "--db", db, "--format", "csv")
	if n := strings.Count(jl, `"type":"article"`); n != 15 || len(e.Articles) != 15 {
		t.Errorf("json has %d articles, jsonl %d; want 15 each", len(e.Articles), n)
	}
	if !strings.HasPrefix(csvOut, "id,source,url,path,format,title,author,site,published,language,removed_lines,text,lineage,story\n") {
		t.Errorf("csv header = %.120q", csvOut)
	}
	sources := map[string]bool{}
	for _, a := range e.Articles {
		sources[a.Source] = true
	}
	if len(sources) < 6 {
		t.Errorf("demo has %d outlets; want at least 6", len(sources))
	}
	// The public field names of the lineage arrays (docs/export.md).
	var raw struct {
		Articles    []map[string]any `json:"articles"`
		Derivations []map[string]any `json:"derivations"`
		Lineages    []map[string]any `json:"lineages"`
		Claims      []map[string]any `json:"claims"`
		Entities    []map[string]any `json:"entities"`
		Places      []map[string]any `json:"places"`
		Dates       []map[string]any `json:"dates"`
		ClaimGroups []map[string]any `json:"claim_groups"`
		Stories     []struct {
			ID        int64    `json:"id"`
			Title     string   `json:"title"`
			Summary   string   `json:"summary"`
			Articles  []string `json:"articles"`
			FirstSeen string   `json:"first_seen"`
			LastSeen  string   `json:"last_seen"`
			Lineages  []string `json:"lineages"`
		} `json:"stories"`
	}
	json.Unmarshal([]byte(js), &raw)
	// The demo tells four events: the ferry (8 articles in 4 lineages:
	// wire copy, its copies, the independent toll report, the Aegean
	// Observer and the Ayvalik piece), the bus crash, the wildfire and the
	// port strike.
	if len(raw.Stories) != 4 {
		t.Fatalf("demo has %d stories; want 4: %+v", len(raw.Stories), raw.Stories)
	}
	resolved := 0
	for _, d := range raw.Dates {
		for _, k := range []string{"article", "text", "start", "end", "value", "precision"} {
			if _, ok := d[k]; !ok {
				t.Fatalf("date lacks %q: %v", k, d)
			}
		}
		if d["value"] != nil {
			resolved++
		}
	}
	if resolved == 0 {
		t.Errorf("demo export resolves no time expressions: %v", raw.Dates)
	}
	greece := false
	for _, p := range raw.Places {
		for _, k := range []string{"id", "name", "geonames_id", "lat", "lon", "country", "admin1", "precision", "mentions"} {
			if _, ok := p[k]; !ok {
				t.Fatalf("place lacks %q: %v", k, p)
			}
		}
		greece = greece || p["name"] == "Mytilene" && p["country"] == "GR"
	}
	if !greece {
		t.Errorf("demo places lack Mytilene, Greece: %v", raw.Places)
	}
	_, gj, _ := run(t, "export", "--db", db, "--format", "geojson")
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(gj), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != len(raw.Places) ||
		fc.Features[0].Geometry.Type != "Point" || len(fc.Features[0].Geometry.Coordinates) != 2 {
		t.Errorf("geojson export = %.200s (%v)", gj, err)
	}
	if len(raw.Entities) == 0 {
		t.Errorf("demo export has no entities")
	}
	for _, en := range raw.Entities {
		for _, k := range []string{"id", "name", "type", "aliases", "articles"} {
			if _, ok := en[k]; !ok {
				t.Fatalf("entity lacks %q: %v", k, en)
			}
		}
	}
	// Claims and claim groups with their public fields (docs/export.md).
	for _, c := range raw.Claims {
		for _, k := range []string{"id", "story", "article", "sentence", "kind", "noun", "value", "low", "high", "place", "when", "attribution"} {
			if _, ok := c[k]; !ok {
				t.Fatalf("claim lacks %q: %v", k, c)
			}
		}
	}
	statuses := map[any]bool{}
	for _, g := range raw.ClaimGroups {
		for _, k := range []string{"id", "story", "claims", "status", "independent_sources", "values"} {
			if _, ok := g[k]; !ok {
				t.Fatalf("claim group lacks %q: %v", k, g)
			}
		}
		statuses[g["status"]] = true
	}
	for _, st := range []string{"corroborated", "single-source", "conflicting", "updated"} {
		if !statuses[st] {
			t.Errorf("demo export has no %s claim group (has %v)", st, statuses)
		}
	}
	if n := strings.Count(jl, `"type":"entity"`); n != len(raw.Entities) || !strings.Contains(jl, `"entity_type":"person"`) {
		t.Errorf("jsonl has %d entity records (json %d), or lacks their entity_type", n, len(raw.Entities))
	}
	if n := strings.Count(jl, `"type":"claim_group"`); n != len(raw.ClaimGroups) || n == 0 {
		t.Errorf("jsonl has %d claim groups, json %d", n, len(raw.ClaimGroups))
	}
	storyOf := map[string]int64{}
	for _, st := range raw.Stories {
		if st.Title == "" || st.Summary == "" || st.FirstSeen == "" || st.LastSeen < st.FirstSeen || len(st.Lineages) == 0 || len(st.Lineages) > len(st.Articles) {
			t.Errorf("story %+v lacks a title, summary or span, or its lineages do not group its articles", st)
		}
		for _, id := range st.Articles {
			storyOf[id] = st.ID
		}
	}
	sizes := map[int]bool{}
	for _, st := range raw.Stories {
		sizes[len(st.Articles)] = true
	}
	if !sizes[8] || !sizes[3] || !sizes[1] {
		t.Errorf("story sizes %v; want 8 (ferry), 3 (wildfire, strike) and 1 (bus crash)", sizes)
	}
	for _, a := range raw.Articles {
		if id, _ := a["story"].(float64); int64(id) != storyOf[a["id"].(string)] || id == 0 {
			t.Errorf("article %v has story %v; the stories array puts it in %d", a["id"], a["story"], storyOf[a["id"].(string)])
		}
	}
	kinds := map[any]bool{}
	for _, d := range raw.Derivations {
		for _, k := range []string{"from", "to", "kind", "score", "passages", "directed", "evidence"} {
			if _, ok := d[k]; !ok {
				t.Errorf("derivation lacks %q: %v", k, d)
			}
		}
		kinds[d["kind"]] = true
	}
	if len(kinds) != 5 {
		t.Errorf("demo export shows kinds %v; want all five", kinds)
	}
	if _, ok := raw.Articles[0]["lineage"]; !ok || len(raw.Lineages) == 0 || len(raw.Lineages) >= len(raw.Articles) {
		t.Errorf("articles lack lineage, or lineages (%d) do not group copies", len(raw.Lineages))
	}
}

func countRows(t *testing.T, db string) int {
	t.Helper()
	sdb := openSQLite(t, db)
	var n int
	if err := sdb.QueryRow(`SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMarkOverrides(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	if code, _, errs := run(t, "ingest", "-q", "--db", db, "../demo/corpus"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	state := func() (map[string]string, exported2) {
		_, out, _ := run(t, "export", "--db", db)
		var e exported2
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, a := range e.Articles {
			ids[filepath.Base(a.Path)] = a.ID
		}
		return ids, e
	}
	ids, before := state()
	wire, signal, observer := ids["b01-meridian-wildfire.html"], ids["b03-signal-wildfire.txt"], ids["a03-observer-ferry.html"]
	ferry := ids["a01-meridian-ferry.html"]
	if !before.linked(wire, signal) {
		t.Fatalf("demo lacks the wire → Signal partial link")
	}
	if code, out, errs := run(t, "mark", "not-copy", "--db", db, "--why", "own reporting", "--by", "ana", wire, signal); code != 0 {
		t.Fatalf("mark not-copy = %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "mark", "copy", "--db", db, "--by", "ana", ferry, observer); code != 0 {
		t.Fatalf("mark copy: %s", errs)
	}
	// A later ingest run keeps both decisions.
	run(t, "ingest", "-q", "--db", db, "../demo/corpus")
	_, after := state()
	if after.linked(wire, signal) {
		t.Errorf("not-copy link still exported")
	}
	if !after.linked(ferry, observer) || after.lineage(observer) != after.lineage(ferry) {
		t.Errorf("copy-of not applied: linked %v, lineages %s / %s", after.linked(ferry, observer), after.lineage(observer), after.lineage(ferry))
	}
	if len(after.Overrides) != 2 || after.Overrides[0].Who != "ana" {
		t.Errorf("overrides = %+v", after.Overrides)
	}
	for _, bad := range [][]string{{"mark", "copy", "--db", db, ferry, ferry}, {"mark", "copy", "--db", db, ferry, "nope"}, {"mark", "not-copy", "--db", db, ferry}} {
		if code, _, _ := run(t, bad...); code != 2 {
			t.Errorf("crosscheck %v = %d; want 2", bad, code)
		}
	}
}

type exported2 struct {
	Articles []struct {
		ID, Path, Lineage string
	} `json:"articles"`
	Derivations []struct {
		From, To, Kind string
		Override       bool
	} `json:"derivations"`
	Overrides []struct{ A, B, Verdict, Who, Why string } `json:"overrides"`
}

func (e exported2) linked(a, b string) bool {
	for _, d := range e.Derivations {
		if d.From == a && d.To == b || d.From == b && d.To == a {
			return true
		}
	}
	return false
}

func (e exported2) lineage(id string) string {
	for _, a := range e.Articles {
		if a.ID == id {
			return a.Lineage
		}
	}
	return ""
}

// TestStoryEntityGeoCommands runs the analyst commands on the demo: list
// and show stories, split one, show and alias an entity, geoparse text.
func TestStoryEntityGeoCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if code, _, errs := run(t, "ingest", "-q", "--db", db, "../demo/corpus"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	code, out, _ := run(t, "stories", "--db", db, "--order", "sources")
	if code != 0 || !strings.Contains(out, "Ferry capsizes off Lesbos") {
		t.Fatalf("stories = %d %s", code, out)
	}
	code, out, _ = run(t, "story", "show", "1", "--db", db)
	if code != 0 || !strings.Contains(out, "lineage 1:") || !strings.Contains(out, "CONFLICTING") {
		t.Errorf("story show = %d %s", code, out)
	}
	if code, _, errs := run(t, "story", "show", "x", "--db", db); code != 2 || !strings.Contains(errs, "not a story ID") {
		t.Errorf("story show x = %d %s", code, errs)
	}
	if code, _, errs := run(t, "story", "merge", "1", "1", "--db", db); code == 0 || !strings.Contains(errs, "itself") {
		t.Errorf("merge into itself = %d %s", code, errs)
	}
	code, out, _ = run(t, "geoparse", "-")
	if code != 0 {
		t.Errorf("geoparse of empty input = %d", code)
	}
	if code, _, errs := run(t, "entity", "show", "99999", "--db", db); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("entity show 99999 = %d %s", code, errs)
	}
	code, out, _ = run(t, "entity", "alias", "The Courier", "--to", "1", "--db", db)
	if code != 0 || !strings.Contains(out, "is now entity 1") {
		t.Errorf("entity alias = %d %s", code, out)
	}
}
