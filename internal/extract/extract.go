package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// ErrNoContent is returned when an input holds no article text.
var ErrNoContent = errors.New("no article text found")

// Result is what extraction finds in one input.
type Result struct {
	Title     string
	Author    string
	Site      string
	URL       string // canonical URL, when the page declares one
	Published *time.Time
	Language  string
	Text      string
	Removed   []model.Removal
	// ShortLines are the input's short lines (see CandidateLines), whose
	// fingerprints the store keeps per source to learn its boilerplate.
	ShortLines []string
}

// Options tunes extraction. The zero value works.
type Options struct {
	// URL is where the input came from, if known; it resolves relative
	// canonical links and serves as the URL when the page declares none.
	URL string
	// ContentType is the HTTP Content-Type header, if any (charset).
	ContentType string
	// Repeated, when set, is asked which of a page's short lines are
	// boilerplate of its source, given the site name found in the page
	// (empty for plain text); those lines are removed as
	// repeated-in-source. See CleanOptions.Repeated.
	Repeated func(site string, lines []string) map[string]bool
	// Source is the outlet's name when the caller knows it (see
	// CleanOptions.Source).
	Source string
}

// Page is an input after the expensive part of extraction (parsing, main
// content detection, metadata), before cleaning. Cleaning is cheap and may
// depend on what is already stored (a source's boilerplate), so callers
// can parse in parallel and clean in order.
type Page struct {
	Title, Author, Site, URL string
	Published                *time.Time
	// bodyLanguage is go-trafilatura's classification of the extracted
	// body (whatlanggo's trigram model, an ISO 639-1 code; "" for none and
	// for plain text).
	bodyLanguage string
	body         string
	isHTML       bool
	// last is the page's latest cleaning, kept because ingest cleans each
	// page twice — ahead of time in parallel, then in input order against
	// the store — and the second mostly finds the same repeated lines.
	last *cleaned
}

type cleaned struct {
	source   string
	repeated map[string]bool // the lines of the page its source repeats
	res      *Result
	err      error
}

// HTML extracts the main text and metadata from an HTML page.
func HTML(page []byte, opts Options) (*Result, error) {
	p, err := ParseHTML(page, opts)
	if err != nil {
		return nil, err
	}
	return p.Clean(opts)
}

// ParseHTML decodes an HTML page, finds its main content and metadata.
func ParseHTML(page []byte, opts Options) (*Page, error) {
	src, err := DecodeHTML(page, opts.ContentType)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(norm.NFC.String(src)))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	topts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
	}
	if opts.URL != "" {
		if u, err := url.Parse(opts.URL); err == nil {
			topts.OriginalURL = u
		}
	}
	res, err := extractSafely(doc, topts)
	if err != nil || res == nil || strings.TrimSpace(res.ContentText) == "" {
		if err != nil && !strings.Contains(err.Error(), "text") {
			return nil, fmt.Errorf("%w: %v", ErrNoContent, err)
		}
		return nil, ErrNoContent
	}
	md := res.Metadata
	out := &Page{
		Title:        strings.TrimSpace(md.Title),
		Author:       strings.TrimSpace(md.Author),
		Site:         strings.TrimSpace(md.Sitename),
		URL:          strings.TrimSpace(md.URL),
		bodyLanguage: md.Language,
		isHTML:       true,
	}
	if out.Site == "" {
		out.Site = md.Hostname
	}
	if out.URL == "" {
		out.URL = opts.URL
	}
	switch mp := metaPublished(doc); {
	case mp != nil && (md.Date.IsZero() || sameDay(*mp, md.Date)):
		out.Published = mp
	case !md.Date.IsZero():
		d := md.Date.UTC()
		out.Published = &d
	}
	body := res.ContentText
	if res.ContentNode != nil {
		if bt := blockText(res.ContentNode); bt != "" {
			body = bt
		}
	}
	out.body = dropLeadingTitle(body, out.Title)
	return out, nil
}

// ParseText prepares plain text scraped from the web for cleaning.
func ParseText(text string, opts Options) *Page {
	return &Page{URL: opts.URL, body: norm.NFC.String(text)}
}

// Clean removes chrome from the page's text (learning the source's
// boilerplate from opts.Repeated), finds a plain text's title and byline,
// and detects the language.
func (p *Page) Clean(opts Options) (*Result, error) {
	var rep map[string]bool
	if opts.Repeated != nil {
		rep = opts.Repeated(p.Site, CandidateLines(p.body))
	}
	c := p.last
	if c == nil || c.source != opts.Source || !sameSet(c.repeated, rep) {
		var test func(string) bool
		if len(rep) > 0 {
			test = func(l string) bool { return rep[l] }
		}
		res, err := p.clean(opts.Source, test)
		c = &cleaned{opts.Source, rep, res, err}
		p.last = c
	}
	if c.err != nil {
		return nil, c.err
	}
	res := *c.res
	return &res, nil
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func (p *Page) clean(source string, repeated func(string) bool) (*Result, error) {
	out := &Result{Title: p.Title, Author: p.Author, Site: p.Site, URL: p.URL, Published: p.Published}
	c := Clean(p.body, CleanOptions{Body: p.isHTML, Source: source, Repeated: repeated})
	out.Text, out.Removed = c.Text(), c.Removed
	if !p.isHTML {
		out.Title, out.Author = c.Title, c.Author
	}
	out.ShortLines = CandidateLines(p.body)
	if p.isHTML {
		if !enoughContent(out.Text) {
			return nil, ErrNoContent
		}
	} else if strings.TrimSpace(out.Text) == "" {
		if out.Title == "" {
			return nil, ErrNoContent
		}
		// A headline alone is still a report; keep it as its own text.
		out.Text = out.Title
	}
	text := strings.TrimSpace(out.Title + "\n" + out.Text)
	if p.bodyLanguage != "" {
		out.Language = refineLanguage(p.bodyLanguage, text)
	} else {
		out.Language = DetectLanguage(text)
	}
	return out, nil
}

// extractSafely runs the extractor and turns a panic in it (third-party
// code fed with untrusted markup) into an error.
func extractSafely(doc *html.Node, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("extractor failed: %v", r)
		}
	}()
	return trafilatura.ExtractDocument(doc, opts)
}

// Text cleans plain text scraped from the web. The first heading-shaped
// line above the first paragraph is the title (the first non-empty line,
// when the text has no chrome above it).
func Text(text string, opts Options) (*Result, error) {
	return ParseText(text, opts).Clean(opts)
}

// CandidateLines returns the trimmed short lines of text: those that can
// be a source's boilerplate. Their fingerprints are stored per source.
func CandidateLines(text string) []string {
	var out []string
	for _, l := range splitLines(text) {
		if l.words <= maxBoilerplateWords {
			out = append(out, l.text)
		}
	}
	return out
}

// Baseline runs go-trafilatura alone, as its own benchmark does (with
// fallback extractors, without comments): the reference crosscheck's
// extraction is measured against.
func Baseline(page []byte, pageURL string) (string, error) {
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true}
	if u, err := url.Parse(pageURL); err == nil && pageURL != "" {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(page), opts)
	if err != nil {
		return "", err
	}
	return res.ContentText, nil
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// dropLeadingTitle removes the headline when the extracted body starts
// with it: it is metadata, not a paragraph.
func dropLeadingTitle(body, title string) string {
	first, rest, _ := strings.Cut(body, "\n")
	if title != "" && strings.EqualFold(strings.TrimSpace(first), strings.TrimSpace(title)) {
		return rest
	}
	return body
}

// enoughContent reports whether an extracted page holds an article's worth
// of text rather than a stray label ("Home", "Menu").
func enoughContent(text string) bool {
	return len(strings.Fields(text)) >= 5
}

// pageJSON is a Page as stored between processes.
type pageJSON struct {
	Title, Author, Site, URL string
	Published                *time.Time `json:",omitempty"`
	Language                 string     `json:",omitempty"`
	Body                     string
	HTML                     bool
	// Cleaned is the page's latest successful cleaning, so the process
	// that cleans it again against the same repeated lines need not.
	Cleaned *cleanedJSON `json:",omitempty"`
}

type cleanedJSON struct {
	Source   string
	Repeated []string `json:",omitempty"`
	Result   *Result
}

// MarshalJSON lets a parsed page travel to the process that cleans and
// stores it (the work queue on PostgreSQL), with its latest cleaning.
func (p *Page) MarshalJSON() ([]byte, error) {
	j := pageJSON{p.Title, p.Author, p.Site, p.URL, p.Published, p.bodyLanguage, p.body, p.isHTML, nil}
	if c := p.last; c != nil && c.err == nil {
		j.Cleaned = &cleanedJSON{Source: c.source, Result: c.res}
		for l := range c.repeated {
			j.Cleaned.Repeated = append(j.Cleaned.Repeated, l)
		}
		sort.Strings(j.Cleaned.Repeated)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Page) UnmarshalJSON(b []byte) error {
	var j pageJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Page{Title: j.Title, Author: j.Author, Site: j.Site, URL: j.URL, Published: j.Published, bodyLanguage: j.Language, body: j.Body, isHTML: j.HTML}
	if c := j.Cleaned; c != nil && c.Result != nil {
		var rep map[string]bool
		if len(c.Repeated) > 0 {
			rep = make(map[string]bool, len(c.Repeated))
			for _, l := range c.Repeated {
				rep[l] = true
			}
		}
		p.last = &cleaned{source: c.Source, repeated: rep, res: c.Result}
	}
	return nil
}
