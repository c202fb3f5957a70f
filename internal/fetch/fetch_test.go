package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// server is a misbehaving web on loopback: every path is one case.
func server(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var flaky atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.05\n\nUser-agent: EvilBot\nDisallow: /\n")
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sat, 14 Mar 2026 09:00:00 GMT")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body><p>hello</p></body></html>")
	})
	mux.HandleFunc("/private/page", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") })
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		// 429 with Retry-After: 1 once, then fine.
		if flaky.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "served after waiting")
	})
	mux.HandleFunc("/busy-long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
		if n == 0 {
			fmt.Fprint(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/private/page", http.StatusFound) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		// 50 MB, streamed without a length.
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for i := 0; i < 50; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/huge-announced", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		w.Write([]byte("a"))
	})
	bomb := gzipBomb() // made before any request, not under the client's timeout
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		w.Write(bomb)
	})
	mux.HandleFunc("/cyrillic", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1251")
		w.Write([]byte{0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2}) // "Привет"
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &flaky
}

// gzipBomb is 64 MiB of zeros (six times the default cap) in about 64 KB
// of gzip, made once.
var gzipBomb = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		zw.Write(zero)
	}
	zw.Close()
	return b.Bytes()
})

func client(opts Options) *Client {
	opts.AllowPrivate = true // the test server is on loopback
	if opts.Backoff == 0 {
		opts.Backoff = 10 * time.Millisecond
	}
	if opts.HostDelay == 0 {
		opts.HostDelay = -1
	}
	return New(opts)
}

func TestGet(t *testing.T) {
	srv, _ := server(t)
	ctx := context.Background()
	c := client(Options{Timeout: 2 * time.Second})
	tests := []struct {
		name, path string
		want       error  // an error category, or nil
		status     int    // a final StatusError code
		body       string // a body prefix when it succeeds
	}{
		{"plain page", "/ok", nil, 0, "<html>"},
		{"robots.txt disallows", "/private/page", ErrDisallowed, 0, ""},
		{"redirect into a disallowed path", "/to-private", ErrDisallowed, 0, ""},
		{"redirect loop", "/loop-a", ErrRedirects, 0, ""},
		{"five redirects are followed", "/hop/5", nil, 0, "arrived"},
		{"twenty are not", "/hop/20", ErrRedirects, 0, ""},
		{"50 MB streamed", "/huge", ErrTooLarge, 0, ""},
		{"50 MB announced", "/huge-announced", ErrTooLarge, 0, ""},
		{"gzip bomb", "/bomb", ErrTooLarge, 0, ""},
		{"gone is final", "/gone", nil, 410, ""},
		{"bad gateway after retries", "/down", nil, 502, ""},
		{"Retry-After beyond the cap", "/busy-long", nil, 429, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Get(ctx, Request{URL: srv.URL + tc.path})
			var se *StatusError
			switch {
			case tc.want != nil:
				if !errors.Is(err, tc.want) {
					t.Fatalf("Get(%s) = %v; want %v", tc.path, err, tc.want)
				}
			case tc.status != 0:
				if !errors.As(err, &se) || se.Code != tc.status {
					t.Fatalf("Get(%s) = %v; want HTTP %d", tc.path, err, tc.status)
				}
			default:
				if err != nil || !strings.HasPrefix(string(resp.Body), tc.body) {
					t.Fatalf("Get(%s) = %v; want body %q", tc.path, err, tc.body)
				}
			}
			if err != nil && !strings.Contains(err.Error(), tc.path) && !strings.Contains(err.Error(), "/robots.txt") {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
	var se *StatusError
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/busy-long"}); !errors.As(err, &se) || se.RetryAfter != time.Hour {
		t.Errorf("Retry-After: 3600 = %v; want a StatusError asking for an hour", err)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	srv, calls := server(t)
	c := client(Options{})
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/busy"})
	if err != nil || string(resp.Body) != "served after waiting" || calls.Load() != 2 {
		t.Fatalf("429 then 200: %v, %d calls", err, calls.Load())
	}
}

func TestConditionalGet(t *testing.T) {
	srv, _ := server(t)
	c := client(Options{})
	ctx := context.Background()
	first, err := c.Get(ctx, Request{URL: srv.URL + "/ok"})
	if err != nil || first.ETag != `"v1"` || first.LastModified == "" || first.NotModified {
		t.Fatalf("first Get = %+v, %v", first, err)
	}
	again, err := c.Get(ctx, Request{URL: srv.URL + "/ok", ETag: first.ETag, LastModified: first.LastModified})
	if err != nil || !again.NotModified || len(again.Body) != 0 {
		t.Fatalf("conditional Get = %+v, %v; want 304", again, err)
	}
}

func TestTimeout(t *testing.T) {
	srv, _ := server(t)
	c := client(Options{Timeout: 200 * time.Millisecond, Retries: -1})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/slow"})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("slow endpoint = %v; want a timeout", err)
	}
	// Cancelling the context ends a fetch too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/ok"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Get = %v", err)
	}
}

func TestCharsetKept(t *testing.T) {
	srv, _ := server(t)
	resp, err := client(Options{}).Get(context.Background(), Request{URL: srv.URL + "/cyrillic"})
	if err != nil || resp.ContentType != "text/html; charset=windows-1251" || len(resp.Body) != 6 {
		t.Fatalf("windows-1251 page = %+v, %v; want its bytes and content type", resp, err)
	}
}

func TestRobots(t *testing.T) {
	srv, _ := server(t)
	c := client(Options{})
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/ok"}); err != nil {
		t.Fatal(err)
	}
	// Crawl-delay: 0.05 s slows this host down to 20 requests a second.
	h := c.host(strings.TrimPrefix(srv.URL, "http://"))
	if got := h.limiter.Limit(); got != rate.Every(50*time.Millisecond) {
		t.Errorf("after Crawl-delay 0.05 the host's rate is %v/s; want 20/s", got)
	}
	evil := client(Options{UserAgent: "EvilBot/1.0"})
	if _, err := evil.Get(context.Background(), Request{URL: srv.URL + "/ok"}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("EvilBot = %v; want disallowed", err)
	}
	// Ignoring robots is for inputs the user owns.
	own := client(Options{IgnoreRobots: true})
	if _, err := own.Get(context.Background(), Request{URL: srv.URL + "/private/page"}); err != nil {
		t.Errorf("IgnoreRobots = %v", err)
	}
}

func TestPrivateRefused(t *testing.T) {
	srv, _ := server(t)
	c := New(Options{Retries: -1})
	for _, u := range []string{srv.URL + "/ok", "http://localhost:1/", "http://[::1]:1/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"} {
		if _, err := c.Get(context.Background(), Request{URL: u}); !errors.Is(err, ErrPrivate) {
			t.Errorf("Get(%s) = %v; want refused as private", u, err)
		}
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://x", "not a url", ""} {
		if _, err := c.Get(context.Background(), Request{URL: u}); !errors.Is(err, ErrScheme) {
			t.Errorf("Get(%q) = %v; want refused scheme", u, err)
		}
	}
	for ip, want := range map[string]bool{"127.0.0.1": true, "10.1.2.3": true, "192.168.0.1": true, "172.16.5.4": true, "169.254.169.254": true,
		"100.64.0.1": true, "0.0.0.0": true, "::1": true, "fe80::1": true, "fc00::1": true, "8.8.8.8": false, "2001:4860:4860::8888": false, "93.184.216.34": false} {
		if got := private(net.ParseIP(ip)); got != want {
			t.Errorf("private(%s) = %v; want %v", ip, got, want)
		}
	}
}

func TestRetryAfterHeader(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{" 120 ", 2 * time.Minute},
		{"-5", 0},
		{"soon", 0},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 0}, // in the past
		{"2592000", MaxRetryAfterHeader},
		{"2592001", MaxRetryAfterHeader},
		// Seconds whose nanoseconds overflow int64 (and one past uint64):
		// a wait longer than any, not a negative or a wrapped one.
		{"9223372037", MaxRetryAfterHeader},
		{"18446744074", MaxRetryAfterHeader},
		{"99999999999999999999999", MaxRetryAfterHeader},
	} {
		if got := retryAfter(tc.in); got != tc.want {
			t.Errorf("retryAfter(%q) = %v; want %v", tc.in, got, tc.want)
		}
	}
	future := time.Now().Add(90 * 24 * time.Hour).UTC().Format(http.TimeFormat)
	if got := retryAfter(future); got != MaxRetryAfterHeader {
		t.Errorf("retryAfter(%q) = %v; want the cap", future, got)
	}
	soon := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	if got := retryAfter(soon); got < 58*time.Minute || got > time.Hour {
		t.Errorf("retryAfter(%q) = %v; want about an hour", soon, got)
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "120", "9223372037", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := retryAfter(s); d < 0 || d > MaxRetryAfterHeader {
			t.Fatalf("retryAfter(%q) = %v; want within [0, %v]", s, d, MaxRetryAfterHeader)
		}
	})
}

func TestTemporary(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&StatusError{Code: 429}, true},
		{&StatusError{Code: 408}, true},
		{&StatusError{Code: 503}, true},
		{fmt.Errorf("fetch x: %w", &StatusError{Code: 500}), true},
		{&StatusError{Code: 404}, false},
		{&StatusError{Code: 410}, false},
		{ErrDisallowed, false},
		{ErrTooLarge, false},
		{ErrRedirects, false},
		{&net.OpError{Op: "dial", Err: ErrPrivate}, false},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{io.ErrUnexpectedEOF, true},
	} {
		if got := Temporary(tc.err); got != tc.want {
			t.Errorf("Temporary(%v) = %v; want %v", tc.err, got, tc.want)
		}
	}
}
