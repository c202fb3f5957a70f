// Package watch follows sources: it polls each feed on its schedule,
// fetches the pages of items it has not seen, and runs them through the
// ingest pipeline. What it has dealt with is stored (feed_items), so a
// restarted watch fetches nothing twice.
package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/feed"
	"github.com/crosscheck-news/crosscheck/internal/fetch"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Options tune a Watcher. Client is required.
type Options struct {
	Client *fetch.Client
	// Ingest are the pipeline's options for fetched pages.
	Ingest ingest.Options
	// MaxItems bounds the new items taken from one feed in one poll
	// (newest first); the rest wait for the next poll. 0 means 100.
	MaxItems int
	// Log receives one line per poll; nil discards.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Enqueue, if set, takes fetched pages instead of ingesting them here
	// (the PostgreSQL work queue, for crosscheck worker processes); their
	// items are recorded as queued.
	Enqueue func(ctx context.Context, items []ingest.Item) error
}

// Watcher polls sources.
type Watcher struct {
	st   store.Store
	opts Options
}

// New returns a Watcher.
func New(st store.Store, opts Options) *Watcher {
	if opts.MaxItems <= 0 {
		opts.MaxItems = 100
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Watcher{st: st, opts: opts}
}

// Poll is what one poll of one source did.
type Poll struct {
	Source      string
	NotModified bool
	Items       int // in the feed
	New         int // not seen before
	Deferred    int // new, left for the next poll (over MaxItems)
	Retried     int // items waiting for a retry, taken up again
	Retrying    int // items whose page failed in a way that may pass, left for a later poll
	Queued      int // handed to the work queue
	Dropped     map[string]int
	ingest.Summary
	Err error // the feed could not be fetched or read
}

// Round polls every source that is due, one after another (each host is
// rate-limited by the client anyway), and returns what each poll did.
// Each source is claimed just before its poll (store.ClaimSource), so
// watchers sharing a database share the due sources and never poll one
// twice; a claim dies with its watcher, so a restarted one goes on at
// once. Only a failing database or a cancelled context ends it early.
func (w *Watcher) Round(ctx context.Context) ([]Poll, error) {
	due, err := w.st.DueSources(ctx, w.opts.Now())
	if err != nil {
		return nil, err
	}
	var out []Poll
	for _, s := range due {
		release, ok, err := w.st.ClaimSource(ctx, s.ID, w.opts.Now())
		if err != nil {
			return out, err
		}
		if !ok {
			continue // another watcher has it, or has polled it since
		}
		p, err := w.poll(ctx, s)
		release()
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Run polls due sources every tick until ctx is cancelled.
func (w *Watcher) Run(ctx context.Context, tick time.Duration) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// poll fetches one feed and ingests its new items. Feed and page
// failures are recorded (on the source, as rejections, on the items) and
// returned in Poll; only store and context errors are returned as errors.
func (w *Watcher) poll(ctx context.Context, s model.Source) (Poll, error) {
	p := Poll{Source: s.Name}
	now := w.opts.Now().UTC()
	next := now.Add(s.Every)
	fail := func(err error) (Poll, error) {
		if ctx.Err() != nil {
			return p, ctx.Err()
		}
		p.Err = err
		next = now.Add(failedWait(s, err))
		w.opts.Log.Warn("poll failed", "source", s.Name, "feed", s.FeedURL, "error", err)
		if rerr := w.st.RecordRejection(ctx, model.Rejection{Input: s.FeedURL, Reason: err.Error()}); rerr != nil {
			return p, rerr
		}
		return p, w.st.PolledSource(ctx, s.ID, s.ETag, s.LastModified, now, next, err.Error())
	}
	resp, err := w.opts.Client.Get(ctx, fetch.Request{URL: s.FeedURL, ETag: s.ETag, LastModified: s.LastModified})
	if err != nil {
		return fail(err)
	}
	if resp.NotModified {
		p.NotModified = true
		w.opts.Log.Info("poll", "source", s.Name, "not_modified", true)
		return p, w.st.PolledSource(ctx, s.ID, s.ETag, s.LastModified, now, next, "")
	}
	f, err := feed.Parse(resp.Body, resp.URL)
	if err != nil {
		return fail(fmt.Errorf("feed %s: %w", s.FeedURL, err))
	}
	p.Items, p.Dropped = len(f.Items), f.Dropped
	if n := f.Dropped["no link"]; n > 0 {
		reason := fmt.Sprintf("%d feed items without a link were left out", n)
		if err := w.st.RecordRejection(ctx, model.Rejection{Input: s.FeedURL + " (items without links)", Reason: reason}); err != nil {
			return p, err
		}
	}
	guids := make([]string, len(f.Items))
	for i, it := range f.Items {
		guids[i] = it.GUID
	}
	seen, err := w.st.SeenItems(ctx, s.ID, guids)
	if err != nil {
		return p, err
	}
	var fresh []feed.Item
	for _, it := range f.Items {
		if !seen[it.GUID] {
			fresh = append(fresh, it)
		}
	}
	p.New = len(fresh)
	if len(fresh) > w.opts.MaxItems {
		p.Deferred = len(fresh) - w.opts.MaxItems
		fresh = fresh[:w.opts.MaxItems]
	}
	// Items that failed before come first (they are older), then the
	// new ones oldest first, so stories and copies see the older report
	// first.
	retry, err := w.st.RetryItems(ctx, s.ID, w.opts.MaxItems)
	if err != nil {
		return p, err
	}
	p.Retried = len(retry)
	todo := make([]pending, 0, len(retry)+len(fresh))
	for _, r := range retry {
		todo = append(todo, pending{Item: feed.Item{GUID: r.GUID, URL: r.URL, Published: r.Published}, attempts: r.Attempts})
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		todo = append(todo, pending{Item: fresh[i]})
	}
	if err := w.items(ctx, s, todo, &p); err != nil {
		return p, err
	}
	// A feed that was cut short this time is polled again soon.
	if p.Deferred > 0 {
		next = now.Add(min(s.Every, time.Minute))
	}
	w.opts.Log.Info("poll", "source", s.Name, "items", p.Items, "new", p.New, "deferred", p.Deferred,
		"retried", p.Retried, "retrying", p.Retrying, "ingested", p.Ingested, "skipped", p.Skipped, "rejected", p.Rejected)
	return p, w.st.PolledSource(ctx, s.ID, resp.ETag, resp.LastModified, now, next, "")
}

// maxAttempts is how many fetches of a feed item's page may fail in a
// way that may pass (429, 5xx, a timeout) before the item is rejected.
// One fetch already retries within seconds (fetch.Options.Retries);
// these attempts are polls apart, for an outage or a rate limit that
// lasts longer.
const maxAttempts = 5

// maxFeedWait bounds how long failures, and a feed's Retry-After, delay
// its next poll.
const maxFeedWait = 24 * time.Hour

// failedWait is how long a source waits for its next poll after one that
// failed with err: its interval after a first failure, then twice that,
// four times, and so on, up to a day (or the interval, if longer), so a
// dead feed is not fetched at full rate forever; at least as long as
// the server's Retry-After asks, up to a day too. The count is the
// source's Failures, which a poll that works resets.
func failedWait(s model.Source, err error) time.Duration {
	longest := max(maxFeedWait, s.Every)
	wait := min(s.Every<<min(s.Failures, 10), longest)
	var se *fetch.StatusError
	if errors.As(err, &se) && se.RetryAfter > wait {
		wait = min(se.RetryAfter, longest)
	}
	return wait
}

// pending is a feed item to deal with, and how many fetches of its page
// failed before.
type pending struct {
	feed.Item
	attempts int
}

// items fetches and ingests items; every item ends recorded. Once a
// host fails in a way that may pass, the poll fetches nothing more from
// it: its remaining items wait for the next poll, their attempts not
// counted.
func (w *Watcher) items(ctx context.Context, s model.Source, todo []pending, p *Poll) error {
	var docs []ingest.Document
	var docItems []pending
	record := func(it pending, outcome, article, reason string) error {
		return w.st.RecordItem(ctx, model.FeedItem{Source: s.ID, GUID: it.GUID, URL: it.URL, SeenAt: w.opts.Now().UTC(),
			Outcome: outcome, ArticleID: article, Reason: reason, Attempts: it.attempts, Published: it.Published})
	}
	reject := func(it pending, reason string) error {
		p.Rejected++
		if err := w.st.RecordRejection(ctx, model.Rejection{Input: it.URL, Reason: reason}); err != nil {
			return err
		}
		return record(it, string(ingest.Rejected), "", reason)
	}
	// Pages stored by an earlier run that stopped before recording their
	// items (their article's input is the link; its URL may be the
	// page's canonical one): no second fetch.
	links := make([]string, len(todo))
	for i, it := range todo {
		links[i] = it.URL
	}
	stored, err := w.st.ArticlesByInput(ctx, links)
	if err != nil {
		return err
	}
	unwell := map[string]error{} // hosts that failed in a way that may pass
	for _, it := range todo {
		if id, ok := stored[it.URL]; ok {
			p.Skipped++
			if err := record(it, string(ingest.Skipped), id, ""); err != nil {
				return err
			}
			continue
		}
		// The same page in another feed: no second fetch.
		if key := ingest.URLKey(it.URL); key != "" {
			has, err := w.st.HasArticle(ctx, key)
			if err != nil {
				return err
			}
			if has {
				p.Skipped++
				if err := record(it, string(ingest.Skipped), model.ArticleID(key), ""); err != nil {
					return err
				}
				continue
			}
		}
		host := hostOf(it.URL)
		if herr, ok := unwell[host]; ok {
			p.Retrying++
			if err := record(it, model.OutcomeRetry, "", "not fetched: "+host+" failed earlier in the same poll ("+herr.Error()+")"); err != nil {
				return err
			}
			continue
		}
		resp, err := w.opts.Client.Get(ctx, fetch.Request{URL: it.URL})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !fetch.Temporary(err) {
				if err := reject(it, err.Error()); err != nil {
					return err
				}
				continue
			}
			unwell[host] = err
			it.attempts++
			if it.attempts >= maxAttempts {
				if err := reject(it, fmt.Sprintf("gave up after %d attempts: %v", it.attempts, err)); err != nil {
					return err
				}
				continue
			}
			p.Retrying++
			w.opts.Log.Info("page fetch failed; retrying at a later poll", "source", s.Name, "url", it.URL, "attempts", it.attempts, "error", err)
			if err := record(it, model.OutcomeRetry, "", err.Error()); err != nil {
				return err
			}
			continue
		}
		if ct := strings.ToLower(resp.ContentType); ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "text/plain") {
			if err := reject(it, "not a web page ("+resp.ContentType+")"); err != nil {
				return err
			}
			continue
		}
		fetched := resp.FetchedAt
		docs = append(docs, ingest.Document{Input: it.URL, URL: resp.URL, Content: resp.Body, ContentType: resp.ContentType,
			Source: s.Name, Published: it.Published, FetchedAt: &fetched})
		docItems = append(docItems, it)
	}
	if len(docs) == 0 {
		return nil
	}
	if w.opts.Enqueue != nil {
		items := make([]ingest.Item, len(docs))
		for i, d := range docs {
			items[i] = ingest.DocumentItem(d, w.opts.Ingest)
		}
		if err := w.opts.Enqueue(ctx, items); err != nil {
			return err
		}
		p.Queued += len(items)
		for _, it := range docItems {
			if err := record(it, "queued", "", ""); err != nil {
				return err
			}
		}
		return nil
	}
	opts := w.opts.Ingest
	opts.Report = nil
	sum, results, err := ingest.Documents(ctx, w.st, docs, opts)
	p.Ingested += sum.Ingested
	p.Skipped += sum.Skipped
	p.Rejected += sum.Rejected
	if err != nil {
		return err
	}
	for i, r := range results {
		if i >= len(docItems) {
			break
		}
		if err := record(docItems[i], string(r.Outcome), r.ArticleID, r.Reason); err != nil {
			return err
		}
	}
	return nil
}

// ErrNoFeed: a page advertises no feed.
var ErrNoFeed = errors.New("no feed found (neither a feed nor a page linking to one)")

// Discover finds the feed for a URL: the URL itself when it is a feed,
// else the first feed the page links to. It returns a source filled
// from the feed (name, home, language) and the other feeds the page
// offers.
func Discover(ctx context.Context, c *fetch.Client, url string) (*model.Source, []string, error) {
	resp, err := c.Get(ctx, fetch.Request{URL: url})
	if err != nil {
		return nil, nil, err
	}
	home := ""
	var others []string
	if !feed.IsFeed(resp.Body) {
		links := feed.Discover(resp.Body, resp.URL)
		if len(links) == 0 {
			return nil, nil, fmt.Errorf("%s: %w", url, ErrNoFeed)
		}
		home, others = resp.URL, links[1:]
		if resp, err = c.Get(ctx, fetch.Request{URL: links[0]}); err != nil {
			return nil, nil, err
		}
	}
	f, err := feed.Parse(resp.Body, resp.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", resp.URL, err)
	}
	s := &model.Source{Name: f.Title, FeedURL: resp.URL, Home: f.Home, Language: f.Language}
	if home != "" && s.Home == "" {
		s.Home = home
	}
	if s.Name == "" {
		s.Name = hostOf(resp.URL)
	}
	return s, others, nil
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimPrefix(u, "www.")
}
