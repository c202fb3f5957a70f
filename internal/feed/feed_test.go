package feed

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	tests := []struct {
		file, title, home, lang string
		urls                    []string // newest first
		dropped                 map[string]int
	}{
		{"rss.xml", "Meridian Wire — World", "https://wire.example/", "en-gb",
			[]string{"https://wire.example/2026/03/bus", "https://wire.example/2026/03/ferry", "https://wire.example/undated"},
			map[string]int{"no link": 1, "duplicate guid": 1}},
		{"atom.xml", "Le Courrier", "https://courrier.example/", "fr",
			[]string{"https://courrier.example/greve", "https://courrier.example/incendie"}, map[string]int{}},
		{"feed.json", "Civic Ledger", "https://ledger.example/", "en",
			[]string{"https://ledger.example/a"}, map[string]int{"no link": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := Parse(read(t, tc.file), "https://wire.example/feeds/world.rss")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tc.title || f.Home != tc.home || f.Language != tc.lang {
				t.Errorf("feed = %q %q %q; want %q %q %q", f.Title, f.Home, f.Language, tc.title, tc.home, tc.lang)
			}
			var urls []string
			for _, it := range f.Items {
				urls = append(urls, it.URL)
				if it.GUID == "" {
					t.Errorf("item %s has no GUID", it.URL)
				}
			}
			if fmt.Sprint(urls) != fmt.Sprint(tc.urls) {
				t.Errorf("items = %v; want %v", urls, tc.urls)
			}
			if fmt.Sprint(f.Dropped) != fmt.Sprint(tc.dropped) {
				t.Errorf("dropped = %v; want %v", f.Dropped, tc.dropped)
			}
		})
	}
	rss, _ := Parse(read(t, "rss.xml"), "https://wire.example/")
	if p := rss.Items[0].Published; p == nil || p.Format("2006-01-02T15:04Z07:00") != "2026-03-15T08:30Z" {
		t.Errorf("bus crash published = %v; want 2026-03-15 08:30 UTC", p)
	}
}

func TestParseNotFeeds(t *testing.T) {
	for name, body := range map[string]string{
		"html page": string(read(t, "page.html")),
		"empty":     "  ",
		"plain":     "hello",
		"broken":    "<rss><channel><item><title>x",
	} {
		_, err := Parse([]byte(body), "")
		if !errors.Is(err, ErrNotFeed) {
			t.Errorf("%s: %v; want ErrNotFeed", name, err)
		}
		if name == "html page" && (err == nil || !strings.Contains(err.Error(), "HTML page")) {
			t.Errorf("html page: %v; want it called an HTML page", err)
		}
	}
}

func TestManyItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Big</title>`)
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, `<item><title>t%d</title><link>https://big.example/%d</link></item>`, i, i)
	}
	b.WriteString(`</channel></rss>`)
	f, err := Parse([]byte(b.String()), "")
	if err != nil || len(f.Items) != 10000 || f.Items[9999].URL != "https://big.example/9999" {
		t.Fatalf("10,000 items: %v, %d", err, len(f.Items))
	}
}

func TestDiscover(t *testing.T) {
	got := Discover(read(t, "page.html"), "https://wire.example/world/")
	want := []string{"https://wire.example/feeds/world.rss", "https://wire.example/feeds/all.atom"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Discover = %v; want %v", got, want)
	}
	if got := Discover([]byte("<p>no head"), ""); len(got) != 0 {
		t.Errorf("Discover(no links) = %v", got)
	}
	if !IsFeed(read(t, "atom.xml")) || IsFeed(read(t, "page.html")) {
		t.Errorf("IsFeed wrong")
	}
}

func TestParseOPML(t *testing.T) {
	subs, skipped, err := ParseOPML(read(t, "subscriptions.opml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Subscription{
		{Title: "Meridian Wire", FeedURL: "https://wire.example/feeds/world.rss", Home: "https://wire.example/", Category: "Wires"},
		{Title: "Le Courrier", FeedURL: "https://courrier.example/atom.xml", Language: "fr", Category: "Wires/Europe"},
		{Title: "Civic Ledger", FeedURL: "https://ledger.example/feed.json"},
	}
	if fmt.Sprint(subs) != fmt.Sprint(want) || skipped != 2 {
		t.Errorf("ParseOPML = %+v, skipped %d; want %+v, 2", subs, skipped, want)
	}
	for _, bad := range []string{"", "<html><body/></html>", "not xml at all", string(read(t, "rss.xml"))} {
		if _, _, err := ParseOPML([]byte(bad)); !errors.Is(err, ErrNotOPML) {
			t.Errorf("ParseOPML(%.20q) = %v; want ErrNotOPML", bad, err)
		}
	}
}

// TestOPMLRoundTrip: what WriteOPML writes, ParseOPML reads back, with
// nested folders, crosscheck's own attributes and text that needs
// escaping; other readers see a plain OPML list.
func TestOPMLRoundTrip(t *testing.T) {
	subs := []Subscription{
		{Title: "Meridian Wire", FeedURL: "https://wire.example/feeds/world.rss", Home: "https://wire.example/", Category: "Wires", Role: "wire", Every: 10 * time.Minute},
		{Title: "Le Courrier & \"Fils\" <1887>", FeedURL: "https://courrier.example/atom.xml?a=1&b=2", Language: "fr", Category: "Wires/Europe", Role: "outlet", Every: 30 * time.Minute},
		{Title: "NewsStack", FeedURL: "https://newsstack.example/feed.json", Role: "aggregator", Every: time.Hour},
		{Title: "Civic Ledger", FeedURL: "https://ledger.example/feed.json", Category: "Local", Every: 2 * time.Hour},
	}
	var b bytes.Buffer
	if err := WriteOPML(&b, "crosscheck sources", subs); err != nil {
		t.Fatal(err)
	}
	back, skipped, err := ParseOPML(b.Bytes())
	if err != nil || skipped != 0 {
		t.Fatalf("ParseOPML(WriteOPML) = %v, skipped %d\n%s", err, skipped, b.String())
	}
	byFeed := map[string]Subscription{}
	for _, s := range back {
		byFeed[s.FeedURL] = s
	}
	for _, want := range subs {
		if got := byFeed[want.FeedURL]; got != want {
			t.Errorf("round trip = %+v; want %+v", got, want)
		}
	}
	if !strings.Contains(b.String(), `xmlns:crosscheck="`+OPMLNamespace+`"`) || !strings.Contains(b.String(), `<outline text="Europe">`) {
		t.Errorf("WriteOPML output lacks the namespace or the nested folder:\n%s", b.String())
	}
	// A foreign prefix bound to the same namespace reads the same; an
	// interval that is not a duration is dropped.
	other := `<opml version="2.0" xmlns:cc="` + OPMLNamespace + `"><body><outline text="X" xmlUrl="https://x.example/rss" cc:role="wire" cc:every="soon"/></body></opml>`
	if got, _, err := ParseOPML([]byte(other)); err != nil || len(got) != 1 || got[0].Role != "wire" || got[0].Every != 0 {
		t.Errorf("ParseOPML(other prefix) = %+v, %v", got, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"rss.xml", "atom.xml", "feed.json", "page.html"} {
		f.Add(read(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		feed, err := Parse(b, "https://base.example/")
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if !strings.HasPrefix(it.URL, "http") || it.GUID == "" {
				t.Fatalf("item %+v", it)
			}
		}
	})
}

func FuzzOPML(f *testing.F) {
	f.Add(read(f, "subscriptions.opml"))
	f.Add([]byte("<opml><body><outline xmlUrl='http://x'><outline/></outline></body></opml>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		subs, _, err := ParseOPML(b)
		if err != nil {
			return
		}
		for _, s := range subs {
			if !strings.HasPrefix(s.FeedURL, "http") {
				t.Fatalf("subscription %+v", s)
			}
		}
		// Whatever was read, written out, reads back as the same feeds.
		var w bytes.Buffer
		if err := WriteOPML(&w, "fuzz", subs); err != nil {
			t.Fatal(err)
		}
		back, _, err := ParseOPML(w.Bytes())
		if err != nil {
			t.Fatalf("ParseOPML(WriteOPML) = %v\n%s", err, w.String())
		}
		want := map[string]int{}
		for _, s := range subs {
			want[s.FeedURL]++
		}
		for _, s := range back {
			want[s.FeedURL]--
		}
		for u, n := range want {
			if n != 0 {
				t.Fatalf("feed %q: %d more read than written back\n%s", u, n, w.String())
			}
		}
	})
}

func FuzzDiscover(f *testing.F) {
	f.Add(read(f, "page.html"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, u := range Discover(b, "https://base.example/") {
			if !strings.HasPrefix(u, "http") {
				t.Fatalf("discovered %q", u)
			}
		}
	})
}
