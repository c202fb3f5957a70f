package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// ErrNotFeed: the document is not RSS, Atom or JSON Feed (often an HTML
// page; Discover finds the feeds it links to).
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed")

// Feed is a parsed feed.
type Feed struct {
	Title    string
	Home     string // the site the feed belongs to
	Language string
	Items    []Item
	// Dropped counts items left out, and why: "no link", "duplicate guid".
	Dropped map[string]int
}

// Item is one entry of a feed.
type Item struct {
	// GUID identifies the item within its feed (the link when the feed
	// gives no id).
	GUID      string
	URL       string
	Title     string
	Published *time.Time
}

// Parse reads a feed. base resolves relative links. Items without a link
// are dropped and counted; duplicate GUIDs keep their first item. Items
// are newest first (undated ones last, in feed order).
func Parse(body []byte, base string) (*Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: empty document", ErrNotFeed)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		if looksHTML(body) {
			return nil, fmt.Errorf("%w: an HTML page (add the page itself and crosscheck finds its feeds)", ErrNotFeed)
		}
		return nil, ErrNotFeed
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotFeed, err)
	}
	out := &Feed{Title: strings.TrimSpace(f.Title), Home: resolve(base, f.Link), Language: strings.ToLower(f.Language), Dropped: map[string]int{}}
	seen := map[string]bool{}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		link := resolve(base, it.Link)
		if link == "" {
			for _, l := range it.Links {
				if link = resolve(base, l); link != "" {
					break
				}
			}
		}
		if link == "" {
			out.Dropped["no link"]++
			continue
		}
		guid := strings.TrimSpace(it.GUID)
		if guid == "" {
			guid = link
		}
		if seen[guid] {
			out.Dropped["duplicate guid"]++
			continue
		}
		seen[guid] = true
		when := it.PublishedParsed
		if when == nil {
			when = it.UpdatedParsed
		}
		if when != nil {
			t := when.UTC()
			when = &t
		}
		out.Items = append(out.Items, Item{GUID: guid, URL: link, Title: strings.TrimSpace(it.Title), Published: when})
	}
	sort.SliceStable(out.Items, func(i, j int) bool {
		a, b := out.Items[i].Published, out.Items[j].Published
		return a != nil && (b == nil || a.After(*b))
	})
	return out, nil
}

// resolve makes an http(s) link absolute against base; "" if it is not one.
func resolve(base, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		u = b.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

func looksHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// IsFeed reports whether a document parses as a feed.
func IsFeed(body []byte) bool {
	return gofeed.DetectFeedType(bytes.NewReader(body)) != gofeed.FeedTypeUnknown
}

// Discover returns the feeds an HTML page links to with <link
// rel="alternate">, absolute, in page order.
func Discover(page []byte, base string) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "link" {
			var rel, typ, href string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "rel":
					rel = strings.ToLower(a.Val)
				case "type":
					typ = strings.ToLower(strings.TrimSpace(a.Val))
				case "href":
					href = a.Val
				}
			}
			feedType := typ == "application/rss+xml" || typ == "application/atom+xml" || typ == "application/feed+json" || typ == "application/json"
			if strings.Contains(" "+rel+" ", " alternate ") && feedType {
				if u := resolve(base, href); u != "" && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
