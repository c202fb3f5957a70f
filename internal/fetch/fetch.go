package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// UserAgent is what crosscheck calls itself unless told otherwise.
const UserAgent = "crosscheck/1 (+https://github.com/crosscheck-news/crosscheck; news corroboration)"

// Error categories, for errors.Is.
var (
	// ErrDisallowed: robots.txt forbids the URL to crosscheck.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrPrivate: the URL resolves to a private, loopback or link-local
	// address and private fetching is not allowed.
	ErrPrivate = errors.New("refusing a private, loopback or link-local address (use --allow-private to allow it)")
	// ErrTooLarge: the body is over the size cap.
	ErrTooLarge = errors.New("response body over the size limit")
	// ErrRedirects: too many redirects, or a redirect loop.
	ErrRedirects = errors.New("too many redirects")
	// ErrScheme: not an http or https URL.
	ErrScheme = errors.New("not an http(s) URL")
)

// StatusError is a final HTTP error status.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from a 429 or 503 that was not waited out
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (server asks to retry after %s)", e.RetryAfter)
	}
	return s
}

// Options tune a Client. The zero value is polite and safe.
type Options struct {
	// UserAgent defaults to UserAgent.
	UserAgent string
	// Timeout bounds one request, body included; 0 means 30 s.
	Timeout time.Duration
	// MaxBytes caps a response body after decompression; 0 means 10 MiB.
	MaxBytes int64
	// MaxRedirects bounds redirects followed; 0 means 5.
	MaxRedirects int
	// Retries after a 429, a 5xx or a network error; 0 means 3, -1 none.
	Retries int
	// Backoff is the first retry's wait, doubled each time with jitter;
	// 0 means 1 s.
	Backoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured by waiting;
	// longer ones end the fetch with a StatusError. 0 means 2 minutes.
	MaxRetryAfter time.Duration
	// HostDelay is the least time between two requests to one host
	// (robots.txt Crawl-delay raises it); 0 means 1 s, -1 none.
	HostDelay time.Duration
	// AllowPrivate permits private, loopback and link-local addresses
	// (tests against a local server; an intranet).
	AllowPrivate bool
	// IgnoreRobots skips robots.txt (only for inputs the user owns).
	IgnoreRobots bool
}

// Request is one GET. ETag and LastModified, from an earlier Response,
// make it conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a fetched document.
type Response struct {
	// URL is where the body came from, after redirects.
	URL         string
	Status      int
	ContentType string
	Body        []byte
	// NotModified is true for a 304 answer to a conditional request;
	// Body is then empty.
	NotModified  bool
	ETag         string
	LastModified string
	FetchedAt    time.Time
}

// Client is the one HTTP client crosscheck fetches with: robots.txt and
// Crawl-delay honoured, one request at a time per host at a polite rate,
// conditional GET, retries with backoff and jitter that honour
// Retry-After, timeouts, a size cap, bounded redirects and a guard
// against private addresses. It is safe for concurrent use.
type Client struct {
	opts  Options
	http  *http.Client
	mu    sync.Mutex
	hosts map[string]*host
}

type host struct {
	mu      sync.Mutex // one robots.txt fetch at a time
	robots  *robotstxt.Group
	fetched time.Time
	limiter *rate.Limiter
}

// New returns a Client.
func New(opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 10 << 20
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = 5
	}
	if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = 2 * time.Minute
	}
	if opts.HostDelay == 0 {
		opts.HostDelay = time.Second
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivate {
		// Checked on the address actually dialled, after DNS, so a name
		// that resolves to 127.0.0.1 (or rebinds to it) is refused too.
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			h, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(h); ip == nil || private(ip) {
				return fmt.Errorf("%s: %w", h, ErrPrivate)
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the guard
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       60 * time.Second,
	}
	c := &Client{opts: opts, hosts: map[string]*host{}}
	c.http = &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return fmt.Errorf("%w (over %d)", ErrRedirects, opts.MaxRedirects)
			}
			for _, v := range via {
				if v.URL.String() == req.URL.String() {
					return fmt.Errorf("%w: a loop back to %s", ErrRedirects, req.URL)
				}
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: %w", req.URL, ErrScheme)
			}
			if !opts.IgnoreRobots {
				if err := c.allowed(req.Context(), req.URL); err != nil {
					return err
				}
			}
			return nil
		},
	}
	return c
}

// private reports addresses that are not the public internet.
func private(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() ||
		// 100.64.0.0/10 carrier-grade NAT and 0.0.0.0/8
		ip.To4() != nil && (ip.To4()[0] == 100 && ip.To4()[1]&0xc0 == 64 || ip.To4()[0] == 0)
}

// Get fetches one URL politely. A 304 is a Response with NotModified; any
// other final status outside 2xx is a *StatusError.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", r.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: %w", r.URL, ErrScheme)
	}
	if !c.opts.IgnoreRobots {
		if err := c.allowed(ctx, u); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
	}
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.once(ctx, u, r)
		if err == nil {
			return resp, nil
		}
		var se *StatusError
		if errors.As(err, &se) && retryAfter > 0 {
			se.RetryAfter = retryAfter
		}
		if !Temporary(err) || attempt >= c.opts.Retries || c.opts.Retries < 0 {
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
		wait := c.opts.Backoff << attempt
		wait += time.Duration(rand.Int64N(int64(wait)/2 + 1)) // jitter
		if retryAfter > 0 {
			if retryAfter > c.opts.MaxRetryAfter {
				return nil, fmt.Errorf("fetch %s: %w", u, se)
			}
			wait = retryAfter
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, fmt.Errorf("fetch %s: %w", u, ctx.Err())
		}
	}
}

// Temporary reports whether a fetch failed in a way that may pass: a
// 429, a 408 or a 5xx status, or a network error (a refused connection,
// a timeout, a body cut short). Robots.txt refusals, private addresses,
// size caps, redirect loops and other statuses are final.
func Temporary(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code == http.StatusRequestTimeout || se.Code >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) && !errors.Is(err, ErrPrivate) || errors.Is(err, io.ErrUnexpectedEOF)
}

// once is one request: rate-limited per host, body capped.
func (c *Client) once(ctx context.Context, u *url.URL, r Request) (*Response, time.Duration, error) {
	if err := c.host(u.Host).limiter.Wait(ctx); err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/json;q=0.9,*/*;q=0.5")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// The guard's and redirect errors come wrapped in *url.Error.
		for _, cat := range []error{ErrPrivate, ErrRedirects, ErrDisallowed, ErrScheme} {
			if errors.Is(err, cat) {
				return nil, 0, unwrapURL(err)
			}
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL.String(), Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), FetchedAt: time.Now().UTC()}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		return out, 0, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, retryAfter(resp.Header.Get("Retry-After")), &StatusError{Code: resp.StatusCode}
	}
	if resp.ContentLength > c.opts.MaxBytes {
		return nil, 0, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, resp.ContentLength, c.opts.MaxBytes)
	}
	// The transport undoes gzip itself; the cap applies to what comes
	// out, so a small bomb cannot grow past it.
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(body)) > c.opts.MaxBytes {
		return nil, 0, fmt.Errorf("%w (%d bytes)", ErrTooLarge, c.opts.MaxBytes)
	}
	out.Body = body
	return out, 0, nil
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// MaxRetryAfterHeader is the longest wait a Retry-After header is read
// as; a longer one (or one too large to count) is read as this.
const MaxRetryAfterHeader = 30 * 24 * time.Hour

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || n > uint64(MaxRetryAfterHeader/time.Second) {
			return MaxRetryAfterHeader
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, MaxRetryAfterHeader)
		}
	}
	return 0
}

func (c *Client) host(name string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[name]
	if h == nil {
		every := rate.Inf
		if c.opts.HostDelay > 0 {
			every = rate.Every(c.opts.HostDelay)
		}
		h = &host{limiter: rate.NewLimiter(every, 1)}
		c.hosts[name] = h
	}
	return h
}

// robotsTTL is how long a robots.txt is trusted; robotsRetry how long an
// unreachable one keeps a host closed.
const (
	robotsTTL   = 12 * time.Hour
	robotsRetry = 10 * time.Minute
)

// allowed checks robots.txt for the URL, fetching it once per host per
// robotsTTL. A missing robots.txt (4xx) allows everything; an unreachable
// one (5xx, network error) disallows everything for now (RFC 9309).
func (c *Client) allowed(ctx context.Context, u *url.URL) error {
	h := c.host(u.Host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.robots == nil || time.Since(h.fetched) > robotsTTL {
		ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
		code, body := 0, []byte(nil)
		if err := h.limiter.Wait(ctx); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
		if err != nil {
			return err
		}
		req.Header.Set("User-Agent", c.opts.UserAgent)
		resp, err := c.robotsClient().Do(req)
		switch {
		case errors.Is(err, ErrPrivate):
			return unwrapURL(err)
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			code = 503
		default:
			code = resp.StatusCode
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 512<<10))
			resp.Body.Close()
		}
		data, err := robotstxt.FromStatusAndBytes(code, body)
		if err != nil {
			data, _ = robotstxt.FromStatusAndBytes(404, nil) // unreadable: no rules
		}
		h.robots, h.fetched = data.FindGroup(c.opts.UserAgent), time.Now()
		if code >= 500 {
			h.fetched = h.fetched.Add(-robotsTTL + robotsRetry) // try again soon
		}
		if h.robots != nil && h.robots.CrawlDelay > 0 && (c.opts.HostDelay < 0 || h.robots.CrawlDelay > c.opts.HostDelay) {
			h.limiter.SetLimit(rate.Every(h.robots.CrawlDelay))
		}
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if h.robots != nil && !h.robots.Test(p) {
		return ErrDisallowed
	}
	return nil
}

// robotsClient follows robots.txt redirects without checking robots.txt.
func (c *Client) robotsClient() *http.Client {
	rc := *c.http
	rc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > c.opts.MaxRedirects {
			return ErrRedirects
		}
		return nil
	}
	return &rc
}
