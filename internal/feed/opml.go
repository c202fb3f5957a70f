package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Subscription is one feed of an OPML list.
type Subscription struct {
	Title    string
	FeedURL  string
	Home     string
	Language string
	// Category is the folder the feed sits in, if any ("Wires/Europe").
	Category string
	// Role and Every are what crosscheck's own export says of the
	// source (attributes in the OPMLNamespace): its role as given, and
	// its poll interval (0 when absent or not a duration). Other OPML
	// files have neither.
	Role  string
	Every time.Duration
}

// OPMLNamespace holds the outline attributes crosscheck adds to the
// OPML it writes (role, every), so that a list exported by one
// crosscheck and imported by another keeps them.
const OPMLNamespace = "https://github.com/crosscheck-news/crosscheck/opml"

// ErrNotOPML: the document is not an OPML subscription list.
var ErrNotOPML = errors.New("not an OPML document")

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr"`
	XMLURL   string    `xml:"xmlUrl,attr"`
	HTMLURL  string    `xml:"htmlUrl,attr"`
	Language string    `xml:"language,attr"`
	Role     string    `xml:"https://github.com/crosscheck-news/crosscheck/opml role,attr"`
	Every    string    `xml:"https://github.com/crosscheck-news/crosscheck/opml every,attr"`
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
			every, err := time.ParseDuration(strings.TrimSpace(o.Every))
			if err != nil || every < 0 {
				every = 0
			}
			out = append(out, Subscription{Title: title, FeedURL: u, Home: resolve("", o.HTMLURL), Language: strings.ToLower(o.Language),
				Category: strings.Join(path, "/"), Role: strings.TrimSpace(o.Role), Every: every})
			walk(o.Children, path, depth+1)
		}
	}
	walk(doc.Body.Outlines, nil, 0)
	return out, skipped, nil
}

// WriteOPML writes subs as an OPML 2.0 subscription list titled title:
// each category a folder (nested at its slashes), each feed an rss
// outline with its title, feed and home URLs and language, and its role
// and poll interval in the OPMLNamespace, which other readers ignore.
func WriteOPML(w io.Writer, title string, subs []Subscription) error {
	type folder struct {
		name     string
		feeds    []Subscription
		children []*folder
	}
	root := &folder{}
	find := func(path string) *folder {
		f := root
		if path == "" {
			return f
		}
		for _, name := range strings.Split(path, "/") {
			var next *folder
			for _, c := range f.children {
				if c.name == name {
					next = c
				}
			}
			if next == nil {
				next = &folder{name: name}
				f.children = append(f.children, next)
			}
			f = next
		}
		return f
	}
	for _, s := range subs {
		f := find(s.Category)
		f.feeds = append(f.feeds, s)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0" xmlns:crosscheck="` + OPMLNamespace + `">` + "\n")
	b.WriteString("  <head><title>" + escape(title) + "</title></head>\n  <body>\n")
	var write func(f *folder, indent string)
	write = func(f *folder, indent string) {
		for _, s := range f.feeds {
			b.WriteString(indent + `<outline type="rss" text="` + escape(s.Title) + `" title="` + escape(s.Title) + `" xmlUrl="` + escape(s.FeedURL) + `"`)
			for _, a := range [][2]string{{"htmlUrl", s.Home}, {"language", s.Language}, {"crosscheck:role", s.Role}} {
				if a[1] != "" {
					b.WriteString(" " + a[0] + `="` + escape(a[1]) + `"`)
				}
			}
			if s.Every > 0 {
				b.WriteString(` crosscheck:every="` + s.Every.String() + `"`)
			}
			b.WriteString("/>\n")
		}
		for _, c := range f.children {
			b.WriteString(indent + `<outline text="` + escape(c.name) + `">` + "\n")
			write(c, indent+"  ")
			b.WriteString(indent + "</outline>\n")
		}
	}
	write(root, "    ")
	b.WriteString("  </body>\n</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// escape escapes s for an XML attribute or text.
func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
