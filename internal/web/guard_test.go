package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/demo/demotest"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// browser is a client with cookies that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values, header map[string]string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestCorrectionsInTheUI: forms carry a CSRF token; without it, with a
// wrong one or from another site a write is refused and changes nothing;
// with it the correction is applied, recorded and shown.
func TestCorrectionsInTheUI(t *testing.T) {
	ts, st, by := demoServer(t)
	wire, bus := by["a01-meridian-ferry.html"], by["a08-civic-ledger.jsonl#2"]
	ferry := fmt.Sprintf("%s/stories/%d", ts.URL, wire.Story)
	c := browser(t)
	code, page, _ := fetch(t, c, "GET", ferry, nil, nil)
	m := csrfField.FindStringSubmatch(page)
	if code != 200 || m == nil || !strings.Contains(page, "Correct this story") || !strings.Contains(page, "Correct a status") {
		t.Fatalf("story page: %d, csrf %v", code, m)
	}
	move := url.Values{"action": {"move"}, "article": {bus.ID}, "to": {fmt.Sprint(wire.Story)}, "why": {"same ferry"}, "by": {"Dana"}}
	post := ferry + "/corrections"
	for name, tc := range map[string]struct {
		form   url.Values
		header map[string]string
	}{
		"no token":    {move, nil},
		"wrong token": {withCSRF(move, strings.Repeat("ab", 32)), nil},
		"cross-site":  {withCSRF(move, m[1]), map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	} {
		if code, _, _ := fetch(t, c, "POST", post, tc.form, tc.header); code != http.StatusForbidden {
			t.Errorf("%s: POST = %d; want 403", name, code)
		}
	}
	// Another browser's token does not fit this browser's cookie.
	other := browser(t)
	if code, _, _ := fetch(t, other, "POST", post, withCSRF(move, m[1]), nil); code != http.StatusForbidden {
		t.Errorf("a token from another browser: POST = %d; want 403", code)
	}
	if a, _ := st.GetArticle(t.Context(), bus.ID); a.Story == wire.Story {
		t.Fatal("a refused write moved the article")
	}
	code, _, h := fetch(t, c, "POST", post, withCSRF(move, m[1]), nil)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), fmt.Sprintf("/stories/%d", wire.Story)) {
		t.Fatalf("move = %d → %q", code, h.Get("Location"))
	}
	if a, _ := st.GetArticle(t.Context(), bus.ID); a.Story != wire.Story {
		t.Errorf("the bus report is in story %d; want %d", a.Story, wire.Story)
	}
	_, page, _ = fetch(t, c, "GET", ferry, nil, nil)
	if !strings.Contains(page, "move by Dana") || !strings.Contains(page, "same ferry") {
		t.Errorf("the correction is not shown on the story page")
	}
	// Bad corrections are refused with a reason.
	bad := withCSRF(url.Values{"action": {"move"}, "article": {bus.ID}, "to": {"x"}}, m[1])
	if code, body, _ := fetch(t, c, "POST", post, bad, nil); code != http.StatusBadRequest || !strings.Contains(body, "must be a story") {
		t.Errorf("move to x = %d", code)
	}

	// A claim group's status set by an analyst, shown as such, then
	// cleared back to the computed one.
	_, page, _ = fetch(t, c, "GET", ferry, nil, nil)
	group := regexp.MustCompile(`<option value="([^"]+)">killed`).FindStringSubmatch(page)
	if group == nil {
		t.Fatal("no killed group in the status form")
	}
	set := withCSRF(url.Values{"group": {group[1]}, "status": {"corroborated"}, "why": {"same toll, later hour"}, "by": {"Dana"}}, m[1])
	if code, body, _ := fetch(t, c, "POST", ferry+"/claims", set, nil); code != http.StatusSeeOther {
		t.Fatalf("status override = %d %s", code, body)
	}
	_, page, _ = fetch(t, c, "GET", ts.URL+"/api/stories/"+fmt.Sprint(wire.Story), nil, nil)
	if !strings.Contains(page, `"status": "corroborated",
      "rule": "set by Dana (the rules said conflicting): same toll, later hour"`) {
		t.Errorf("the API does not show the analyst's status")
	}
	if code, _, _ := fetch(t, c, "POST", ferry+"/claims", withCSRF(url.Values{"group": {"nope"}, "status": {"corroborated"}}, m[1]), nil); code != http.StatusBadRequest {
		t.Errorf("override of a missing group = %d", code)
	}
	if code, _, _ := fetch(t, c, "POST", ferry+"/claims", withCSRF(url.Values{"group": {group[1]}, "status": {"computed"}}, m[1]), nil); code != http.StatusSeeOther {
		t.Errorf("clearing = %d", code)
	}
	if _, page, _ = fetch(t, c, "GET", ts.URL+"/api/stories/"+fmt.Sprint(wire.Story), nil, nil); strings.Contains(page, "set by Dana") {
		t.Errorf("the cleared override is still applied")
	}

	// A lineage verdict from the comparison page.
	observer := by["a03-observer-ferry.html"]
	code, page, _ = fetch(t, c, "GET", ts.URL+"/compare/"+wire.ID+"/"+observer.ID, nil, nil)
	m = csrfField.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("compare page %d", code)
	}
	verdict := withCSRF(url.Values{"a": {wire.ID}, "b": {observer.ID}, "verdict": {"copy-of"}, "why": {"same quotes"}, "by": {"Dana"}}, m[1])
	if code, body, _ := fetch(t, c, "POST", ts.URL+"/overrides", verdict, nil); code != http.StatusSeeOther {
		t.Fatalf("override = %d %s", code, body)
	}
	os, _ := st.Overrides(t.Context(), observer.ID)
	if len(os) != 1 || os[0].Who != "Dana" || os[0].Why != "same quotes" {
		t.Errorf("overrides = %+v", os)
	}
	_, page, _ = fetch(t, c, "GET", ts.URL+"/compare/"+wire.ID+"/"+observer.ID, nil, nil)
	if !strings.Contains(page, "set by an analyst") {
		t.Errorf("the override is not shown on the comparison")
	}
}

func withCSRF(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set("csrf", token)
	return out
}

// TestAuthToken: with a token, pages send to the login form, the API
// answers 401, a bearer token or the login cookie lets in, a wrong token
// does not.
func TestAuthToken(t *testing.T) {
	st, _ := demotest.Store(t)
	srv, err := New(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	const token = "correct-horse-battery-staple"
	srv.SetAuthToken(token)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := browser(t)
	if code, _, h := fetch(t, c, "GET", ts.URL+"/conflicts", nil, nil); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=%2Fconflicts") {
		t.Errorf("page without the token = %d → %q", code, h.Get("Location"))
	}
	if code, _, _ := fetch(t, c, "GET", ts.URL+"/api/stories", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("API without the token = %d", code)
	}
	if code, _, _ := fetch(t, c, "GET", ts.URL+"/api/stories", nil, map[string]string{"Authorization": "Bearer wrong"}); code != http.StatusUnauthorized {
		t.Errorf("API with a wrong token = %d", code)
	}
	if code, _, _ := fetch(t, c, "GET", ts.URL+"/api/stories", nil, map[string]string{"Authorization": "Bearer " + token}); code != http.StatusOK {
		t.Errorf("API with the token = %d", code)
	}
	if code, _, _ := fetch(t, c, "GET", ts.URL+"/healthz", nil, nil); code != http.StatusOK {
		t.Errorf("healthz = %d", code)
	}
	if code, _, _ := fetch(t, c, "POST", ts.URL+"/login", url.Values{"token": {"guess"}, "next": {"/conflicts"}}, nil); code != http.StatusForbidden {
		t.Errorf("login with a wrong token = %d", code)
	}
	code, _, h := fetch(t, c, "POST", ts.URL+"/login", url.Values{"token": {token}, "next": {"//evil.example/"}}, nil)
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Errorf("login = %d → %q; want / (no open redirect)", code, h.Get("Location"))
	}
	if code, _, _ := fetch(t, c, "GET", ts.URL+"/conflicts", nil, nil); code != http.StatusOK {
		t.Errorf("page after login = %d", code)
	}
}

// FuzzLocalPath: whatever follows login as "next", the redirect stays on
// this site as a browser reads it (tabs and newlines dropped, backslashes
// taken for slashes).
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/stories/1", "//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "/%2f%2fevil", "", "/a\r\n/b", "\\\\evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := localPath(next)
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("localPath(%q) = %q, which a browser reads as %q: off this site", next, got, seen)
		}
		if u, err := url.Parse(seen); err == nil && (u.Host != "" || u.Scheme != "") {
			t.Fatalf("localPath(%q) = %q: has a host or scheme", next, got)
		}
	})
}
