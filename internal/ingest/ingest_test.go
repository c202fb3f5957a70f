package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite/sqlitetest"
)

const prose = "The regional council met on Thursday and voted to repair the flood barriers before the winter storms arrive."

func newStore(t *testing.T) store.Store { return sqlitetest.Temp(t) }

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func htmlPage(title, body string) string {
	return "<html><head><title>" + title + "</title></head><body><article><h1>" + title + "</h1><p>" + body + "</p><p>" + body + " Again.</p></article></body></html>"
}

// TestBadInputs feeds one batch holding every kind of bad input next to
// good ones: each bad one is rejected with its reason and recorded, and
// the good ones are all ingested.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	good := []string{
		write(t, dir, "good.txt", []byte("Barrier vote\n\n"+prose)),
		write(t, dir, "good.html", []byte(htmlPage("Barrier vote in the council", prose))),
		write(t, dir, "good.html.gz", gz([]byte(htmlPage("Storm barrier plan approved", prose+" Gzipped.")))),
	}
	cp1251, _ := charmap.Windows1251.NewEncoder().String(htmlPage("Совет проголосовал", "Региональный совет в четверг проголосовал за ремонт защитных дамб до начала зимних штормов, сообщили власти."))
	good = append(good, write(t, dir, "cyrillic.html", []byte(strings.Replace(cp1251, "<head>", `<head><meta charset="windows-1251">`, 1))))
	koi, _ := charmap.KOI8R.NewEncoder().String(htmlPage("Дамбы", "Власти сообщили, что ремонт дамб начнётся в понедельник и займёт около трёх недель работы."))
	good = append(good, write(t, dir, "koi8.html", []byte(strings.Replace(koi, "<head>", `<head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`, 1))))

	big := filepath.Join(dir, "huge.html")
	f, _ := os.Create(big)
	f.Truncate(100 << 20) // a 100 MB file, sparse on disk
	f.Close()

	bad := map[string]string{
		filepath.Join(dir, "missing.txt"):                                                                      "no such file",
		write(t, dir, "empty.txt", nil):                                                                        "empty file",
		write(t, dir, "blank.md", []byte("  \n\n  \n")):                                                        "empty file",
		write(t, dir, "binary.txt", []byte("PK\x03\x04\x00\x00binary\x00zip")):                                 "binary",
		write(t, dir, "latin1.txt", []byte("Caf\xe9 society\n\nA sentence in Latin-1.")):                       "invalid UTF-8",
		write(t, dir, "bomb.html.gz", gz(bytes.Repeat([]byte("<p>a</p>"), 4<<20))):                             "over the",
		write(t, dir, "notgzip.txt.gz", []byte("plain text, not gzip")):                                        "not a valid gzip",
		write(t, dir, "data.csv", []byte("a,b,c\n1,2,3\n")):                                                    "unsupported file type",
		write(t, dir, "badfront.txt", []byte("---\npublished: yesterday-ish\n---\n"+prose)):                    "front matter published",
		write(t, dir, "book.txt", []byte("A whole book\n\n"+strings.Repeat(prose+"\n\n", 20000/len(prose)+1))): "(--max-text)",
		big:                         "over the",
		filepath.Join(dir, "*.xyz"): "no files match",
	}
	inputs := append([]string{}, good...)
	for in := range bad {
		inputs = append(inputs, in)
	}
	st := newStore(t)
	var results []Result
	sum, err := Run(context.Background(), st, inputs, Options{MaxBytes: 8 << 20, MaxText: 20000, Report: func(r Result) { results = append(results, r) }})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.Ingested != len(good) || sum.Rejected != len(bad) || sum.Skipped != 0 {
		t.Errorf("summary = %+v; want %d ingested, %d rejected", sum, len(good), len(bad))
		for _, r := range results {
			t.Logf("%s %s %s", r.Outcome, r.Input, r.Reason)
		}
	}
	rejections, _ := st.ListRejections(context.Background())
	recorded := map[string]string{}
	for _, r := range rejections {
		recorded[r.Input] = r.Reason
	}
	for in, want := range bad {
		if got, ok := recorded[in]; !ok || !strings.Contains(got, want) {
			t.Errorf("rejection of %s = %q (recorded %v); want it to mention %q", filepath.Base(in), got, ok, want)
		}
	}
	// The Cyrillic pages were decoded, not mangled.
	as, _ := st.ListArticles(context.Background(), store.ListOptions{})
	ru := 0
	for _, a := range as {
		if a.Language == "ru" && strings.Contains(a.Text, "сообщили") {
			ru++
		}
	}
	if ru != 2 {
		t.Errorf("%d Russian articles decoded; want 2 (windows-1251 and koi8-r)", ru)
	}
}

func TestUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any directory")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o755)
	write(t, locked, "a.txt", []byte("x\n\n"+prose))
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o755)
	_, rejected := Expand([]string{dir})
	if len(rejected) != 1 || !strings.Contains(rejected[0].Reason, "cannot read directory") {
		t.Errorf("Expand(locked dir) rejections = %+v", rejected)
	}
}

func TestExpandSymlinks(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	write(t, elsewhere, "real.html", []byte("<p>x</p>"))
	write(t, elsewhere, "picture.png", []byte("x"))
	write(t, elsewhere, "folder/inner.txt", []byte("x"))
	for link, target := range map[string]string{
		"copy.html":   filepath.Join(elsewhere, "real.html"),
		"gone.html":   filepath.Join(elsewhere, "missing.html"),
		"gone.png":    filepath.Join(elsewhere, "missing.png"),
		"picture.png": filepath.Join(elsewhere, "picture.png"),
		"folder":      filepath.Join(elsewhere, "folder"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	files, rejected := Expand([]string{dir})
	if want := []string{filepath.Join(dir, "copy.html")}; !slices.Equal(files, want) {
		t.Errorf("files = %v; want %v (the link to a readable file, read like it)", files, want)
	}
	reasons := map[string]string{}
	for _, r := range rejected {
		reasons[filepath.Base(r.Input)] = r.Reason
	}
	for name, want := range map[string]string{"gone.html": "broken symbolic link", "folder": "not followed"} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("rejection of %s = %q; want it to mention %q", name, reasons[name], want)
		}
	}
	if len(rejected) != 2 {
		t.Errorf("rejections = %+v; want only gone.html and folder (gone.png is not a name ingest reads)", rejected)
	}
	// A link named on the command line is read as before.
	if files, rejected := Expand([]string{filepath.Join(dir, "folder")}); len(files) != 1 || len(rejected) != 0 {
		t.Errorf("Expand(link to a folder, named) = %v, %+v; want its one file", files, rejected)
	}
}

func TestIdempotentAndIdentity(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a/one.txt", []byte("First title\n\n"+prose))
	write(t, dir, "a/copy-of-one.txt", []byte("First title\n\n"+prose)) // same content, same identity
	write(t, dir, "b/two.html", []byte(strings.Replace(htmlPage("Two", prose+" Two."), "<head>", `<head><link rel="canonical" href="https://Example.test/news/two/?utm_source=x#top">`, 1)))
	write(t, dir, "b/two-again.html", []byte(strings.Replace(htmlPage("Two changed", prose+" Changed."), "<head>", `<head><link rel="canonical" href="https://example.test/news/two">`, 1)))
	st := newStore(t)
	sum, err := Run(context.Background(), st, []string{dir}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 2 || sum.Skipped != 2 {
		t.Errorf("first run = %+v; want 2 ingested, 2 skipped (same text; same canonical URL)", sum)
	}
	sum, _ = Run(context.Background(), st, []string{dir}, Options{})
	if sum.Ingested != 0 || sum.Skipped != 4 {
		t.Errorf("second run = %+v; want all 4 skipped", sum)
	}
	if n, _ := st.CountArticles(context.Background()); n != 2 {
		t.Errorf("stored %d articles; want 2", n)
	}
}

func TestJSONL(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id": "1", "url": "https://a.test/1", "source": "Alpha", "title": "One", "published": "2026-03-14T08:00:00Z", "text": "` + prose + `"}`,
		`{"id": "2", "source": "Beta", "title": "Two", "published": "2026-03-15", "html": "<html><body><article><p>` + prose + ` Two.</p><p>` + prose + `</p></article></body></html>"}`,
		`{"id": "3", "title": "broken", "text": "unterminated`,
		``,
		`{"id": "4", "title": "no body"}`,
		`{"id": "5", "text": "` + prose + ` Five.", "published": "last Tuesday"}`,
		`[1, 2, 3]`,
	}
	p := write(t, dir, "batch.jsonl", []byte(strings.Join(lines, "\n")))
	st := newStore(t)
	var rejected []string
	sum, err := Run(context.Background(), st, []string{p}, Options{Report: func(r Result) {
		if r.Outcome == Rejected {
			rejected = append(rejected, r.Input+" "+r.Reason)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 2 || sum.Rejected != 4 {
		t.Errorf("summary = %+v; want 2 ingested, 4 rejected: %q", sum, rejected)
	}
	for _, want := range []string{"batch.jsonl:3 malformed JSON", "batch.jsonl:5 record has neither", "batch.jsonl:6 \"published\"", "batch.jsonl:7 malformed record"} {
		found := false
		for _, r := range rejected {
			found = found || strings.Contains(r, want)
		}
		if !found {
			t.Errorf("no rejection %q in %q", want, rejected)
		}
	}
	as, _ := st.ListArticles(context.Background(), store.ListOptions{})
	if len(as) != 2 || as[0].Source != "Beta" || as[0].Title != "Two" || as[1].URL != "https://a.test/1" || as[0].Format != "jsonl" {
		for _, a := range as {
			t.Logf("%+v", *a)
		}
		t.Errorf("JSONL articles not stored with their fields")
	}
	if want := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC); as[0].Published == nil || !as[0].Published.Equal(want) {
		t.Errorf("published = %v; want %v", as[0].Published, want)
	}
}

func TestSourceAndPublishedFlags(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "plain.txt", []byte("Title\n\n"+prose))
	write(t, dir, "front.md", []byte("---\nsource: Gamma\npublished: 2026-01-02T03:04:05Z\nauthor: Jo Writer\n---\nTitle two\n\n"+prose+" Front."))
	st := newStore(t)
	pub := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Run(context.Background(), st, []string{dir}, Options{Published: &pub}); err != nil {
		t.Fatal(err)
	}
	as, _ := st.ListArticles(context.Background(), store.ListOptions{})
	got := map[string]*model.Article{}
	for _, a := range as {
		got[filepath.Base(a.Path)] = a
	}
	if a := got["plain.txt"]; a == nil || a.Published == nil || !a.Published.Equal(pub) || a.Source != "" {
		t.Errorf("plain.txt = %+v; want --published applied, no source", a)
	}
	if a := got["front.md"]; a == nil || a.Source != "Gamma" || a.Author != "Jo Writer" || a.Published.Year() != 2026 || a.Published.Month() != 1 {
		t.Errorf("front.md = %+v; want front matter applied over --published", a)
	}
	// Front matter lines do not shift removal line numbers.
	write(t, dir, "chrome.txt", []byte("---\nsource: Gamma\n---\nHeadline for chrome test\n\n"+prose+"\n\nComments are closed."))
	Run(context.Background(), st, []string{filepath.Join(dir, "chrome.txt")}, Options{})
	as, _ = st.ListArticles(context.Background(), store.ListOptions{Source: "Gamma"})
	for _, a := range as {
		if strings.HasSuffix(a.Path, "chrome.txt") && (len(a.Removed) != 1 || a.Removed[0].Line != 8) {
			t.Errorf("removed = %+v; want line 8 (as numbered in the file)", a.Removed)
		}
	}
}

func TestRepeatedSourceBoilerplate(t *testing.T) {
	dir := t.TempDir()
	for i, topic := range []string{"roads", "schools", "water", "parks"} {
		body := "Council news about " + topic + "\n\n" + strings.Replace(prose, "flood barriers", topic, 1) + "\n\nFollow the Valley Gazette on Mastodon\n\nThe decision on " + topic + " will be reviewed next spring, officials said."
		write(t, dir, string(rune('a'+i))+".txt", []byte(body))
	}
	st := newStore(t)
	if _, err := Run(context.Background(), st, []string{dir}, Options{Source: "Valley Gazette", Workers: 1}); err != nil {
		t.Fatal(err)
	}
	as, _ := st.ListArticles(context.Background(), store.ListOptions{})
	kept := 0
	for _, a := range as {
		if strings.Contains(a.Text, "Mastodon") {
			kept++
		}
	}
	// The line is learnt as boilerplate once two articles of the source
	// carry it: the third and fourth lose it.
	if kept != 2 {
		t.Errorf("%d of 4 articles keep the repeated line; want 2", kept)
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := map[string]string{
		"https://Example.TEST:443/a/b/?utm_source=x&id=3#frag": "https://example.test/a/b?id=3",
		"http://example.test:80/":                              "http://example.test/",
		"https://example.test/a//":                             "https://example.test/a",
		"http://example.test///":                               "http://example.test/",
		"ftp://example.test/x":                                 "",
		"/relative/path":                                       "",
		"":                                                     "",
	}
	for in, want := range tests {
		if got := canonicalURL(in); got != want {
			t.Errorf("canonicalURL(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestRolesOrientCopies ingests a wire report and an aggregator's copy
// published the same minute, without credit lines: the direction is
// unknown until the analyst says what the two sources do, and then the
// watched sources' roles decide it, with the roles as evidence.
// TestBoilerplateCountedOnce: a source's chrome line is learnt from its
// first two articles and removed from the later ones, which do not
// count it again (a row per article would grow with the archive).
func TestBoilerplateCountedOnce(t *testing.T) {
	ctx := context.Background()
	chrome := "Harbour Times, the port city's paper since 1921"
	bodies := []string{
		"The harbour authority approved a new container berth on Monday after two years of hearings.",
		"Ferry crews walked out at dawn over a pay dispute, leaving hundreds of commuters on the quay.",
		"A cargo ship ran aground near the breakwater overnight; tugs refloated it at high tide.",
		"The city council voted to restore the old lighthouse and open it to visitors next summer.",
	}
	var lines []string
	for i, b := range bodies {
		lines = append(lines, `{"id": "h`+string(rune('1'+i))+`", "source": "Harbour Times", "title": "Port news", "text": "`+b+`\n\n`+chrome+`\n\n`+prose+`"}`)
	}
	p := write(t, t.TempDir(), "port.jsonl", []byte(strings.Join(lines, "\n")))
	st := newStore(t)
	if sum, err := Run(ctx, st, []string{p}, Options{}); err != nil || sum.Ingested != len(bodies) {
		t.Fatalf("ingest = %+v, %v", sum, err)
	}
	h := LineHashes([]string{chrome})[0]
	if got, err := st.RepeatedLines(ctx, "Harbour Times", []int64{h}, 2); err != nil || !got[h] {
		t.Fatalf("the chrome line is not learnt: %v, %v", got, err)
	}
	if got, _ := st.RepeatedLines(ctx, "Harbour Times", []int64{h}, 3); got[h] {
		t.Errorf("the chrome line is counted for more than the two articles it was learnt from")
	}
	for i, want := range []bool{false, false, true, true} {
		ids, err := st.ArticlesByInput(ctx, []string{p + ":" + string(rune('1'+i))})
		if err != nil || len(ids) != 1 {
			t.Fatalf("ArticlesByInput = %v, %v", ids, err)
		}
		for _, id := range ids {
			a, err := st.GetArticle(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if removed := !strings.Contains(a.Text, chrome); removed != want {
				t.Errorf("article %d: chrome removed %v; want %v (%+v)", i+1, removed, want, a.Removed)
			}
		}
	}
}

func TestRolesOrientCopies(t *testing.T) {
	text := strings.Join([]string{
		"Firefighters in Valdera said on Monday that 412 homes had been evacuated as the blaze spread north of the Corvan river.",
		"Mayor Elena Brant told reporters that three shelters had opened in the town hall, the stadium and the Saint Anselm school.",
		"The regional fire service said 86 engines and 4 water-bombing aircraft were fighting the fire along a 19-kilometre front.",
		"Winds of up to 70 km/h were forecast for Tuesday, and the Valdera weather office warned that temperatures would stay above 38 degrees.",
		"Officials said the A14 motorway between Valdera and Port Simeon would remain closed until the smoke had cleared.",
		"A spokesman for the Corvan power company said 2,300 customers were without electricity after lines came down near Ostrel.",
	}, " ")
	// The aggregator adds a sentence of its own, so the two texts are
	// covered unequally and a link's evidence has a side.
	extra := " Residents of Port Simeon were told on Tuesday to prepare 3 days of water and to follow the instructions of the civil protection agency."
	lines := []string{
		`{"id": "w1", "url": "https://meridian.example/fire", "source": "Meridian Wire", "title": "Valdera fire", "published": "2026-07-06T09:00:00Z", "text": "` + text + `"}`,
		`{"id": "n1", "url": "https://newsstack.example/fire", "source": "NewsStack", "title": "Valdera fire", "published": "2026-07-06T09:02:00Z", "text": "` + text + extra + `"}`,
	}
	p := write(t, t.TempDir(), "fire.jsonl", []byte(strings.Join(lines, "\n")))
	ctx := context.Background()
	addRoles := func(t *testing.T, st store.Store, roles map[string]string) {
		t.Helper()
		for name, role := range roles {
			if _, _, err := st.AddSource(ctx, &model.Source{Name: name, FeedURL: "https://" + strings.ReplaceAll(strings.ToLower(name), " ", "") + ".example/rss", Role: role}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ingested := func(t *testing.T, roles map[string]string) (store.Store, string) {
		t.Helper()
		st := newStore(t)
		addRoles(t, st, roles)
		if sum, err := Run(ctx, st, []string{p}, Options{}); err != nil || sum.Ingested != 2 {
			t.Fatalf("ingest = %+v, %v; want 2 ingested", sum, err)
		}
		ids, err := st.ArticlesByInput(ctx, []string{p + ":1"})
		if err != nil || len(ids) != 1 {
			t.Fatalf("ArticlesByInput = %v, %v", ids, err)
		}
		var wire string
		for _, id := range ids {
			wire = id
		}
		return st, wire
	}
	// linkOf returns the one derivation, its From as "wire" or
	// "aggregator".
	linkOf := func(t *testing.T, st store.Store, wire string) model.Derivation {
		t.Helper()
		ds, err := st.Derivations(ctx, wire)
		if err != nil || len(ds) != 1 {
			t.Fatalf("derivations of the wire report = %+v, %v; want one", ds, err)
		}
		ds[0].From = map[bool]string{true: "wire", false: "aggregator"}[ds[0].From == wire]
		return ds[0]
	}
	link := func(t *testing.T, roles map[string]string) model.Derivation {
		st, wire := ingested(t, roles)
		return linkOf(t, st, wire)
	}
	t.Run("no roles", func(t *testing.T) {
		d := link(t, nil)
		if d.Directed || !strings.HasPrefix(d.Evidence.Direction, "unknown: no credit line and published within 5 minutes") {
			t.Errorf("without roles: directed %v, %q; want unknown", d.Directed, d.Evidence.Direction)
		}
	})
	t.Run("roles", func(t *testing.T) {
		d := link(t, map[string]string{"Meridian Wire": model.RoleWire, "NewsStack": model.RoleAggregator})
		if !d.Directed || d.From != "wire" || d.Evidence.Direction != "role: Meridian Wire is a wire service, NewsStack an aggregator" {
			t.Errorf("with roles: directed %v from %s, %q; want from the wire, decided by role", d.Directed, d.From, d.Evidence.Direction)
		}
	})
	t.Run("roles set afterwards", func(t *testing.T) {
		st, wire := ingested(t, nil)
		addRoles(t, st, map[string]string{"Meridian Wire": model.RoleWire, "NewsStack": model.RoleAggregator})
		if n, err := lineage.Reorient(ctx, st, "NewsStack"); err != nil || n != 1 {
			t.Fatalf("Reorient = %d, %v; want 1", n, err)
		}
		// The same link, evidence and passages included, as one made
		// with the roles already set.
		want := link(t, map[string]string{"Meridian Wire": model.RoleWire, "NewsStack": model.RoleAggregator})
		if d := linkOf(t, st, wire); !d.Directed || d.From != "wire" || !reflect.DeepEqual(d.Evidence, want.Evidence) || d.Kind != want.Kind {
			t.Errorf("after Reorient: directed %v from %s, %+v; want as linked with the roles: %+v", d.Directed, d.From, d.Evidence, want.Evidence)
		}
		if n, err := lineage.Reorient(ctx, st, "NewsStack"); err != nil || n != 0 {
			t.Errorf("Reorient again = %d, %v; want nothing to change", n, err)
		}
		srcs, _ := st.Sources(ctx)
		for _, s := range srcs {
			s.Role = ""
			if _, err := st.UpdateSource(ctx, &s); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := lineage.Reorient(ctx, st, "Meridian Wire"); err != nil || n != 1 {
			t.Fatalf("Reorient after clearing the roles = %d, %v; want 1", n, err)
		}
		if d := linkOf(t, st, wire); d.Directed || !strings.HasPrefix(d.Evidence.Direction, "unknown: no credit line") {
			t.Errorf("after clearing the roles: directed %v, %q; want unknown again", d.Directed, d.Evidence.Direction)
		}
	})
}
