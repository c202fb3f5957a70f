// Package feed reads what tells crosscheck where news appears: RSS, Atom
// and JSON Feed documents (through gofeed), the feed links a web page
// advertises (autodiscovery), and OPML subscription lists.
package feed
