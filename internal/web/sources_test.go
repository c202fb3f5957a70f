package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// TestSourcesShowFeedTrouble: an outlet whose watched feed keeps failing
// shows the error, the failures in a row and the next poll, in the page
// and in its JSON.
func TestSourcesShowFeedTrouble(t *testing.T) {
	ctx := context.Background()
	ts, st, _ := demoServer(t)
	var before struct {
		Sources []sourceRow `json:"sources"`
	}
	_, body := get(t, ts.URL+"/api/sources")
	if err := json.Unmarshal([]byte(body), &before); err != nil || len(before.Sources) == 0 {
		t.Fatalf("sources: %v %s", err, body)
	}
	name := before.Sources[0].Name
	id, _, err := st.AddSource(ctx, &model.Source{Name: name, FeedURL: "https://desk.example/feed", Role: model.RoleWire, Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	for i, next := range []time.Time{at.Add(time.Hour), at.Add(3 * time.Hour)} {
		if err := st.PolledSource(ctx, id, "", "", at.Add(time.Duration(i)*time.Hour), next, "HTTP 503 Service Unavailable"); err != nil {
			t.Fatal(err)
		}
	}
	var after struct {
		Sources []sourceRow `json:"sources"`
	}
	_, body = get(t, ts.URL+"/api/sources")
	if err := json.Unmarshal([]byte(body), &after); err != nil {
		t.Fatal(err)
	}
	var row *sourceRow
	for i := range after.Sources {
		if after.Sources[i].Name == name {
			row = &after.Sources[i]
		}
	}
	if row == nil || row.Feed != "https://desk.example/feed" || row.Role != model.RoleWire || row.Failures != 2 ||
		row.NextPoll == nil || *row.NextPoll != "2026-03-14T15:00:00Z" || !strings.Contains(row.LastError, "503") {
		t.Fatalf("watched outlet in the API = %+v", row)
	}
	_, page := get(t, ts.URL+"/sources")
	want := "HTTP 503 Service Unavailable (2 failed polls in a row); next poll 2026-03-14T15:00:00Z"
	if !strings.Contains(html.UnescapeString(page), `title="`+want+`">feed error`) {
		t.Errorf("sources page lacks the feed error %q", want)
	}
}

// TestSourceRoleInTheUI: a watched outlet's row carries a role form; a
// role set there is stored and shown, a bad one or a write without the
// page's token changes nothing.
func TestSourceRoleInTheUI(t *testing.T) {
	ctx := context.Background()
	ts, st, by := demoServer(t)
	name := by["a06-newsstack-ferry.txt"].Source
	id, _, err := st.AddSource(ctx, &model.Source{Name: name, FeedURL: "https://newsstack.example/feed", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	code, page, _ := fetch(t, c, "GET", ts.URL+"/sources", nil, nil)
	action := fmt.Sprintf(`action="/sources/%d/role"`, id)
	m := csrfField.FindStringSubmatch(page)
	if code != 200 || !strings.Contains(page, action) || m == nil {
		t.Fatalf("sources page = %d, role form %v, csrf %v", code, strings.Contains(page, action), m)
	}
	if n := strings.Count(page, `/role"`); n != 1 {
		t.Errorf("role forms on outlets that are not watched: %d forms", n)
	}
	post := fmt.Sprintf("%s/sources/%d/role", ts.URL, id)
	role := func() string {
		s, err := st.GetSource(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.Role
	}
	if code, _, _ := fetch(t, c, "POST", post, url.Values{"role": {"aggregator"}}, nil); code != http.StatusForbidden || role() != "" {
		t.Errorf("POST without the token = %d, role %q; want 403 and no role", code, role())
	}
	if code, _, _ := fetch(t, c, "POST", post, withCSRF(url.Values{"role": {"blog"}}, m[1]), nil); code != http.StatusBadRequest || role() != "" {
		t.Errorf("POST of role blog = %d, role %q; want 400 and no role", code, role())
	}
	code, _, h := fetch(t, c, "POST", post, withCSRF(url.Values{"role": {"aggregator"}}, m[1]), nil)
	if code != http.StatusSeeOther || h.Get("Location") != "/sources" || role() != model.RoleAggregator {
		t.Fatalf("POST of role aggregator = %d → %q, role %q", code, h.Get("Location"), role())
	}
	_, page, _ = fetch(t, c, "GET", ts.URL+"/sources", nil, nil)
	if !strings.Contains(page, "<option selected>aggregator</option>") {
		t.Errorf("the role set is not selected on the sources page")
	}
	_, body := get(t, ts.URL+"/api/sources")
	if !strings.Contains(body, fmt.Sprintf(`"source_id": %d`, id)) || !strings.Contains(body, `"role": "aggregator"`) {
		t.Errorf("API sources lack the watched source's ID or role: %s", body)
	}
	if code, _, _ := fetch(t, c, "POST", post, withCSRF(url.Values{"role": {"none"}}, m[1]), nil); code != http.StatusSeeOther || role() != "" {
		t.Errorf("POST of role none = %d, role %q; want it cleared", code, role())
	}
	if code, _, _ := fetch(t, c, "POST", ts.URL+"/sources/999/role", withCSRF(url.Values{"role": {"wire"}}, m[1]), nil); code != http.StatusNotFound {
		t.Errorf("POST for a missing source = %d; want 404", code)
	}
}

// TestSourceRenameInTheUI: every outlet's row carries a rename form; a
// name set there is stored, the outlet's articles move to it (watched
// or not: its feed is renamed too), and the page lists the rename. An
// empty name, one of several lines, or a write without the page's token
// changes nothing.
func TestSourceRenameInTheUI(t *testing.T) {
	ctx := context.Background()
	ts, st, by := demoServer(t)
	old := by["a06-newsstack-ferry.txt"].Source
	id, _, err := st.AddSource(ctx, &model.Source{Name: old, FeedURL: "https://newsstack.example/feed", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	rows := func() []sourceRow {
		var got struct {
			Sources []sourceRow `json:"sources"`
		}
		_, body := get(t, ts.URL+"/api/sources")
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("sources: %v %s", err, body)
		}
		return got.Sources
	}
	articles := func(name string) int {
		for _, r := range rows() {
			if r.Name == name {
				return r.Articles
			}
		}
		return 0
	}
	stored, outlets := articles(old), len(rows())
	if stored == 0 {
		t.Fatalf("no articles under %q in the demo", old)
	}
	c := browser(t)
	code, page, _ := fetch(t, c, "GET", ts.URL+"/sources", nil, nil)
	m := csrfField.FindStringSubmatch(page)
	if code != 200 || m == nil || strings.Count(page, `action="/sources/rename"`) != outlets ||
		!strings.Contains(page, `name="from" value="`+html.EscapeString(old)+`"`) || strings.Contains(page, `id="renames"`) {
		t.Fatalf("sources page = %d: want a rename form on each of the %d outlets, a token, and no renames yet", code, outlets)
	}
	post := ts.URL + "/sources/rename"
	name := func() string {
		s, err := st.GetSource(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.Name
	}
	for _, tc := range []struct {
		form url.Values
		want int
	}{
		{url.Values{"from": {old}, "name": {"Newsstack Daily"}}, http.StatusForbidden},
		{withCSRF(url.Values{"from": {old}, "name": {"  "}}, m[1]), http.StatusBadRequest},
		{withCSRF(url.Values{"name": {"Newsstack Daily"}}, m[1]), http.StatusBadRequest},
		{withCSRF(url.Values{"from": {old}, "name": {"Newsstack\nDaily"}}, m[1]), http.StatusBadRequest},
		{withCSRF(url.Values{"from": {old}, "name": {strings.Repeat("N", model.MaxSourceName+1)}}, m[1]), http.StatusBadRequest},
		{withCSRF(url.Values{"from": {"No Such Outlet"}, "name": {"Newsstack Daily"}}, m[1]), http.StatusNotFound},
	} {
		if code, _, _ := fetch(t, c, "POST", post, tc.form, nil); code != tc.want || name() != old {
			t.Errorf("POST %v = %d, name %q; want %d and %q", tc.form, code, name(), tc.want, old)
		}
	}
	code, _, h := fetch(t, c, "POST", post, withCSRF(url.Values{"from": {old}, "name": {" Newsstack Daily "}}, m[1]), nil)
	if code != http.StatusSeeOther || h.Get("Location") != "/sources" || name() != "Newsstack Daily" {
		t.Fatalf("POST of a new name = %d → %q, feed named %q", code, h.Get("Location"), name())
	}
	if n, left := articles("Newsstack Daily"), articles(old); n != stored || left != 0 {
		t.Errorf("after the rename: %d articles under the new name, %d under %q; want %d and 0", n, left, old, stored)
	}
	_, page, _ = fetch(t, c, "GET", ts.URL+"/sources", nil, nil)
	if want := html.EscapeString(old) + " → "; !strings.Contains(page, `id="renames"`) || !strings.Contains(page, want) {
		t.Errorf("the sources page does not list the rename (%q)", want)
	}
}
