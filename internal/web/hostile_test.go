package web

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostile are strings an attacker types into a search box, a filter or a
// URL: SQL and FTS syntax, NUL bytes, traversal, huge numbers, a long
// string.
var hostile = []string{
	`' OR '1'='1`,
	`"; DROP TABLE articles; --`,
	`1); DELETE FROM articles; --`,
	`%' UNION SELECT sqlite_version(), 1, 2 --`,
	`1 OR 1=1`,
	`NEAR(ferry capsizes) OR title:*`,
	`"unterminated`,
	"nul\x00byte",
	`../../../../etc/passwd`,
	`-1`,
	`99999999999999999999999`,
	`2026-13-45`,
	`<script>alert(1)</script>`,
	strings.Repeat("a", 10000),
}

// TestHostileParameters sends every hostile string in every query
// parameter of every GET route, and as every path value: no answer is a
// server error or leaks SQL, and the data is intact afterwards.
func TestHostileParameters(t *testing.T) {
	ts, a := newTestServer(t)
	routes := []string{"/", "/articles", "/conflicts", "/map", "/rejections", "/search", "/sources", "/entities", "/compare", "/login",
		"/api/stories", "/api/conflicts", "/api/articles", "/api/rejections", "/api/search", "/api/sources", "/api/places", "/api/entities"}
	params := []string{"q", "source", "language", "story", "entity", "place", "from", "to", "page", "order", "type", "format", "a", "b", "next"}
	withPath := []string{"/stories/%s", "/articles/%s", "/entities/%s", "/lineages/%s", "/compare/%s/%s",
		"/api/stories/%s", "/api/articles/%s", "/api/articles/%s/derivations", "/api/entities/%s", "/api/lineages/%s", "/api/compare/%s/%s"}
	requests := 0
	// What SQLite and PostgreSQL say when a query goes wrong; a page that
	// says it has passed the input into SQL.
	leaks := []string{"syntax error", "sqlstate", "no such table", "no such column", "sql logic", "unrecognized token", "fts5", "root:x:"}
	check := func(u, h string) {
		t.Helper()
		requests++
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %.120s: %v", u, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The input may be echoed ("article X: not found"); that is not a leak.
		low := strings.ToLower(string(body))
		for _, echo := range []string{h, html.EscapeString(h), strings.ReplaceAll(html.EscapeString(h), "&#34;", "&quot;")} {
			low = strings.ReplaceAll(low, strings.ToLower(echo), "")
		}
		if resp.StatusCode >= 500 {
			t.Errorf("GET %.120s = %d %.200s", u, resp.StatusCode, body)
		}
		for _, l := range leaks {
			if strings.Contains(low, l) {
				t.Errorf("GET %.120s = %d, says %q: %.300s", u, resp.StatusCode, l, body)
			}
		}
	}
	for _, h := range hostile {
		for _, r := range routes {
			for _, p := range params {
				check(ts.URL+r+"?"+url.Values{p: {h}}.Encode(), h)
			}
		}
		for _, f := range withPath {
			esc := url.PathEscape(h)
			check(ts.URL+strings.ReplaceAll(f, "%s", esc), h)
		}
	}
	t.Logf("%d requests", requests)
	resp, body := get(t, ts.URL+"/api/articles/"+a.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, a.ID) {
		t.Errorf("the article is gone after the hostile requests: %d %.200s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+"/api/rejections")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "in/empty.txt") {
		t.Errorf("rejections changed after the hostile requests: %d %.200s", resp.StatusCode, body)
	}
}

// TestStaticTraversal: the one file-serving route serves its embedded
// files by exact name; no spelling of a path climbs out of it.
func TestStaticTraversal(t *testing.T) {
	ts, _ := newTestServer(t)
	for _, p := range []string{
		"/static/../../../../etc/passwd",
		"/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
		"/static/%2e%2e/%2e%2e/go.mod",
		"/static/..%5c..%5cgo.mod",
		"/static/%252e%252e%252fgo.mod",
		"/static/....//....//etc/passwd",
		"/static/app.js%00.png",
		"/static/",
		"/static/templates/base.html",
		"/../../etc/passwd",
	} {
		req, _ := http.NewRequest("GET", ts.URL+p, nil)
		req.URL.Opaque = p // sent as written, not cleaned by the client
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK || strings.Contains(string(body), "root:") || strings.Contains(string(body), "module ") {
			t.Errorf("GET %s = %d %.100s", p, resp.StatusCode, body)
		}
	}
}

// TestBodyLimits: a form body over the limit is refused before anything
// reads it, on every write route, and nothing is written.
func TestBodyLimits(t *testing.T) {
	ts, a := newTestServer(t)
	big := "why=" + strings.Repeat("x", 100<<10)
	for _, p := range []string{"/overrides", "/stories/1/corrections", "/stories/1/claims", "/entities/1/aliases", "/login"} {
		resp, err := http.Post(ts.URL+p, "application/x-www-form-urlencoded", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("POST %s with a 100 KiB body = %d; want a 4xx refusal", p, resp.StatusCode)
		}
	}
	resp, body := get(t, ts.URL+"/api/articles/"+a.ID)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, `"override`) && strings.Contains(body, "xxxx") {
		t.Errorf("article after refused writes: %d %.200s", resp.StatusCode, body)
	}
}
