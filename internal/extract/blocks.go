package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a line of text when rendering a content tree.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "blockquote": true, "pre": true, "tr": true, "table": true, "section": true,
	"article": true, "header": true, "footer": true, "figure": true, "figcaption": true, "dd": true, "dt": true,
	"dl": true, "hr": true, "head": true, "lb": true, "list": true, "item": true, "quote": true, "main": true,
}

// blockText renders an extracted content tree as text with one line per
// block element (paragraph, heading, list item), so the cleaner sees the
// page's paragraphs however the extractor flattened them.
func blockText(root *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	walk(root, 0)
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
