package watch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/crosscheck-news/crosscheck/internal/feed"
	"github.com/crosscheck-news/crosscheck/internal/fetch"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite/sqlitetest"
)

func page(title, body string) string {
	return "<html><head><title>" + title + "</title></head><body><article><h1>" + title + "</h1><p>" + body + "</p><p>" + body +
		" Officials said more details would follow later in the day.</p></article></body></html>"
}

// web is a small news web on loopback: feeds in three formats, the pages
// they link to, robots.txt, and the ways a feed or page goes wrong.
type web struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newWeb(t *testing.T) *web {
	t.Helper()
	w := &web{hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, "User-agent: *\nDisallow: /members/\n")
	})
	mux.HandleFunc("/rss", func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"rss-1"` {
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("ETag", `"rss-1"`)
		rw.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(rw, `<?xml version="1.0"?><rss version="2.0"><channel><title>Meridian Wire</title><link>%[1]s/</link><language>en</language>
<item><title>Ferry</title><link>%[1]s/a/ferry</link><guid>w1</guid><pubDate>Sat, 14 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Dams</title><link>%[1]s/a/dams-ru</link><guid>w2</guid><pubDate>Sat, 14 Mar 2026 09:00:00 GMT</pubDate></item>
<item><title>Members only</title><link>%[1]s/members/scoop</link><guid>w3</guid><pubDate>Sat, 14 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>%[1]s/a/gone</link><guid>w4</guid><pubDate>Sat, 14 Mar 2026 11:00:00 GMT</pubDate></item>
<item><title>No link</title><guid>w5</guid></item>
<item><title>Undated strike</title><link>%[1]s/a/strike</link><guid>w6</guid></item>
</channel></rss>`, w.URL)
	})
	mux.HandleFunc("/atom", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/atom+xml")
		// Shares the ferry page with the RSS feed, under its own id.
		fmt.Fprintf(rw, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Aggregator</title><id>urn:agg</id><updated>2026-03-14T12:00:00Z</updated>
<entry><title>Ferry (via wire)</title><link href="%[1]s/a/ferry"/><id>w1</id><updated>2026-03-14T12:00:00Z</updated></entry>
<entry><title>Bus</title><link href="%[1]s/a/bus"/><id>agg-2</id><updated>2026-03-14T12:30:00Z</updated></entry>
</feed>`, w.URL)
	})
	mux.HandleFunc("/json", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/feed+json")
		fmt.Fprintf(rw, `{"version":"https://jsonfeed.org/version/1.1","title":"Civic Ledger","home_page_url":"%[1]s/",
"items":[{"id":"j1","url":"%[1]s/a/fire","title":"Fire","date_published":"2026-03-14T13:00:00Z"}]}`, w.URL)
	})
	mux.HandleFunc("/not-a-feed", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		fmt.Fprint(rw, "<!doctype html><html><body><p>Just a page.</p></body></html>")
	})
	mux.HandleFunc("/home", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(rw, `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"><link rel="alternate" type="application/atom+xml" href="/atom"></head><body>Home</body></html>`)
	})
	mux.HandleFunc("/big", func(rw http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>Big</title>`)
		for i := 0; i < 10000; i++ {
			fmt.Fprintf(&b, `<item><title>t%d</title><link>%s/members/%d</link></item>`, i, w.URL, i)
		}
		b.WriteString(`</channel></rss>`)
		fmt.Fprint(rw, b.String())
	})
	bodies := map[string]string{
		"/a/ferry":  page("Ferry sinks off Lesbos with 86 aboard", "A passenger ferry carrying 86 people sank off the Greek island of Lesbos on Saturday, the coast guard said, and 71 were rescued."),
		"/a/bus":    page("Bus crash near Lyon injures nine", "A coach carrying tourists left the road near Lyon on Saturday morning, injuring nine passengers, two of them seriously, police said."),
		"/a/fire":   page("Wildfire forces evacuations in the Var", "Firefighters battled a wildfire in the Var department on Saturday as hundreds of residents were evacuated from three villages."),
		"/a/strike": page("Port workers strike in Rotterdam", "Dock workers walked out at the port of Rotterdam on Friday over pay, halting container traffic, their union said."),
	}
	mux.HandleFunc("/a/", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.hits[r.URL.Path]++
		w.mu.Unlock()
		if r.URL.Path == "/a/dams-ru" {
			b, _ := charmap.Windows1251.NewEncoder().String(page("Совет проголосовал", "Региональный совет в четверг проголосовал за ремонт защитных дамб до начала зимних штормов, сообщили власти."))
			rw.Header().Set("Content-Type", "text/html; charset=windows-1251")
			fmt.Fprint(rw, b)
			return
		}
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, b)
	})
	mux.HandleFunc("/members/", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.hits[r.URL.Path]++
		w.mu.Unlock()
		fmt.Fprint(rw, page("Secret", "Nobody should fetch this page because robots.txt forbids it."))
	})
	w.Server = httptest.NewServer(mux)
	t.Cleanup(w.Close)
	return w
}

func (w *web) hit(path string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[path]
}

func (w *web) pageHits() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, v := range w.hits {
		n += v
	}
	return n
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestWatch(t *testing.T) {
	ctx := context.Background()
	w := newWeb(t)
	db := filepath.Join(t.TempDir(), "w.db")
	st := sqlitetest.Open(t, db)
	client := fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1, Backoff: time.Millisecond, Retries: -1})
	for _, s := range []model.Source{
		{Name: "Meridian Wire", FeedURL: w.URL + "/rss", Role: model.RoleWire, Every: 30 * time.Minute},
		{Name: "Aggregator", FeedURL: w.URL + "/atom", Role: model.RoleAggregator, Every: 30 * time.Minute},
		{Name: "Civic Ledger", FeedURL: w.URL + "/json", Every: 30 * time.Minute},
		{Name: "Broken", FeedURL: w.URL + "/not-a-feed", Every: 30 * time.Minute},
		{Name: "Big", FeedURL: w.URL + "/big", Every: 30 * time.Minute},
	} {
		if _, _, err := st.AddSource(ctx, &s); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{time.Date(2026, 3, 14, 14, 0, 0, 0, time.UTC)}
	watcher := New(st, Options{Client: client, Now: clk.now, MaxItems: 50, Ingest: ingest.Options{Workers: 2}})
	polls, err := watcher.Round(ctx)
	if err != nil || len(polls) != 5 {
		t.Fatalf("Round = %d polls, %v", len(polls), err)
	}
	by := map[string]Poll{}
	for _, p := range polls {
		by[p.Source] = p
	}
	// The wire: ferry, dams (windows-1251), strike (undated) ingested;
	// the members-only page refused by robots.txt; the gone page a 404;
	// the item without a link dropped.
	if p := by["Meridian Wire"]; p.Ingested != 3 || p.Rejected != 2 || p.Dropped["no link"] != 1 || p.Err != nil {
		t.Errorf("wire poll = %+v", p)
	}
	// The aggregator's ferry item is the wire's page: not fetched again.
	if p := by["Aggregator"]; p.Ingested != 1 || p.Skipped != 1 {
		t.Errorf("aggregator poll = %+v; want bus ingested, ferry skipped", p)
	}
	if p := by["Civic Ledger"]; p.Ingested != 1 {
		t.Errorf("JSON feed poll = %+v", p)
	}
	if p := by["Broken"]; !errors.Is(p.Err, feed.ErrNotFeed) || !strings.Contains(p.Err.Error(), "HTML page") {
		t.Errorf("HTML-as-feed poll error = %v", p.Err)
	}
	if p := by["Big"]; p.Items != 10000 || p.New != 10000 || p.Deferred != 9950 || p.Rejected != 50 {
		t.Errorf("10,000-item feed = items %d new %d deferred %d rejected %d; want 50 taken (all disallowed), the rest deferred", p.Items, p.New, p.Deferred, p.Rejected)
	}
	if w.hit("/members/scoop") != 0 || w.hit("/members/0") != 0 {
		t.Errorf("robots.txt ignored")
	}
	if n := w.hit("/a/ferry"); n != 1 {
		t.Errorf("ferry page fetched %d times; want once", n)
	}

	// What became of it: articles attributed to their source, the
	// Cyrillic page decoded, the rejections recorded with reasons.
	as, _ := st.ListArticles(ctx, store.ListOptions{})
	if len(as) != 5 {
		t.Errorf("%d articles; want 5", len(as))
	}
	for _, a := range as {
		if a.FetchedAt == nil || a.Source == "" || a.URL == "" {
			t.Errorf("article %s: fetched %v source %q url %q", a.Title, a.FetchedAt, a.Source, a.URL)
		}
		if strings.HasSuffix(a.URL, "/a/dams-ru") && !strings.Contains(a.Text, "сообщили") {
			t.Errorf("windows-1251 page not decoded: %q", a.Text)
		}
		if strings.HasSuffix(a.URL, "/a/ferry") && (a.Source != "Meridian Wire" || a.Published == nil || a.Published.Hour() != 8) {
			t.Errorf("ferry: source %q published %v; want the wire's feed date", a.Source, a.Published)
		}
	}
	rej, _ := st.ListRejections(ctx)
	reasons := map[string]string{}
	for _, r := range rej {
		reasons[r.Input] = r.Reason
	}
	for in, want := range map[string]string{
		w.URL + "/members/scoop":             "robots.txt",
		w.URL + "/a/gone":                    "404",
		w.URL + "/not-a-feed":                "HTML page",
		w.URL + "/rss (items without links)": "without a link",
	} {
		if !strings.Contains(reasons[in], want) {
			t.Errorf("rejection of %s = %q; want it to mention %q", in, reasons[in], want)
		}
	}
	broken, _ := st.Sources(ctx)
	for _, s := range broken {
		if s.Name == "Broken" && s.LastError == "" || s.Name != "Broken" && s.LastError != "" || s.LastPoll == nil {
			t.Errorf("source %s: last error %q, last poll %v", s.Name, s.LastError, s.LastPoll)
		}
	}

	// Nothing is due until the interval passes, except the cut-short feed.
	hits := w.pageHits()
	clk.t = clk.t.Add(2 * time.Minute)
	polls, _ = watcher.Round(ctx)
	if len(polls) != 1 || polls[0].Source != "Big" {
		t.Errorf("two minutes later %d polls (%v); want only the deferred feed", len(polls), polls)
	}

	// A restarted watch, after the interval: the wire's feed answers 304,
	// no page is fetched twice.
	st.Close()
	st2 := sqlitetest.Open(t, db)
	clk.t = clk.t.Add(time.Hour)
	watcher2 := New(st2, Options{Client: client, Now: clk.now, MaxItems: 50})
	polls, err = watcher2.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range polls {
		if p.Source == "Meridian Wire" && !p.NotModified {
			t.Errorf("wire after restart = %+v; want 304", p)
		}
		if p.Source != "Big" && p.Source != "Broken" && p.Ingested+p.Rejected+p.Skipped != 0 {
			t.Errorf("after restart %s took items again: %+v", p.Source, p)
		}
	}
	if got := w.pageHits(); got != hits {
		t.Errorf("pages fetched after restart: %d → %d; want none", hits, got)
	}
}

func TestDiscover(t *testing.T) {
	w := newWeb(t)
	client := fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1})
	ctx := context.Background()
	s, others, err := Discover(ctx, client, w.URL+"/home")
	if err != nil || s.FeedURL != w.URL+"/rss" || s.Name != "Meridian Wire" || s.Language != "en" || len(others) != 1 || others[0] != w.URL+"/atom" {
		t.Fatalf("Discover(home) = %+v, %v, %v", s, others, err)
	}
	if s, _, err := Discover(ctx, client, w.URL+"/json"); err != nil || s.Name != "Civic Ledger" || s.FeedURL != w.URL+"/json" {
		t.Errorf("Discover(feed) = %+v, %v", s, err)
	}
	if _, _, err := Discover(ctx, client, w.URL+"/not-a-feed"); !errors.Is(err, ErrNoFeed) {
		t.Errorf("Discover(page without feeds) = %v", err)
	}
	strict := fetch.New(fetch.Options{})
	if _, _, err := Discover(ctx, strict, w.URL+"/rss"); !errors.Is(err, fetch.ErrPrivate) {
		t.Errorf("Discover on loopback without --allow-private = %v", err)
	}
}

// TestWatchEnqueue: with a work queue, fetched pages are handed over
// (once) instead of being ingested here.
func TestWatchEnqueue(t *testing.T) {
	ctx := context.Background()
	w := newWeb(t)
	st := sqlitetest.Open(t, filepath.Join(t.TempDir(), "q.db"))
	if _, _, err := st.AddSource(ctx, &model.Source{Name: "Civic Ledger", FeedURL: w.URL + "/json", Every: time.Hour}); err != nil {
		t.Fatal(err)
	}
	var queued []ingest.Item
	clk := &clock{time.Date(2026, 3, 14, 14, 0, 0, 0, time.UTC)}
	watcher := New(st, Options{Client: fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1}), Now: clk.now,
		Enqueue: func(_ context.Context, items []ingest.Item) error { queued = append(queued, items...); return nil }})
	polls, err := watcher.Round(ctx)
	if err != nil || len(polls) != 1 || polls[0].Queued != 1 || polls[0].Ingested != 0 {
		t.Fatalf("Round = %+v, %v; want one page queued", polls, err)
	}
	if len(queued) != 1 || !strings.HasSuffix(queued[0].Input(), "/a/fire") {
		t.Fatalf("queued %v", queued)
	}
	if n, _ := st.CountArticles(ctx); n != 0 {
		t.Errorf("%d articles stored by a queueing watcher", n)
	}
	items, _ := st.SourceItems(ctx, 1, 10)
	if len(items) != 1 || items[0].Outcome != "queued" {
		t.Errorf("items = %+v; want one queued", items)
	}
	clk.t = clk.t.Add(2 * time.Hour)
	if polls, _ := watcher.Round(ctx); len(polls) != 1 || polls[0].Queued != 0 || len(queued) != 1 {
		t.Errorf("second round queued again: %+v", polls)
	}
}
