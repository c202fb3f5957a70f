package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// Subscription is one feed of an OPML list.
type Subscription struct {
	Title    string
	FeedURL  string
	Home     string
	Language string
	// Category is the folder the feed sits in, if any ("Wires/Europe").
	Category string
}

// ErrNotOPML: the document is not an OPML subscription list.
var ErrNotOPML = errors.New("not an OPML document")

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr"`
	XMLURL   string    `xml:"xmlUrl,attr"`
	HTMLURL  string    `xml:"htmlUrl,attr"`
	Language string    `xml:"language,attr"`
	Children []outline `xml:"outline"`
}

// ParseOPML reads the feeds of an OPML file, folders flattened into
// Category. Outlines without an http(s) xmlUrl are skipped and counted.
func ParseOPML(b []byte) ([]Subscription, int, error) {
	var doc struct {
		XMLName xml.Name
		Body    struct {
			Outlines []outline `xml:"outline"`
		} `xml:"body"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrNotOPML, err)
	}
	if !strings.EqualFold(doc.XMLName.Local, "opml") {
		return nil, 0, fmt.Errorf("%w: root element is <%s>", ErrNotOPML, doc.XMLName.Local)
	}
	var out []Subscription
	skipped := 0
	var walk func(os []outline, path []string, depth int)
	walk = func(os []outline, path []string, depth int) {
		if depth > 16 {
			return
		}
		for _, o := range os {
			title := strings.TrimSpace(o.Title)
			if title == "" {
				title = strings.TrimSpace(o.Text)
			}
			if o.XMLURL == "" && len(o.Children) > 0 {
				walk(o.Children, append(path, title), depth+1)
				continue
			}
			u := resolve("", o.XMLURL)
			if u == "" {
				skipped++
				continue
			}
			out = append(out, Subscription{Title: title, FeedURL: u, Home: resolve("", o.HTMLURL), Language: strings.ToLower(o.Language), Category: strings.Join(path, "/")})
			walk(o.Children, path, depth+1)
		}
	}
	walk(doc.Body.Outlines, nil, 0)
	return out, skipped, nil
}
