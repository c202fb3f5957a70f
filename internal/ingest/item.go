package ingest

import (
	"context"
	"encoding/json"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Item is one input on its way through the pipeline, in a form that can
// be stored and handed to another process: read (Read), prepared
// (Prepare: the expensive, order-independent half, which any number of
// workers can do), then written in input order by one Writer (linking,
// clustering, claims, places: the order-dependent half).
type Item struct{ it item }

// Input names the item: a file, file:line, file@offset or URL.
func (i Item) Input() string { return i.it.input }

// Prepare parses the item (or finds why it cannot be: a rejection) and
// works out ahead, against st as it is now,
// what the Writer would otherwise work out in order: the cleaned article
// and what depends on it alone (terms, claims, dates, names). A worker
// does this in parallel; the Writer on the same store uses it when its
// own cleaning, in order, gives the same article, and redoes it when it
// does not, so the result is the same as without it. A Writer parses
// an item nobody prepared itself.
func (i Item) Prepare(ctx context.Context, st store.Store, opts Options) Item {
	opts = opts.withDefaults()
	opts = opts.bind(st)
	return Item{prepare(ctx, i.it, opts)}
}

type itemJSON struct {
	Input  string        `json:"input"`
	Reason string        `json:"reason,omitempty"`
	Page   *extract.Page `json:"page,omitempty"`
	Raw    rawJSON       `json:"raw"`
	Ahead  *aheadJSON    `json:"ahead,omitempty"`
}

// aheadJSON is an ahead record between processes. Copy-detection
// features travel as lineage.Features.MarshalBinary encodes them (about
// 1.5 KB): making them again was a tenth of the single linker's CPU.
type aheadJSON struct {
	Article *model.Article      `json:"article"`
	Link    []byte              `json:"link,omitempty"`
	Terms   map[string]float64  `json:"terms,omitempty"`
	Claims  []model.Claim       `json:"claims,omitempty"`
	Dates   []model.DateMention `json:"dates,omitempty"`
	Names   []model.NameMention `json:"names,omitempty"`
}

type rawJSON struct {
	Format      string     `json:"format,omitempty"`
	Path        string     `json:"path,omitempty"`
	URL         string     `json:"url,omitempty"`
	Source      string     `json:"source,omitempty"`
	Title       string     `json:"title,omitempty"`
	Author      string     `json:"author,omitempty"`
	Published   *time.Time `json:"published,omitempty"`
	FetchedAt   *time.Time `json:"fetched_at,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	JSONL       bool       `json:"jsonl,omitempty"`
	Content     []byte     `json:"content,omitempty"`
}

// MarshalJSON encodes the item for a work queue.
func (i Item) MarshalJSON() ([]byte, error) {
	r := i.it.raw
	j := itemJSON{Input: i.it.input, Reason: i.it.reason, Page: i.it.page, Raw: rawJSON{
		Format: r.format, Path: r.path, URL: r.url, Source: r.source, Title: r.title, Author: r.author, Published: r.published,
		FetchedAt: r.fetchedAt, ContentType: r.contentType, JSONL: r.jsonl, Content: r.content}}
	if ah := i.it.ahead; ah != nil {
		j.Ahead = &aheadJSON{Article: ah.article, Terms: ah.terms, Claims: ah.claims, Dates: ah.dates, Names: ah.names}
		if ah.link != nil {
			link, err := ah.link.MarshalBinary()
			if err != nil {
				return nil, err
			}
			j.Ahead.Link = link
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON wrote.
func (i *Item) UnmarshalJSON(b []byte) error {
	var j itemJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r := j.Raw
	i.it = item{input: j.Input, reason: j.Reason, page: j.Page, raw: rawArticle{format: r.Format, path: r.Path, url: r.URL, source: r.Source,
		title: r.Title, author: r.Author, published: r.Published, fetchedAt: r.FetchedAt, contentType: r.ContentType, jsonl: r.JSONL, content: r.Content}}
	if ah := j.Ahead; ah != nil && ah.Article != nil {
		i.it.ahead = &ahead{article: ah.Article, terms: ah.Terms, claims: ah.Claims, dates: ah.Dates, names: ah.Names}
		if len(ah.Link) > 0 {
			// Features that do not decode (another version's) are made
			// again by the writer, as for a record without them.
			if f, err := lineage.UnmarshalFeatures(ah.Article, ah.Link); err == nil {
				i.it.ahead.link = &f
			}
		}
	}
	return nil
}

// Read reads inputs as Run does, in the same order, without parsing them:
// fn gets every item, rejections included. Only a cancelled context or
// an error from fn stops it.
func Read(ctx context.Context, inputs []string, opts Options, fn func(Item) error) error {
	opts = opts.withDefaults()
	opts.deferParse = true
	files, rejected := Expand(inputs)
	for _, r := range rejected {
		if err := fn(Item{item{input: r.Input, reason: r.Reason}}); err != nil {
			return err
		}
	}
	for _, f := range files {
		items := make(chan item)
		errc := make(chan error, 1)
		go func() { errc <- readFile(ctx, f, opts, items); close(items) }()
		var ferr error
		for it := range items {
			if ferr == nil {
				ferr = fn(Item{it})
			}
		}
		if err := <-errc; err != nil {
			return err
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

// DocumentItem makes an unparsed item of a document.
func DocumentItem(d Document, opts Options) Item {
	opts = opts.withDefaults()
	opts.deferParse = true
	return Item{documentItem(d, opts)}
}

// Writer stores items one at a time, in the order it is given them. It
// is the serial half of Run, for a pipeline whose parsing happens
// elsewhere. On a store with batches its writes are grouped in one
// transaction until Flush.
type Writer struct {
	w   *writer
	sum Summary
}

// NewWriter returns a Writer on st.
func NewWriter(st store.Store, opts Options) *Writer {
	w := &Writer{}
	w.w = newWriter(st, opts.bind(st), &w.sum)
	return w
}

// Write parses the item if it is not parsed yet, then cleans and stores
// it. Writing an item twice stores it once (the second is skipped). What
// it wrote is durable, and reported to Options.Report, after Flush.
func (w *Writer) Write(ctx context.Context, it Item) (Result, error) {
	if err := w.w.beginBatch(ctx); err != nil {
		return Result{}, err
	}
	res, err := w.w.write(ctx, it.it)
	if err != nil {
		return res, err
	}
	w.w.report(res)
	return res, nil
}

// Flush commits what was written since the last Flush.
func (w *Writer) Flush(ctx context.Context) error { return w.w.endBatch(ctx, true) }

// Abort discards what was written since the last Flush; a Writer whose
// Write failed must be aborted.
func (w *Writer) Abort() error { return w.w.abortBatch() }

// Summary counts what the Writer did.
func (w *Writer) Summary() Summary { return w.sum }
