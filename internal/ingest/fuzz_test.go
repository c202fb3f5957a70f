package ingest

import (
	"bytes"
	"context"
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
