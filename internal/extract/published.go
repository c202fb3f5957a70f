package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
)

// publishedKeys are the meta tags that carry an article's own publication
// time, most specific first.
var publishedKeys = []string{"article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"}

// metaPublished returns the publication time a page declares in its meta
// tags, with its time of day (htmldate keeps only the day).
func metaPublished(doc *html.Node) *time.Time {
	found := map[string]string{}
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > 40 {
			return
		}
		if n.Type == html.ElementNode && n.Data == "meta" {
			var key, content string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "property", "name", "itemprop":
					key = strings.ToLower(strings.TrimSpace(a.Val))
				case "content":
					content = strings.TrimSpace(a.Val)
				}
			}
			if key != "" && content != "" {
				if _, ok := found[key]; !ok {
					found[key] = content
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	for _, k := range publishedKeys {
		if v, ok := found[k]; ok {
			if t, ok := parseMetaTime(v); ok {
				return &t
			}
		}
	}
	return nil
}

func parseMetaTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.After(time.Now().Add(48*time.Hour)) {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
