package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// chromium finds Debian's chromium; without it the browser tests skip,
// except under CI, which must run them.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CROSSCHECK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found (apt-get install chromium)")
	}
	t.Skip("chromium not found")
	return ""
}

// browserSession starts a headless chromium for the test. Dialogs
// (alert, confirm) are recorded: an XSS payload that runs shows up there.
type browserSession struct {
	ctx     context.Context
	t       *testing.T
	mu      sync.Mutex
	dialogs []string
}

func newBrowser(t *testing.T) *browserSession {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browserSession{ctx: ctx, t: t}
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			b.mu.Lock()
			b.dialogs = append(b.dialogs, d.Message)
			b.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// do runs steps, each bounded in time; on failure it saves a screenshot
// as a test artifact ($CROSSCHECK_ARTIFACTS, or the temporary directory)
// and fails.
func (b *browserSession) do(step string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(step, err)
	}
}

// value runs one action that returns a value.
func value[T any](b *browserSession, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(step, err)
	}
	return v
}

func (b *browserSession) fail(step string, err error) {
	b.t.Helper()
	dir := os.Getenv("CROSSCHECK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "crosscheck-artifacts")
	}
	os.MkdirAll(dir, 0o755)
	sctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if shot, err := chromedp.Run(sctx, chromedp.FullScreenshot(80)); err == nil {
		name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name()+"-"+step)+".jpg")
		if os.WriteFile(name, shot, 0o644) == nil {
			b.t.Logf("screenshot: %s", name)
		}
	}
	b.t.Fatalf("%s: %v", step, err)
}

func (b *browserSession) check(step string, ok bool, format string, args ...any) {
	b.t.Helper()
	if !ok {
		b.fail(step, fmt.Errorf(format, args...))
	}
}

func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// TestBrowser walks the demo in a real browser: the home page shows a
// conflict and a copy-inflated figure without a click; a conflict leads
// to its sentences; search by keyboard; a correction persists; a list
// exports CSV; the story page prints without navigation.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives chromium")
	}
	ts, st, by := demoServer(t)
	b := newBrowser(t)
	wire, bus := by["a01-meridian-ferry.html"], by["a08-civic-ledger.jsonl#2"]
	watched, _, err := st.AddSource(context.Background(), &model.Source{Name: by["a06-newsstack-ferry.txt"].Source, FeedURL: "https://newsstack.example/feed", Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	// 1. Home: the featured story's conflict and inflated figure.
	b.do("home", chromedp.Navigate(ts.URL+"/"))
	featured := value(b, "home", chromedp.Text(css(".featured")))
	b.check("home", strings.Contains(featured, "conflicting") && strings.Contains(featured, "stated 5×"),
		"featured panel = %q; want a conflict and a figure stated 5× by one source", featured)

	// 2. A conflict's sentences: each ¶ of the conflicting group lands on
	// the sentence, highlighted as the target.
	b.do("story", chromedp.Click(css(".featured h2 a")), chromedp.WaitVisible(css(".facts")))
	links := value(b, "story", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".facts tr.status-conflicting .claim-link")).map(a => a.href)`))
	b.check("story", len(links) >= 2, "conflict links = %v", links)
	seen := map[string]bool{}
	for _, l := range links {
		b.do("sentence", chromedp.Navigate(l), chromedp.WaitReady(css("body")))
		target := value(b, "sentence", chromedp.Evaluate[string](`(document.querySelector(":target") || {}).textContent || ""`))
		b.check("sentence", target != "", "%s: no highlighted sentence", l)
		seen[strings.SplitN(strings.TrimPrefix(l, ts.URL+"/articles/"), "#", 2)[0]] = true
	}
	b.check("sentence", len(seen) >= 2, "the conflict's sentences come from %d article(s); want 2 or more", len(seen))

	// 3. Search from the keyboard: / focuses the box, Enter searches;
	// j selects the first hit, Enter opens it.
	b.do("search", chromedp.Navigate(ts.URL+"/conflicts"), chromedp.WaitReady(css("body")),
		chromedp.KeyEvent("/"), chromedp.KeyEvent("rescued"), chromedp.KeyEvent("\r"), chromedp.WaitVisible(css(".hits")))
	marked := value(b, "search", chromedp.Text(css(".hits mark")))
	b.do("search", chromedp.KeyEvent("j"), chromedp.KeyEvent("\r"), chromedp.WaitVisible(css("article.article")))
	url := value(b, "search", chromedp.Location())
	b.check("search", strings.EqualFold(marked, "rescued") && strings.Contains(url, "/articles/"), "marked %q, then at %s", marked, url)

	// 4. A correction made in the page persists after a reload.
	b.do("correct", chromedp.Navigate(fmt.Sprintf("%s/stories/%d", ts.URL, bus.Story)), chromedp.Click(css("#corrections details.correct summary")),
		chromedp.Click(css(fmt.Sprintf(`#move-form input[value="%s"]`, bus.ID))),
		chromedp.SendKeys(css(`#move-form input[name="to"]`), fmt.Sprint(wire.Story)),
		chromedp.SendKeys(css(`#move-form input[name="why"]`), "same sinking"),
		chromedp.SendKeys(css(`#move-form input[name="by"]`), "Dana"),
		// The story it lands on lists the correction (the page it leaves
		// lists none), so this waits for the new page, not the old one.
		chromedp.Submit(css("#move-form")), chromedp.WaitVisible(css("#corrections li.override")),
		chromedp.Reload(), chromedp.WaitVisible(css("#corrections li.override")))
	corrections := value(b, "correct", chromedp.Text(css("#corrections")))
	url = value(b, "correct", chromedp.Location())
	b.check("correct", strings.Contains(corrections, "move by Dana") && strings.Contains(corrections, "same sinking") &&
		strings.Contains(url, fmt.Sprintf("/stories/%d", wire.Story)), "after reload at %s: %q", url, corrections)

	// 5. Export: the sources list's CSV link.
	b.do("export", chromedp.Navigate(ts.URL+"/sources"), chromedp.WaitReady(css("body")))
	csv := value(b, "export", chromedp.Evaluate[string](`fetch(document.querySelector('a[href*="format=csv"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	b.check("export", strings.HasPrefix(csv, "name,role,feed,articles") && strings.Contains(csv, "Meridian Wire"), "CSV = %.80q", csv)
	// The note above the table runs across the page (its text once sat
	// in a narrow grid column meant for a definition list's terms).
	widths := value(b, "export", chromedp.Evaluate[[]float64](`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector("main p.meta")); return [r.getBoundingClientRect().width, document.querySelector("main table.list").getBoundingClientRect().width] })()`))
	b.check("export", len(widths) == 2 && widths[0] >= 0.9*widths[1], "note text and table widths = %v; want the text as wide as the table", widths)

	// 5b. A watched outlet's role, set from its row, stays after a reload.
	form := fmt.Sprintf(`form[action="/sources/%d/role"]`, watched)
	b.do("role", chromedp.SetValue(css(form+` select[name="role"]`), "aggregator"), chromedp.Submit(css(form)),
		chromedp.WaitReady(css("body")), chromedp.Reload(), chromedp.WaitVisible(css(form)))
	chosen := value(b, "role", chromedp.Evaluate[string](`document.querySelector('`+form+` select[name="role"]').value`))
	b.check("role", chosen == "aggregator", "role after reload = %q; want aggregator", chosen)

	// 5c. Renamed from its row (the form folds under "Rename"), the outlet
	// is listed under its new name after a reload, with the rename below.
	from := `input[name="from"][value="` + by["a06-newsstack-ferry.txt"].Source + `"]`
	rename := `form[action="/sources/rename"]:has(` + from + `)`
	renamed := `form[action="/sources/rename"]:has(input[name="from"][value="Newsstack Daily"])`
	b.do("rename", chromedp.Click(css(`details:has(`+from+`) > summary`)), chromedp.WaitVisible(css(rename+` input[name="name"]`)),
		chromedp.SetValue(css(rename+` input[name="name"]`), "Newsstack Daily"), chromedp.Submit(css(rename)),
		chromedp.WaitReady(css(renamed)), chromedp.Reload(), chromedp.WaitReady(css(renamed)))
	listed := value(b, "rename", chromedp.Evaluate[string](`document.querySelector('`+renamed+`').closest("tr").querySelector("td a").textContent + " | " + document.querySelector("#renames + ul").textContent`))
	b.check("rename", strings.HasPrefix(listed, "Newsstack Daily | ") && strings.Contains(listed, "→ Newsstack Daily"),
		"outlet after the rename and a reload, and the renames listed = %q; want Newsstack Daily, and the rename", listed)

	// 6. Print: the story page without navigation or forms.
	b.do("print", chromedp.Navigate(fmt.Sprintf("%s/stories/%d", ts.URL, wire.Story)), chromedp.WaitReady(css("body")), media("print"))
	navDisplay := value(b, "print", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.top")).display`))
	formDisplay := value(b, "print", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("details.correct")).display`))
	b.do("print", media(""))
	b.check("print", navDisplay == "none" && formDisplay == "none", "printed: nav %q, corrections %q", navDisplay, formDisplay)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.check("dialogs", len(b.dialogs) == 0, "dialogs opened: %v", b.dialogs)
}

// TestBrowserXSS: payloads in titles, text, sources and URLs are shown
// as text and never run.
func TestBrowserXSS(t *testing.T) {
	if testing.Short() {
		t.Skip("drives chromium")
	}
	ts, a := newTestServer(t)
	b := newBrowser(t)
	for _, p := range []string{"/", "/articles", "/articles/" + a.ID, "/search?q=paragraph", "/api/articles/" + a.ID} {
		b.do("xss "+p, chromedp.Navigate(ts.URL+p), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(100*time.Millisecond))
	}
	b.do("title", chromedp.Navigate(ts.URL+"/articles/"+a.ID))
	title := value(b, "title", chromedp.Text(chromedp.CSS("h1")))
	b.check("title", strings.Contains(title, `<script>alert("x")</script>`), "title shown as %q; want the payload as text", title)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.check("dialogs", len(b.dialogs) == 0, "a payload ran: dialogs %v", b.dialogs)
}
