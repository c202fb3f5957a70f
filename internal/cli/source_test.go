package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourcesAndWatch: add a page (its feed found), import an OPML list,
// list, watch once, watch again (nothing new), remove.
func TestSourcesAndWatch(t *testing.T) {
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Home</body></html>`)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Harbour Gazette</title><link>%[1]s/</link>
<item><title>Storm</title><link>%[1]s/storm</link><guid>1</guid><pubDate>Sat, 14 Mar 2026 08:00:00 GMT</pubDate></item></channel></rss>`, srvURL)
	})
	mux.HandleFunc("/storm", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Storm closes the harbour</title></head><body><article><h1>Storm closes the harbour</h1>
<p>A winter storm closed the harbour on Saturday, the port authority said, and 40 fishing boats stayed at their moorings.</p>
<p>Forecasters expect the wind to ease by Monday, when ferries to the islands should sail again.</p></article></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	db := filepath.Join(t.TempDir(), "s.db")

	if code, _, errs := run(t, "source", "add", srv.URL+"/", "--db", db); code == 0 || !strings.Contains(errs, "private") {
		t.Errorf("source add on loopback without --allow-private = %d %s", code, errs)
	}
	code, out, errs := run(t, "source", "add", srv.URL+"/", "--db", db, "--allow-private", "--role", "outlet")
	if code != 0 || !strings.Contains(out, "added source 1: Harbour Gazette") || !strings.Contains(out, "/feed.xml") {
		t.Fatalf("source add = %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "source", "add", srv.URL+"/", "--db", db, "--allow-private", "--role", "blog"); code != 2 || !strings.Contains(errs, "--role") {
		t.Errorf("bad role = %d %s", code, errs)
	}
	opml := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Wires"><outline text="Meridian" xmlUrl="https://wire.example/rss"/></outline><outline text="none"/></body></opml>`), 0o644)
	code, out, _ = run(t, "source", "import", opml, "--db", db)
	if code != 0 || !strings.Contains(out, "added 1 sources") || !strings.Contains(out, "1 outlines without a feed URL") {
		t.Errorf("source import = %d %s", code, out)
	}
	code, out, _ = run(t, "source", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "Harbour Gazette") || !strings.Contains(out, "outlet") || !strings.Contains(out, "Meridian") {
		t.Errorf("source list = %d %s", code, out)
	}
	if code, _, _ := run(t, "source", "remove", "2", "--db", db); code != 0 {
		t.Errorf("source remove = %d", code)
	}
	if code, _, errs := run(t, "source", "remove", "2", "--db", db); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("second remove = %d %s", code, errs)
	}
	code, out, errs = run(t, "watch", "--once", "--db", db, "--allow-private")
	if code != 0 || !strings.Contains(out, "Harbour Gazette") {
		t.Fatalf("watch --once = %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, "stories", "--db", db)
	if code != 0 || !strings.Contains(out, "Storm closes the harbour") {
		t.Errorf("stories after watch = %d %s", code, out)
	}
	code, out, _ = run(t, "source", "items", "1", "--db", db)
	if code != 0 || !strings.Contains(out, "ingested") || !strings.Contains(out, srv.URL+"/storm") {
		t.Errorf("source items = %d %s", code, out)
	}
	if code, _, errs := run(t, "source", "items", "99", "--db", db); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("source items of a missing source = %d %s", code, errs)
	}
	if code, out, _ := run(t, "watch", "--once", "--db", db, "--allow-private"); code != 0 || !strings.Contains(out, "no source is due") {
		t.Errorf("second watch --once = %d %s", code, out)
	}

	// A feed URL that serves a web page: the poll fails, watch --once
	// exits 1, and source list says why and when it is polled next.
	dead := filepath.Join(t.TempDir(), "dead.opml")
	os.WriteFile(dead, []byte(`<opml version="2.0"><body><outline text="Dead Desk" xmlUrl="`+srv.URL+`/gone.xml"/></body></opml>`), 0o644)
	if code, _, _ := run(t, "source", "import", dead, "--db", db); code != 0 {
		t.Fatalf("import the dead feed = %d", code)
	}
	code, out, _ = run(t, "watch", "--once", "--db", db, "--allow-private")
	if code != 1 || !strings.Contains(out, "retrying") || !strings.Contains(out, "Dead Desk") || !strings.Contains(out, "HTML page") {
		t.Errorf("watch --once with a dead feed = %d %s", code, out)
	}
	code, out, _ = run(t, "source", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "error: ") || !strings.Contains(out, "; next poll 2") {
		t.Errorf("source list after a failed poll = %d %s", code, out)
	}
}

// TestSourceSet corrects what is said about a source, and refuses what
// cannot be said.
func TestSourceSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	opml := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Meridian — World" xmlUrl="https://wire.example/rss"/></body></opml>`), 0o644)
	if code, out, errs := run(t, "source", "import", opml, "--db", db); code != 0 {
		t.Fatalf("source import = %d %s %s", code, out, errs)
	}
	// An article the feed brought, and one another outlet did.
	jsonl := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(jsonl, []byte(`{"id": "m1", "source": "Meridian — World", "title": "Port closed", "text": "The port of Valdera was closed on Monday after a fire broke out in a grain silo, the harbour master said."}
{"id": "h1", "source": "Harbour Times", "title": "Silo fire", "text": "Firefighters spent the night at the grain terminal of Valdera, where a silo caught fire on Monday evening."}`), 0o644)
	if code, out, errs := run(t, "ingest", "--db", db, jsonl); code != 0 {
		t.Fatalf("ingest = %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, "source", "set", "1", "--db", db, "--name", "Meridian Wire", "--role", "wire", "--every", "10m", "--language", "en")
	if code != 0 {
		t.Fatalf("source set = %d %s %s", code, out, errs)
	}
	for _, want := range []string{"name Meridian — World → Meridian Wire", "role - → wire", "language - → en", "every 30m0s → 10m0s",
		`stored articles now attributed to "Meridian Wire", with the boilerplate learnt from them: 1`, "the role votes on the direction of copies: 0 stored links changed direction"} {
		if !strings.Contains(out, want) {
			t.Errorf("source set output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "source", "list", "--db", db)
	if fields := strings.Fields(strings.Split(out, "\n")[1]); code != 0 || len(fields) < 6 || fields[1] != "Meridian" || fields[3] != "wire" || fields[4] != "en" || fields[5] != "10m0s" {
		t.Errorf("source list after set = %d\n%s", code, out)
	}
	if code, out, _ := run(t, "source", "set", "1", "--db", db, "--role", "wire"); code != 0 || !strings.Contains(out, "source 1 unchanged") {
		t.Errorf("setting the same role = %d %s", code, out)
	}
	if code, out, _ := run(t, "source", "set", "1", "--db", db, "--role", "none"); code != 0 || !strings.Contains(out, "role wire → -") {
		t.Errorf("clearing the role = %d %s", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"1"}, 2, "nothing to change"},
		{[]string{"1", "--role", "blog"}, 2, "--role"},
		{[]string{"1", "--every", "10s"}, 2, "--every"},
		{[]string{"1", "--name", " "}, 2, "--name"},
		{[]string{"one", "--role", "wire"}, 2, "not a source ID"},
		{[]string{"99", "--role", "wire"}, 2, "source 99: not found"},
	} {
		code, _, errs := run(t, append([]string{"source", "set", "--db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("source set %v = %d %q; want %d and %q", tc.args, code, errs, tc.code, tc.err)
		}
	}
}

// TestSourceExportImport: a list written by source export and read by
// source import in another database keeps each source's name, category,
// role and interval; a role import cannot take is reported and dropped.
func TestSourceExportImport(t *testing.T) {
	dir := t.TempDir()
	db, other := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	opml := filepath.Join(dir, "subs.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Wires"><outline text="Europe"><outline text="Le Courrier &amp; Fils" xmlUrl="https://courrier.example/rss" language="fr"/></outline></outline>
<outline text="NewsStack" xmlUrl="https://newsstack.example/feed"/></body></opml>`), 0o644)
	if code, out, errs := run(t, "source", "import", opml, "--db", db); code != 0 {
		t.Fatalf("source import = %d %s %s", code, out, errs)
	}
	for _, args := range [][]string{{"1", "--role", "outlet", "--every", "15m"}, {"2", "--role", "aggregator", "--every", "2h"}} {
		if code, out, errs := run(t, append([]string{"source", "set", "--db", db}, args...)...); code != 0 {
			t.Fatalf("source set %v = %d %s %s", args, code, out, errs)
		}
	}
	code, list, errs := run(t, "source", "export", "--db", db)
	if code != 0 || !strings.Contains(list, `<outline text="Europe">`) || !strings.Contains(list, `crosscheck:role="aggregator"`) {
		t.Fatalf("source export = %d %s\n%s", code, errs, list)
	}
	exported := filepath.Join(dir, "exported.opml")
	os.WriteFile(exported, []byte(list), 0o644)
	if code, out, errs := run(t, "source", "import", exported, "--db", other); code != 0 || !strings.Contains(out, "added 2 sources") {
		t.Fatalf("import of the export = %d %s %s", code, out, errs)
	}
	// The same sources, whatever IDs the new database gives them.
	withoutIDs := func(list string) string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
			out = append(out, strings.Join(strings.Fields(l)[1:], " "))
		}
		return strings.Join(out, "\n")
	}
	_, want, _ := run(t, "source", "list", "--db", db)
	_, got, _ := run(t, "source", "list", "--db", other)
	if withoutIDs(got) != withoutIDs(want) || !strings.Contains(got, "2h0m0s") || !strings.Contains(got, "Le Courrier & Fils") {
		t.Errorf("sources after the round trip:\n%s\nwant:\n%s", got, want)
	}
	if code, _, _ := run(t, "source", "export", "--db", other); code != 0 {
		t.Errorf("export again = %d", code)
	}
	// --role given at import overrides the list's roles; a role the
	// list gives that crosscheck does not know is dropped, and said.
	bad := filepath.Join(dir, "bad.opml")
	os.WriteFile(bad, []byte(strings.Replace(list, `crosscheck:role="aggregator"`, `crosscheck:role="blog"`, 1)), 0o644)
	third := filepath.Join(dir, "c.db")
	code, _, errs = run(t, "source", "import", bad, "--db", third)
	if code != 0 || !strings.Contains(errs, `https://newsstack.example/feed: role "blog" is not one of`) {
		t.Errorf("import of a bad role = %d %q", code, errs)
	}
	if _, out, _ := run(t, "source", "list", "--db", third); !strings.Contains(out, "outlet") || strings.Contains(out, "blog") || strings.Contains(out, "aggregator") {
		t.Errorf("after a bad role: %s", out)
	}
}

// TestSourceRename renames an outlet that has no feed, named by its
// articles: they move, the rename is listed, and a name nothing has or
// a missing argument is refused.
func TestSourceRename(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	jsonl := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(jsonl, []byte(`{"id": "b1", "source": "BBC", "title": "Port closed", "text": "The port of Valdera was closed on Monday after a fire broke out in a grain silo, the harbour master said."}
{"id": "b2", "source": "BBC News", "title": "Silo fire", "text": "Firefighters spent the night at the grain terminal of Valdera, where a silo caught fire on Monday evening."}
{"id": "h1", "source": "Harbour Times", "title": "Valdera fire", "text": "A fire in a grain silo shut the port of Valdera on Monday; nobody was hurt, the city said in the evening."}`), 0o644)
	if code, out, errs := run(t, "ingest", "--db", db, jsonl); code != 0 {
		t.Fatalf("ingest = %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, "source", "rename", "BBC", "BBC News", "--db", db)
	if code != 0 || !strings.Contains(out, `outlet "BBC" renamed "BBC News": 1 stored articles moved`) {
		t.Fatalf("source rename = %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, "export", "--db", db, "--format", "csv")
	if code != 0 || strings.Count(out, ",BBC News,") != 2 || strings.Contains(out, ",BBC,") || strings.Count(out, ",Harbour Times,") != 1 {
		t.Errorf("articles after the rename = %d\n%s", code, out)
	}
	code, out, _ = run(t, "source", "renames", "--db", db)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "BBC  ") ||
		!strings.Contains(lines[1], "BBC News  outlet  1") {
		t.Errorf("source renames = %d\n%s", code, out)
	}
	if code, _, errs := run(t, "source", "rename", "BBC", "Other", "--db", db); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("renaming a name nothing has = %d %s", code, errs)
	}
	if code, _, errs := run(t, "source", "rename", "BBC News", "--db", db); code == 0 || !strings.Contains(errs, "2 arg") {
		t.Errorf("rename with one name = %d %s", code, errs)
	}
	if code, _, errs := run(t, "source", "rename", "BBC News", "BBC\nNews", "--db", db); code == 0 || !strings.Contains(errs, "one line") {
		t.Errorf("rename to a name of two lines = %d %s", code, errs)
	}
}
