// Package extract turns raw inputs (HTML pages, plain text scraped from the
// web) into clean article text plus metadata: title, byline, publication
// date, site, canonical URL and language.
//
// Text scraped from the web carries "chrome": subscription prompts, comment
// notices, copyright lines, photo captions and credits, share prompts,
// related-story lists and tracking codes. The cleaner in clean.go removes it
// line by line using the shape of a line, its position in the document,
// repetition (within the article and across a source's articles) and lists
// of known phrases. Nothing is dropped silently: every removed line is
// returned with a reason code, so an analyst can see what went and why.
package extract
