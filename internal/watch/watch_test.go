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
	"github.com/crosscheck-news/crosscheck/internal/pgtest"
	"github.com/crosscheck-news/crosscheck/internal/queue"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
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

// outage is a host whose pages fail with a status for its first failFor
// page requests (-1: always), counting requests per path.
type outage struct {
	*httptest.Server
	mu      sync.Mutex
	hits    map[string]int
	served  int
	failFor int
	status  int
}

func newOutage(t *testing.T, failFor, status int, feedXML func(base string) string) *outage {
	t.Helper()
	o := &outage{hits: map[string]int{}, failFor: failFor, status: status}
	o.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(rw, r)
			return
		case "/feed":
			if feedXML == nil {
				rw.Header().Set("Retry-After", "3600")
				rw.WriteHeader(http.StatusTooManyRequests)
				return
			}
			rw.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(rw, feedXML(o.URL))
			return
		}
		o.mu.Lock()
		o.hits[r.URL.Path]++
		o.served++
		n := o.served
		o.mu.Unlock()
		if o.failFor < 0 || n <= o.failFor {
			rw.WriteHeader(o.status)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, page("Levee "+r.URL.Path+" holds after storm", "Engineers said the levee at "+r.URL.Path+
			" held through the night as the river crested two metres above its usual level on Tuesday."))
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *outage) hit(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

// TestWatchRetries: a page that fails in a way that may pass (503, 429)
// is fetched again at the next polls until it comes or maxAttempts is
// spent; a host that fails is not asked again in the same poll; a page
// that is gone (404) is rejected at once; a feed that asks for an hour
// is polled again in an hour, not at its half-hour interval.
func TestWatchRetries(t *testing.T) {
	ctx := context.Background()
	down := newOutage(t, -1, http.StatusServiceUnavailable, nil)
	flaky := newOutage(t, 1, http.StatusTooManyRequests, func(base string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>River Desk</title>
<item><title>A1</title><link>` + base + `/p/a1</link><guid>a1</guid><pubDate>Tue, 10 Mar 2026 06:00:00 GMT</pubDate></item>
<item><title>A2</title><link>` + base + `/p/a2</link><guid>a2</guid><pubDate>Tue, 10 Mar 2026 07:00:00 GMT</pubDate></item>
<item><title>B1</title><link>` + down.URL + `/p/b1</link><guid>b1</guid><pubDate>Tue, 10 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>` + down.URL + `/gone</link><guid>gone</guid><pubDate>Tue, 10 Mar 2026 05:00:00 GMT</pubDate></item>
</channel></rss>`
	})
	down.Config.Handler = wrap404(down.Config.Handler, "/gone")
	st := sqlitetest.Open(t, filepath.Join(t.TempDir(), "r.db"))
	river := model.Source{Name: "River Desk", FeedURL: flaky.URL + "/feed", Every: 30 * time.Minute}
	busy := model.Source{Name: "Busy", FeedURL: down.URL + "/feed", Every: 30 * time.Minute}
	for _, s := range []*model.Source{&river, &busy} {
		id, _, err := st.AddSource(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		s.ID = id
	}
	clk := &clock{time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	client := fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1, Retries: -1})
	watcher := New(st, Options{Client: client, Now: clk.now, Ingest: ingest.Options{Workers: 1}})
	round := func() map[string]Poll {
		t.Helper()
		polls, err := watcher.Round(ctx)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]Poll{}
		for _, p := range polls {
			by[p.Source] = p
		}
		return by
	}

	// First poll, oldest first: the gone page rejected; a1's 429 leaves
	// a2 unasked on the same host; b1's 503 waits too.
	p := round()["River Desk"]
	if p.New != 4 || p.Rejected != 1 || p.Retrying != 3 || p.Ingested != 0 {
		t.Fatalf("first poll = %+v; want gone rejected, three items retrying", p)
	}
	if flaky.hit("/p/a1") != 1 || flaky.hit("/p/a2") != 0 || down.hit("/p/b1") != 1 {
		t.Errorf("hits a1 %d a2 %d b1 %d; want 1, 0 (its host had just failed), 1", flaky.hit("/p/a1"), flaky.hit("/p/a2"), down.hit("/p/b1"))
	}
	// The feed that asked for an hour is not due at the half hour.
	b, err := st.GetSource(ctx, busy.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.NextPoll == nil || !b.NextPoll.Equal(clk.t.Add(time.Hour)) || !strings.Contains(b.LastError, "429") {
		t.Errorf("busy feed: next poll %v, last error %q; want in an hour, the 429", b.NextPoll, b.LastError)
	}

	// Next poll: a1 and a2 come; b1 fails again.
	clk.t = clk.t.Add(31 * time.Minute)
	p = round()["River Desk"]
	if p.New != 0 || p.Retried != 3 || p.Ingested != 2 || p.Retrying != 1 || p.Rejected != 0 {
		t.Fatalf("second poll = %+v; want a1 and a2 ingested, b1 still retrying", p)
	}
	as, _ := st.ListArticles(ctx, store.ListOptions{})
	if len(as) != 2 {
		t.Fatalf("%d articles; want 2", len(as))
	}
	for _, a := range as {
		if a.Source != "River Desk" || a.Published == nil || a.Published.Day() != 10 || a.Published.Hour() < 6 || a.Published.Hour() > 7 {
			t.Errorf("retried article %s: source %q, published %v; want the feed's date", a.URL, a.Source, a.Published)
		}
	}

	// b1 is given up after maxAttempts fetches, then left alone.
	for i := 0; i < maxAttempts+1; i++ {
		clk.t = clk.t.Add(31 * time.Minute)
		round()
	}
	// The busy feed, failing at every poll, waits longer each time: an
	// hour (its Retry-After) after the first and second failures, then
	// two hours after the third.
	if b, _ := st.GetSource(ctx, busy.ID); b.Failures != 3 || b.NextPoll == nil || b.LastPoll == nil || b.NextPoll.Sub(*b.LastPoll) != 2*time.Hour {
		t.Errorf("busy feed: %d failures, last poll %v, next %v; want 3, then two hours", b.Failures, b.LastPoll, b.NextPoll)
	}
	if n := down.hit("/p/b1"); n != maxAttempts {
		t.Errorf("b1 fetched %d times; want %d", n, maxAttempts)
	}
	left, _ := st.RetryItems(ctx, river.ID, 10)
	if len(left) != 0 {
		t.Errorf("items still waiting: %+v", left)
	}
	items, _ := st.SourceItems(ctx, river.ID, 10)
	outcome := map[string]model.FeedItem{}
	for _, it := range items {
		outcome[it.GUID] = it
	}
	if it := outcome["b1"]; it.Outcome != string(ingest.Rejected) || !strings.Contains(it.Reason, "gave up after 5 attempts") || !strings.Contains(it.Reason, "503") {
		t.Errorf("b1 = %+v; want rejected after %d attempts", it, maxAttempts)
	}
	if it := outcome["a1"]; it.Outcome != string(ingest.Ingested) || it.Attempts != 1 {
		t.Errorf("a1 = %+v; want ingested, one failed attempt kept", it)
	}
	rej, _ := st.ListRejections(ctx)
	var named bool
	for _, r := range rej {
		named = named || r.Input == down.URL+"/p/b1" && strings.Contains(r.Reason, "gave up")
	}
	if !named {
		t.Errorf("no rejection recorded for b1: %+v", rej)
	}
}

// wrap404 answers path with a 404 and passes everything else to h.
func wrap404(h http.Handler, path string) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			http.NotFound(rw, r)
			return
		}
		h.ServeHTTP(rw, r)
	})
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestWatchersShareSources: two watchers on one database, each with its
// own connection, run their rounds at once; every due source is polled
// by exactly one of them, and every page fetched once. On SQLite (two
// handles on one file) and on PostgreSQL.
func TestWatchersShareSources(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) func() store.Store
	}{
		{"sqlite", func(t *testing.T) func() store.Store {
			path := filepath.Join(t.TempDir(), "share.db")
			return func() store.Store { return sqlitetest.Open(t, path) }
		}},
		{"postgres", func(t *testing.T) func() store.Store {
			dsn := pgtest.DSN(t)
			return func() store.Store {
				st, err := postgres.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			var mu sync.Mutex
			feeds, pages := map[string]int{}, map[string]int{}
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(rw, r)
					return
				}
				name := strings.TrimPrefix(r.URL.Path, "/")
				mu.Lock()
				if strings.HasPrefix(name, "feed") {
					feeds[name]++
				} else {
					pages[name]++
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond) // long enough for the rounds to overlap
				if n, ok := strings.CutPrefix(name, "feed"); ok {
					rw.Header().Set("Content-Type", "application/feed+json")
					fmt.Fprintf(rw, `{"version":"https://jsonfeed.org/version/1.1","title":"Desk %[2]s",
"items":[{"id":"i%[2]s","url":"%[1]s/story%[2]s","date_published":"2026-03-14T0%[2]s:00:00Z"}]}`, "http://"+r.Host, n)
					return
				}
				rw.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(rw, page("Desk report "+name, "The desk numbered "+name+" filed its own report on the council budget vote, with figures nobody else had."))
			}))
			t.Cleanup(srv.Close)
			open := db.open(t)
			first := open()
			const n = 6
			for i := 1; i <= n; i++ {
				if _, _, err := first.AddSource(ctx, &model.Source{Name: fmt.Sprintf("Desk %d", i), FeedURL: fmt.Sprintf("%s/feed%d", srv.URL, i), Every: time.Hour}); err != nil {
					t.Fatal(err)
				}
			}
			clk := &clock{time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)}
			client := fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1, Retries: -1})
			watchers := []*Watcher{
				New(first, Options{Client: client, Now: clk.now, Ingest: ingest.Options{Workers: 1}}),
				New(open(), Options{Client: client, Now: clk.now, Ingest: ingest.Options{Workers: 1}}),
			}
			polls := make([][]Poll, len(watchers))
			var wg sync.WaitGroup
			errs := make(chan error, len(watchers))
			for i, w := range watchers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					polls[i], err = w.Round(ctx)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(polls[0])+len(polls[1]) != n {
				t.Errorf("polls %d + %d; want %d in all", len(polls[0]), len(polls[1]), n)
			}
			mu.Lock()
			for i := 1; i <= n; i++ {
				if f, p := feeds[fmt.Sprintf("feed%d", i)], pages[fmt.Sprintf("story%d", i)]; f != 1 || p != 1 {
					t.Errorf("desk %d: feed fetched %d times, page %d; want once each", i, f, p)
				}
			}
			mu.Unlock()
			if c, _ := first.CountArticles(ctx); c != n {
				t.Errorf("%d articles; want %d", c, n)
			}
			// Nothing is due again until the interval passes.
			if again, _ := watchers[1].Round(ctx); len(again) != 0 {
				t.Errorf("a second round polled %d sources again", len(again))
			}
		})
	}
}

func TestFailedWait(t *testing.T) {
	half := 30 * time.Minute
	busy := fmt.Errorf("fetch x: %w", &fetch.StatusError{Code: 429, RetryAfter: 3 * time.Hour})
	for _, tc := range []struct {
		every    time.Duration
		failures int // before this one
		err      error
		want     time.Duration
	}{
		{half, 0, errors.New("timeout"), half},
		{half, 1, errors.New("timeout"), time.Hour},
		{half, 2, errors.New("timeout"), 2 * time.Hour},
		{half, 5, errors.New("timeout"), 16 * time.Hour},
		{half, 6, errors.New("timeout"), 24 * time.Hour},
		{half, 1000, errors.New("timeout"), 24 * time.Hour},
		{48 * time.Hour, 3, errors.New("timeout"), 48 * time.Hour}, // never sooner than its interval
		{half, 0, busy, 3 * time.Hour},
		{half, 3, busy, 4 * time.Hour}, // the longer of the two
		{half, 0, &fetch.StatusError{Code: 503, RetryAfter: fetch.MaxRetryAfterHeader}, 24 * time.Hour},
	} {
		s := model.Source{Every: tc.every, Failures: tc.failures}
		if got := failedWait(s, tc.err); got != tc.want {
			t.Errorf("failedWait(every %v, %d failures, %v) = %v; want %v", tc.every, tc.failures, tc.err, got, tc.want)
		}
	}
}

// TestWatchQueueOutcomes: pages a watcher hands to the PostgreSQL work
// queue are recorded as queued, and get their outcome (ingested, with
// the article) once the linker has written them; a page the watcher
// refused itself keeps its own.
func TestWatchQueueOutcomes(t *testing.T) {
	ctx := context.Background()
	w := newWeb(t)
	dsn := pgtest.DSN(t)
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := queue.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	id, _, err := st.AddSource(ctx, &model.Source{Name: "Meridian Wire", FeedURL: w.URL + "/rss", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{time.Date(2026, 3, 14, 14, 0, 0, 0, time.UTC)}
	watcher := New(st, Options{Client: fetch.New(fetch.Options{AllowPrivate: true, HostDelay: -1, Retries: -1}), Now: clk.now, Enqueue: q.Enqueue})
	polls, err := watcher.Round(ctx)
	if err != nil || len(polls) != 1 || polls[0].Queued != 3 {
		t.Fatalf("Round = %+v, %v; want 3 pages queued", polls, err)
	}
	outcomes := func() map[string]model.FeedItem {
		items, err := st.SourceItems(ctx, id, 20)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]model.FeedItem{}
		for _, it := range items {
			by[it.GUID] = it
		}
		return by
	}
	if got := outcomes(); got["w1"].Outcome != "queued" || got["w6"].Outcome != "queued" {
		t.Fatalf("before the workers: %+v", got)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Work(wctx, st, queue.WorkOptions{Concurrency: 1}) }()
	if err := q.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	stop()
	<-done
	got := outcomes()
	for _, guid := range []string{"w1", "w2", "w6"} {
		if it := got[guid]; it.Outcome != string(ingest.Ingested) || it.ArticleID == "" {
			t.Errorf("item %s after the linker = %+v; want ingested with its article", guid, it)
		}
	}
	if it := got["w3"]; it.Outcome != string(ingest.Rejected) || !strings.Contains(it.Reason, "robots.txt") {
		t.Errorf("robots-refused item = %+v", it)
	}
	if n, _ := st.CountArticles(ctx); n != 3 {
		t.Errorf("%d articles; want 3", n)
	}
}
