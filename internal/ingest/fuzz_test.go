package ingest

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzJSONLLine(f *testing.F) {
	for _, s := range []string{`{"text": "a b c d e f"}`, `{"html": "<p>x</p>", "published": "2026-01-01"}`, `{`, `null`, `{"text": 5}`, `{"url": "http://[::1", "text": "x y z w v"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		it := jsonlItem("f.jsonl:1", line, Options{})
		if it == nil {
			t.Fatal("nil item")
		}
		if it.page == nil && it.reason == "" {
			t.Fatalf("rejection without a reason for %q", line)
		}
		if it.page != nil {
			a, _, err := finish(context.Background(), nil, it.page, it.raw, Options{})
			if err == nil && (a.ID == "" || a.Key == "") {
				t.Fatalf("article without identity for %q", line)
			}
		}
	})
}

func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte("---\nsource: A\n---\nbody"))
	f.Add([]byte("---\n---"))
	f.Add([]byte("---\nno colon\n---\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		meta, body := splitFrontMatter(b)
		if meta == nil && !bytes.Equal(body, b) {
			t.Fatalf("input changed without front matter")
		}
		if utf8.Valid(b) && strings.Count(string(body), "\n") != strings.Count(string(b), "\n") {
			t.Fatalf("line count changed: %q → %q", b, body)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2026-03-01T09:30:00Z", "Mon, 02 Jan 2006 15:04:05 -0700", "9/11", "24/7", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if err == nil && tm.Location().String() != "UTC" {
			t.Fatalf("ParseTime(%q) not in UTC", s)
		}
	})
}

// FuzzCanonicalURL: an article's URL identity is "" or an absolute
// http(s) URL without fragment or credentials, and canonicalising it
// again changes nothing.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://Example.COM:443/a?utm_source=x&id=2#top", "http://user:pw@x.test:80/", "ftp://x.test/", "//x.test/a",
		"https://[::1]:8080/p?q", "https://xn--bcher-kva.example/ü", "javascript:alert(1)", " https://x.test/%zz", "https://x.test/a?b=1&b=2&a=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		c := canonicalURL(u)
		if c == "" {
			return
		}
		pu, err := url.Parse(c)
		if err != nil {
			t.Fatalf("canonicalURL(%q) = %q, which does not parse: %v", u, c, err)
		}
		if (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || pu.Fragment != "" || pu.User != nil {
			t.Fatalf("canonicalURL(%q) = %q: not an absolute http(s) URL without fragment and credentials", u, c)
		}
		if again := canonicalURL(c); again != c {
			t.Fatalf("canonicalURL is not stable: %q → %q → %q", u, c, again)
		}
	})
}
