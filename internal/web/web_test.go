package web

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`

func newTestServer(t *testing.T) (*httptest.Server, *model.Article) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub := time.Date(2026, 3, 14, 8, 40, 0, 0, time.UTC)
	a := &model.Article{Key: "url:https://x.test/a", Source: "Meridian Wire", URL: "javascript:alert(1)", Path: "in/a.html", Format: "html",
		Title: "Ferry capsizes " + xss, Published: &pub, Language: "en",
		Text:    "First paragraph " + xss + ".\n\nSecond paragraph.",
		Removed: []model.Removal{{Line: 12, Text: "Comments are closed.", Reason: "known-phrase"}}}
	a.ID = model.ArticleID(a.Key)
	sw, err := story.New(st, nil).Assign(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutArticle(context.Background(), store.ArticleWrite{Article: a, Story: sw}); err != nil {
		t.Fatal(err)
	}
	st.RecordRejection(context.Background(), model.Rejection{Input: "in/empty.txt", Reason: "empty file"})
	srv, err := New(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, a
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPages(t *testing.T) {
	ts, a := newTestServer(t)
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Stories", "/stories/1", "Ferry capsizes &lt;script&gt;", "14 Mar 2026 08:40"}},
		{"/?order=sources", 200, []string{"/stories/1", "most independent reports first"}},
		{"/stories/1", 200, []string{"Ferry capsizes", "1 independent report", "/articles/" + a.ID, "Meridian Wire", "first report"}},
		{"/articles", 200, []string{"Articles", "Meridian Wire", "/articles/" + a.ID, "14 Mar 2026 08:40 UTC"}},
		{"/articles/" + a.ID, 200, []string{"First paragraph", "Second paragraph", "Comments are closed.", "known-phrase", "in/a.html"}},
		{"/rejections", 200, []string{"in/empty.txt", "empty file"}},
		{"/articles/nope", 404, []string{"not found"}},
		{"/articles?page=zero", 400, []string{"page must be a whole number"}},
		{"/?order=loudest", 400, []string{"order must be recent or sources"}},
		{"/stories/999", 404, []string{"not found"}},
		{"/stories/x", 400, []string{"story IDs are positive numbers"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, ts.URL+tc.path)
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s = %d; want %d", tc.path, resp.StatusCode, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: body lacks %q", tc.path, w)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP = %q", csp)
			}
			// Untrusted text is escaped, never markup.
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, `href="javascript:`) {
				t.Errorf("GET %s renders untrusted markup", tc.path)
			}
		})
	}
}

func TestAPI(t *testing.T) {
	ts, a := newTestServer(t)
	resp, body := get(t, ts.URL+"/api/articles")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/articles = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var list struct {
		Articles []struct {
			ID, Title, Text string
			Published       *string
		}
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Articles) != 1 {
		t.Fatalf("list = %s (%v)", body, err)
	}
	if got := list.Articles[0]; got.ID != a.ID || got.Title != a.Title || got.Published == nil || *got.Published != "2026-03-14T08:40:00Z" {
		t.Errorf("article = %+v", got)
	}
	resp, body = get(t, ts.URL+"/api/articles/"+a.ID)
	if resp.StatusCode != 200 || !strings.Contains(body, `"reason": "known-phrase"`) {
		t.Errorf("GET /api/articles/{id} = %d %s", resp.StatusCode, body)
	}
	for path, status := range map[string]int{"/api/articles/nope": 404, "/api/nothing": 404, "/api/articles?page=-1": 400} {
		resp, body := get(t, ts.URL+path)
		var e map[string]string
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != status || e["error"] == "" {
			t.Errorf("GET %s = %d %q; want %d with an error field", path, resp.StatusCode, body, status)
		}
	}
	resp, body = get(t, ts.URL+"/api/rejections")
	if !strings.Contains(body, "in/empty.txt") {
		t.Errorf("GET /api/rejections = %s", body)
	}
}

func TestStaticHashed(t *testing.T) {
	ts, _ := newTestServer(t)
	_, page := get(t, ts.URL+"/")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}-style\.css)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no hashed stylesheet link in page")
	}
	resp, body := get(t, ts.URL+m[1])
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(body, "font") {
		t.Errorf("GET %s = %d, cache %q", m[1], resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, ts.URL+"/static/../../etc/passwd"); resp.StatusCode == 200 {
		t.Errorf("path traversal served a file")
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	st, _ := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	defer st.Close()
	srv, err := New(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	if resp, _ := get(t, "http://"+addr+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v; want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true, "0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "bad": false} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v; want %v", addr, got, want)
		}
	}
}
