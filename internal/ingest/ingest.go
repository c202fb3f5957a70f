package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/dates"
	"github.com/crosscheck-news/crosscheck/internal/entity"
	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/geo"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

// Options tunes an ingest. The zero value works.
type Options struct {
	// Source names the outlet of every input, overriding what the inputs
	// say of themselves.
	Source string
	// Published is the publication time for inputs that carry none.
	Published *time.Time
	// MaxBytes caps one input file (JSONL: one line). 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxText caps an article's text, in characters, after cleaning:
	// longer ones are rejected. 0 means DefaultMaxText.
	MaxText int
	// Workers extract in parallel; 0 means one per CPU.
	Workers int
	// Report, if set, is called once per input (per JSONL line) in the
	// order results are stored, from a single goroutine.
	Report func(Result)
	// Glossary pivots Chinese and Malay to English for story clustering;
	// nil leaves them to meet other languages on names and numbers only.
	Glossary *story.Glossary
	// StoryThreshold is the similarity an article needs to join a story;
	// 0 means story.DefaultThreshold.
	StoryThreshold float64
	// Progress, if set, is called after each input file is done.
	Progress func(done, total int)

	// Stages, if set, sums the time spent in each stage of the pipeline.
	Stages *Stages

	// deferParse leaves items unparsed, for Read: another process parses
	// them (Item.Prepare) and a serial writer stores them.
	deferParse bool
	// lookup is the store readers consult, ahead of the writer, for the
	// lines a source repeats (see ahead).
	lookup store.Store
	// names attributes articles arriving under a renamed outlet's old
	// name to its new one; nil leaves names as the inputs give them.
	names *outletNames
}

// bind sets what an ingest into st reads of it: the store readers look
// ahead in, and the outlets' renames (unless ForStore shared them).
func (o Options) bind(st store.Store) Options {
	o.lookup = st
	if o.names == nil {
		o.names = newOutletNames(st)
	}
	return o
}

// ForStore returns the options with what an ingest into st reads of it
// once and shares between its items (the outlets' renames), for a
// process that calls Item.Prepare for many items.
func (o Options) ForStore(st store.Store) Options {
	o.names = newOutletNames(st)
	return o
}

// withDefaults fills what the zero value leaves to defaults.
func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	return o
}

// Outcome is what became of one input.
type Outcome string

// Outcomes of an input.
const (
	Ingested Outcome = "ingested"
	Skipped  Outcome = "skipped" // already present
	Rejected Outcome = "rejected"
)

// Result is the outcome for one input.
type Result struct {
	Input     string
	Outcome   Outcome
	ArticleID string
	Reason    string // why it was rejected
}

// BadInput pairs an input with the reason it could not be read.
type BadInput struct {
	Input  string
	Reason string
}

// DefaultMaxText is the longest article text kept, in characters: ten
// times a long feature. Linking, claims and places take time in
// proportion to it, so a page that is a whole book is refused, not read.
const DefaultMaxText = 500_000

// Summary counts the outcomes of a run.
type Summary struct {
	Ingested, Skipped, Rejected int
}

func (s *Summary) add(r Result) {
	switch r.Outcome {
	case Ingested:
		s.Ingested++
	case Skipped:
		s.Skipped++
	case Rejected:
		s.Rejected++
	}
}

// String is the one-line summary printed at the end of an ingest.
func (s Summary) String() string {
	return fmt.Sprintf("ingested %d, skipped %d (already present), rejected %d", s.Ingested, s.Skipped, s.Rejected)
}

// item is one parsed input or one rejection, on its way to the writer,
// which cleans it (in input order, against what is already stored) and
// stores it.
type item struct {
	input  string
	page   *extract.Page
	raw    rawArticle
	reason string
	ahead  *ahead
}

// Run ingests inputs into st. It returns an error only for failures that
// stop the whole run (the database, a cancelled context); bad inputs are
// counted in the summary and recorded in the store.
func Run(ctx context.Context, st store.Store, inputs []string, opts Options) (Summary, error) {
	opts = opts.withDefaults()
	files, rejected := Expand(inputs)
	var sum Summary
	opts = opts.bind(st)
	w := newWriter(st, opts, &sum)
	for _, r := range rejected {
		res, err := w.write(ctx, item{input: r.Input, reason: r.Reason})
		if err != nil {
			return sum, err
		}
		w.report(res)
	}
	read := func(ctx context.Context, i int, out chan<- item) error { return readFile(ctx, files[i], opts, out) }
	err := w.run(ctx, len(files), read, opts.Progress)
	return sum, err
}

func newWriter(st store.Store, opts Options, sum *Summary) *writer {
	// The gazetteer takes a second to load. Loading it now, beside the
	// readers, keeps that second off the writer, which every article
	// waits for; the writer's first places lookup waits for the load.
	go geo.Default() // a failure is reported by the writer's own call
	sw := &swappable{st}
	w := &writer{st: sw, base: st, opts: opts, sum: sum, linker: lineage.NewLinker(sw), clusterer: story.New(sw, opts.Glossary)}
	if opts.StoryThreshold > 0 {
		w.clusterer.Threshold = opts.StoryThreshold
	}
	return w
}

// run reads n inputs in parallel and writes their items in input order,
// so the same inputs always give the same database (story placement and
// copy direction depend on arrival order). Each input has its own small
// channel; order lists them as they are handed out, and its capacity
// bounds how far readers run ahead of the writer.
func (w *writer) run(ctx context.Context, n int, read func(ctx context.Context, i int, out chan<- item) error, progress func(done, total int)) error {
	type job struct {
		i   int
		out chan item
	}
	jobs := make(chan job)
	order := make(chan chan item, 2*w.opts.Workers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(jobs)
		defer close(order)
		for i := 0; i < n; i++ {
			out := make(chan item, 16)
			select {
			case order <- out:
			case <-gctx.Done():
				return gctx.Err()
			}
			select {
			case jobs <- job{i, out}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	var done int
	var doneMu sync.Mutex
	for k := 0; k < w.opts.Workers; k++ {
		g.Go(func() error {
			for j := range jobs {
				err := read(gctx, j.i, j.out)
				close(j.out)
				if err != nil {
					return err
				}
				if progress != nil {
					doneMu.Lock()
					done++
					progress(done, n)
					doneMu.Unlock()
				}
			}
			return nil
		})
	}
	g.Go(func() error { return w.drain(gctx, order) })
	return g.Wait()
}

// Batches: on a store that can group writes, the writer commits every
// batchArticles inputs or batchTime, whichever comes first, and whenever
// no parsed input is waiting, so a quiet feed's articles are visible at
// once. A commit per article spent most of its time writing the same
// index pages again; batches cut the time spent storing by 40 % (10.8 s
// to 6.2 s for the 3,000 articles of `crosscheck bench`). Batches of 256
// inputs or a second, rather than 64 or a quarter of a second, made
// ingest of 10,000 articles 9 % faster again (two runs each, alternated:
// 59.9 and 59.4 s against 54.9 and 53.6 s); 1,024 or two seconds gained
// under 1 % more for 50 MiB more memory. A crash loses at most the open
// batch, which the next run ingests again.
const (
	batchArticles = 256
	batchTime     = time.Second
)

// drain writes the items of order's channels in order, in batches when
// the store allows.
func (w *writer) drain(ctx context.Context, order <-chan chan item) (err error) {
	// The writer's own time outside write: committing (the last batch
	// too), and waiting for the readers with nothing left to commit.
	lap := w.opts.Stages.Clock()
	defer func() {
		lap("")
		ferr := w.endBatch(ctx, err == nil)
		lap("commit")
		if err == nil {
			err = ferr
		}
	}()
	commit := func() error {
		lap("")
		err := w.endBatch(ctx, true)
		lap("commit")
		return err
	}
	for {
		lap("")
		out, ok, err := receive(order, commit)
		lap("wait")
		if err != nil || !ok {
			return err
		}
		for {
			lap("")
			it, ok, err := receive(out, commit)
			lap("wait")
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if err := w.beginBatch(ctx); err != nil {
				return err
			}
			res, err := w.write(ctx, it)
			if err != nil {
				return err
			}
			w.report(res)
			if w.batched >= batchArticles || time.Since(w.batchStart) >= batchTime {
				if err := commit(); err != nil {
					return err
				}
			}
		}
	}
}

// receive takes the next value of ch without blocking when one is ready;
// before it blocks it runs idle (the writer commits what it has written,
// so nothing waits unseen for the next input).
func receive[T any](ch <-chan T, idle func() error) (T, bool, error) {
	select {
	case v, ok := <-ch:
		return v, ok, nil
	default:
	}
	if err := idle(); err != nil {
		var zero T
		return zero, false, err
	}
	v, ok := <-ch
	return v, ok, nil
}

// beginBatch opens a batch if the store has them and none is open.
func (w *writer) beginBatch(ctx context.Context) error {
	b, ok := w.base.(store.Batcher)
	if !ok || w.batch != nil {
		return nil
	}
	batch, err := b.Begin(ctx)
	if err != nil {
		return err
	}
	w.batch, w.batched, w.batchStart = batch, 0, time.Now()
	w.st.Store = batch.Store()
	return nil
}

// endBatch commits (or rolls back) the open batch and reports its inputs
// once their outcome is durable.
func (w *writer) endBatch(ctx context.Context, commit bool) error {
	if !commit {
		return w.abortBatch()
	}
	if w.batch == nil {
		return nil
	}
	b, pending := w.batch, w.pending
	w.batch, w.st.Store, w.pending = nil, w.base, nil
	if err := b.Commit(ctx); err != nil {
		w.clusterer.Forget() // nothing of the batch is stored
		return err
	}
	for _, r := range pending {
		w.sum.add(r)
		if w.opts.Report != nil {
			w.opts.Report(r)
		}
	}
	return nil
}

// abortBatch discards the open batch and its inputs' results.
func (w *writer) abortBatch() error {
	if w.batch == nil {
		return nil
	}
	b := w.batch
	w.batch, w.st.Store, w.pending = nil, w.base, nil
	w.clusterer.Forget()
	return b.Rollback()
}

// Document is one page or text handed to the pipeline from memory: a
// fetched page, a record of a web archive.
type Document struct {
	// Input names it in reports and rejections (a URL, file.warc@offset).
	Input       string
	URL         string
	Content     []byte
	ContentType string // the HTTP Content-Type, for the charset
	// Format is "html" or "text"; "" sniffs.
	Format    string
	Source    string
	Title     string
	Published *time.Time
	FetchedAt *time.Time
}

// Documents ingests documents as Run ingests files: parsed in parallel,
// stored in order. The results are in document order.
func Documents(ctx context.Context, st store.Store, docs []Document, opts Options) (Summary, []Result, error) {
	opts = opts.withDefaults()
	var sum Summary
	results := make([]Result, 0, len(docs))
	report := opts.Report
	opts.Report = func(r Result) {
		results = append(results, r)
		if report != nil {
			report(r)
		}
	}
	opts = opts.bind(st)
	w := newWriter(st, opts, &sum)
	read := func(ctx context.Context, i int, out chan<- item) error {
		it := documentItem(docs[i], opts)
		select {
		case out <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := w.run(ctx, len(docs), read, nil)
	return sum, results, err
}

// documentItem parses one document; what is wrong with it becomes a
// rejection item.
func documentItem(d Document, opts Options) item {
	reject := func(reason string) item { return item{input: d.Input, reason: reason} }
	if int64(len(d.Content)) > opts.MaxBytes {
		return reject(fmt.Sprintf("document is over the %s limit (--max-size)", size(opts.MaxBytes)))
	}
	if err := checkContent(d.Content); err != nil {
		return reject(err.Error())
	}
	format := d.Format
	if format == "" {
		format = "text"
		if sniffHTML(d.Content) || strings.Contains(strings.ToLower(d.ContentType), "html") {
			format = "html"
		}
	}
	raw := rawArticle{format: format, path: d.Input, url: d.URL, source: d.Source, title: d.Title, published: d.Published,
		content: d.Content, contentType: d.ContentType, fetchedAt: d.FetchedAt}
	return parsedItem(d.Input, raw, opts)
}

// parsedItem is an input's item, parsed now or, with opts.deferParse,
// left for another process to parse.
func parsedItem(input string, raw rawArticle, opts Options) item {
	it := item{input: input, raw: raw}
	if opts.deferParse {
		return it
	}
	return prepare(context.Background(), it, opts)
}

// prepare parses an item and works out ahead what depends on it alone
// (see Item.Prepare), charging the time to the stage "parse".
func prepare(ctx context.Context, it item, opts Options) item {
	defer opts.Stages.Clock()("parse")
	it = it.parse()
	it.ahead = lookAhead(ctx, it, opts)
	return it
}

// ahead is what a reader works out about an article before the writer
// takes it: the article, cleaned against the source's repeated lines as
// the store knows them then (a few articles behind the writer), and
// everything derived from the article alone. The writer uses it when its
// own cleaning, against the store as it is in input order, gives the same
// article — true of all but the articles that meet a source's new piece
// of boilerplate — and so runs in input order only what depends on
// earlier articles. The result is the same as without it.
type ahead struct {
	article *model.Article
	// link is nil in a record from another process whose features did
	// not decode (see aheadJSON): the writer makes it.
	link   *lineage.Features
	terms  map[string]float64
	claims []model.Claim
	dates  []model.DateMention
	names  []model.NameMention
}

func lookAhead(ctx context.Context, it item, opts Options) *ahead {
	if it.page == nil {
		return nil
	}
	a, _, err := finish(ctx, opts.lookup, it.page, it.raw, opts)
	if err != nil {
		return nil // the writer finds the same error
	}
	return derive(a, opts.Glossary)
}

// derive works out what depends on the article alone, wherever it is
// done: ahead by a reader, or by the writer when the article it made is
// not the one looked ahead at.
func derive(a *model.Article, g *story.Glossary) *ahead {
	return &ahead{
		article: a,
		link:    ptr(lineage.FeaturesOf(a)),
		terms:   story.Terms(a.Title, a.Text, a.Language, g),
		claims:  claim.Extract(a),
		dates:   dateMentions(a),
		names:   entity.Extract(a),
	}
}

// matches reports whether the article the writer made is the one looked
// ahead at: every field the derived data depends on is the same.
func (ah *ahead) matches(a *model.Article) bool {
	if ah == nil {
		return false
	}
	b := ah.article
	return a.ID == b.ID && a.Text == b.Text && a.Title == b.Title && a.Language == b.Language &&
		a.Source == b.Source && a.URL == b.URL && sameTime(a.Published, b.Published)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// dateMentions are the dates and times a's text gives.
func dateMentions(a *model.Article) []model.DateMention {
	var out []model.DateMention
	for _, d := range dates.FindLang(a.Text, a.Language, a.Published) {
		out = append(out, model.DateMention{Article: a.ID, Start: d.Start, End: d.End, Text: d.Text, Value: d.Value, Precision: d.Precision})
	}
	return out
}

// parse does the expensive, order-independent part of an item: a page,
// or the reason there is none. Parsed and rejected items are returned
// as they are.
func (it item) parse() item {
	if it.page != nil || it.reason != "" {
		return it
	}
	page, err := parse(it.raw)
	if err != nil {
		return item{input: it.input, reason: err.Error()}
	}
	it.page = page
	it.raw.content = nil // parsed: the bytes are not needed again
	return it
}

type writer struct {
	// st is what the writer and its linker and clusterer write to: the
	// store, or the open batch on it.
	st      *swappable
	base    store.Store
	batch   store.Batch
	batched int
	// batchStart is when the open batch began; pending are its inputs'
	// results, reported at commit.
	batchStart time.Time
	pending    []Result
	opts       Options
	sum        *Summary
	linker     *lineage.Linker
	clusterer  *story.Clusterer
	windows    sourceWindows
}

// write cleans, links, places and stores one item, and says what became
// of it.
func (w *writer) write(ctx context.Context, it item) (Result, error) {
	lap := w.opts.Stages.Clock()
	it = it.parse()
	lap("parse")
	res := Result{Input: it.input}
	// A page known by its URL that is stored already is skipped before
	// cleaning: boilerplate learnt since it was stored could clean it
	// differently now (to nothing, even), and re-ingesting an input must
	// change nothing.
	urlKey := ""
	if it.page != nil {
		if urlKey = URLKey(it.page.URL); urlKey != "" {
			present, err := w.st.HasArticle(ctx, urlKey)
			if err != nil {
				return res, err
			}
			if present {
				res.Outcome, res.ArticleID = Skipped, model.ArticleID(urlKey)
				lap("clean")
				return res, nil
			}
		}
	}
	var a *model.Article
	var lines []string
	if it.page != nil {
		var err error
		if a, lines, err = finish(ctx, w.st, it.page, it.raw, w.opts); err != nil {
			it.reason = err.Error()
		}
		lap("clean")
	}
	if a == nil {
		res.Outcome, res.Reason = Rejected, it.reason
		if err := w.st.RecordRejection(ctx, model.Rejection{Input: it.input, Reason: it.reason}); err != nil {
			return res, err
		}
		lap("store")
	} else {
		ins := false
		present := false // an article keyed by its page's URL was looked up above
		if a.Key != urlKey {
			var err error
			if present, err = w.st.HasArticle(ctx, a.Key); err != nil {
				return res, err
			}
		}
		if !present {
			ah := it.ahead
			if !ah.matches(a) {
				ah = derive(a, w.opts.Glossary)
			}
			if ah.link == nil {
				ah.link = ptr(lineage.FeaturesOf(a))
			}
			aw, err := w.linker.LinkFeatures(ctx, a, *ah.link)
			if err != nil {
				return res, err
			}
			aw.LineHashes = LineHashes(lines)
			lap("lineage")
			if aw.Story, err = w.clusterer.AssignTerms(ctx, a, ah.terms, aw.Derivations); err != nil {
				return res, err
			}
			lap("stories")
			aw.Claims = ah.claims
			lap("claims")
			if aw.Places, err = w.places(ctx, a); err != nil {
				return res, err
			}
			placeClaims(aw.Claims, aw.Places)
			lap("places")
			aw.Dates = ah.dates
			lap("dates")
			if aw.Mentions, err = w.mentions(ctx, a, ah.names, aw.Story); err != nil {
				return res, err
			}
			lap("entities")
			if ins, err = w.st.PutArticle(ctx, aw); err != nil {
				return res, err
			}
			if ins {
				w.windows.stored(a, aw.Places)
				w.clusterer.Stored(aw.Story)
			}
			lap("store")
		}
		res.ArticleID = a.ID
		if ins {
			res.Outcome = Ingested
		} else {
			res.Outcome = Skipped
		}
	}
	return res, nil
}

// report hands a result to opts.Report, or keeps it until the open batch
// is committed.
//
// The summary counts results as they are reported: what a failed batch
// wrote is not counted, since it is not stored.
func (w *writer) report(res Result) {
	if w.batch != nil {
		w.batched++
		w.pending = append(w.pending, res)
		return
	}
	w.sum.add(res)
	if w.opts.Report != nil {
		w.opts.Report(res)
	}
}

// swappable is a store whose target changes as batches open and close.
type swappable struct{ store.Store }

// placeClaims gives each claim the first resolved place its sentence
// names, when it has one.
func placeClaims(cs []model.Claim, ps []model.PlaceMention) {
	for i := range cs {
		for _, p := range ps {
			if p.Start >= cs[i].Start && p.End <= cs[i].End {
				cs[i].Place = p.Name
				break
			}
		}
	}
}

// mentions extracts the names an article gives and resolves them against
// the analysts' aliases and the entities its story already has.
func (w *writer) mentions(ctx context.Context, a *model.Article, ms []model.NameMention, sw *store.StoryWrite) ([]model.NameMention, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	var known []string
	if sw != nil && sw.Assignment.Story != 0 {
		var err error
		if known, err = w.st.StoryEntityKeys(ctx, sw.Assignment.Story); err != nil {
			return nil, err
		}
	}
	folded := make([]string, len(ms))
	for i, m := range ms {
		folded[i] = entity.Fold(m.Name)
	}
	aliases, err := w.st.AliasKeys(ctx, folded)
	if err != nil {
		return nil, err
	}
	entity.Resolve(ms, known, aliases)
	return ms, nil
}

// readFile turns one file into items. Only a cancelled context is an
// error; everything wrong with the file becomes a rejection item.
func readFile(ctx context.Context, path string, opts Options, out chan<- item) error {
	send := func(it item) error {
		select {
		case out <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	reject := func(reason string) error { return send(item{input: path, reason: reason}) }

	format := formatOf(path)
	switch format {
	case "jsonl":
		return readJSONL(ctx, path, opts, send)
	case "warc":
		return readWARC(ctx, path, opts, send)
	}
	b, err := readInput(path, opts.MaxBytes)
	if err != nil {
		return reject(err.Error())
	}
	if err := checkContent(b); err != nil {
		return reject(err.Error())
	}
	if format == "" {
		if !sniffHTML(b) {
			return reject("unsupported file type (want .html, .htm, .txt, .md or .jsonl, optionally .gz)")
		}
		format = "html"
	}
	raw := rawArticle{format: format, path: path, content: b}
	if format == "text" {
		meta, body := splitFrontMatter(b)
		raw.content, raw.source, raw.url, raw.title, raw.author = body, meta["source"], meta["url"], meta["title"], meta["author"]
		if p := meta["published"]; p != "" {
			t, err := ParseTime(p)
			if err != nil {
				return reject("front matter published: " + err.Error())
			}
			raw.published = &t
		}
	}
	return send(parsedItem(path, raw, opts))
}

// jsonlRecord is one line of a JSONL input.
type jsonlRecord struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
}

func readJSONL(ctx context.Context, path string, opts Options, send func(item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return send(item{input: path, reason: describe(err)})
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzipReader(f)
		if err != nil {
			return send(item{input: path, reason: err.Error()})
		}
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	n, any := 0, false
	for {
		line, err := readLine(br, opts.MaxBytes)
		if len(line) > 0 || err == nil {
			n++
		}
		input := fmt.Sprintf("%s:%d", path, n)
		switch {
		case errors.Is(err, errTooLarge):
			if serr := send(item{input: input, reason: fmt.Sprintf("line is over the %s limit (--max-size)", size(opts.MaxBytes))}); serr != nil {
				return serr
			}
			continue
		case err != nil && err != io.EOF:
			return send(item{input: input, reason: "read failed: " + err.Error()})
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			any = true
			if it := jsonlItem(input, t, opts); it != nil {
				if serr := send(*it); serr != nil {
					return serr
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	if !any {
		return send(item{input: path, reason: "empty file"})
	}
	return nil
}

func jsonlItem(input string, line []byte, opts Options) *item {
	reject := func(format string, args ...any) *item {
		return &item{input: input, reason: fmt.Sprintf(format, args...)}
	}
	if !json.Valid(line) {
		var v any
		err := json.Unmarshal(line, &v)
		return reject("malformed JSON: %v", err)
	}
	var rec jsonlRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return reject("malformed record: %v", err)
	}
	raw := rawArticle{path: input, url: rec.URL, source: rec.Source, title: rec.Title}
	switch {
	case strings.TrimSpace(rec.HTML) != "":
		raw.format, raw.content = "html", []byte(rec.HTML)
	case strings.TrimSpace(rec.Text) != "":
		raw.format, raw.content = "text", []byte(rec.Text)
	default:
		return reject(`record has neither "text" nor "html"`)
	}
	if rec.Published != "" {
		t, err := ParseTime(rec.Published)
		if err != nil {
			return reject(`"published": %v`, err)
		}
		raw.published = &t
	}
	raw.jsonl = true
	it := parsedItem(input, raw, opts)
	return &it
}

// readLine reads one line of at most max bytes; a longer one is skipped
// to its end and reported as errTooLarge.
func readLine(r *bufio.Reader, max int64) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if int64(len(buf)+len(chunk)) > max {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, errTooLarge
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, err
	}
}

// rawArticle is an input before extraction.
type rawArticle struct {
	format    string // html or text
	path      string
	url       string
	source    string // from the input itself (JSONL)
	title     string // from the input itself (JSONL, front matter)
	author    string
	published *time.Time
	content   []byte
	jsonl     bool
	// contentType is the HTTP Content-Type (fetched pages, WARC records).
	contentType string
	fetchedAt   *time.Time
}

// parse does the expensive, order-independent part of extraction.
func parse(raw rawArticle) (*extract.Page, error) {
	if raw.format == "html" {
		return extract.ParseHTML(raw.content, extract.Options{URL: raw.url, ContentType: raw.contentType})
	}
	if err := checkUTF8(raw.content); err != nil {
		return nil, err
	}
	return extract.ParseText(string(raw.content), extract.Options{URL: raw.url}), nil
}

// finish cleans a parsed input against the source's stored boilerplate
// and makes the article, and returns the short lines to count for the
// source (those it does not count as boilerplate yet). The writer calls
// it in input order, so what is learnt about a source does not depend
// on worker timing.
func finish(ctx context.Context, st store.Store, page *extract.Page, raw rawArticle, opts Options) (*model.Article, []string, error) {
	// An outlet renamed as a whole (source rename) takes the articles
	// still arriving under its old name.
	source := func(site, u string) string {
		name := ""
		switch {
		case opts.Source != "":
			name = opts.Source
		case raw.source != "":
			name = raw.source
		case site != "":
			name = site
		default:
			if pu, err := url.Parse(u); err == nil {
				name = strings.TrimPrefix(pu.Hostname(), "www.")
			}
		}
		return opts.names.resolve(ctx, name)
	}
	// known are the lines the store already counts as the source's
	// boilerplate (knownFor): they are not stored again, since cleaning
	// only asks whether a line is in two articles and articles are
	// never deleted. A chrome line would otherwise get a row for every
	// article of its source.
	var known map[string]bool
	var knownFor string
	res, err := page.Clean(extract.Options{
		Source: source(page.Site, raw.url),
		Repeated: func(site string, lines []string) map[string]bool {
			knownFor = source(site, raw.url)
			known = repeatedLines(ctx, st, knownFor, lines)
			return known
		},
	})
	if err != nil {
		return nil, nil, err
	}
	limit := opts.MaxText
	if limit <= 0 {
		limit = DefaultMaxText
	}
	if len(res.Text) > limit { // bytes ≥ characters: count only when it may matter
		if n := utf8.RuneCountInString(res.Text); n > limit {
			return nil, nil, fmt.Errorf("article text is %d characters, over the %d limit (--max-text)", n, limit)
		}
	}
	a := &model.Article{
		Source: source(res.Site, res.URL), URL: canonicalURL(res.URL), Path: raw.path, Format: raw.format,
		Title: res.Title, Author: res.Author, Site: res.Site, Published: res.Published,
		Language: res.Language, Text: res.Text, Removed: res.Removed,
	}
	if raw.jsonl {
		a.Format = "jsonl"
	}
	a.FetchedAt = raw.fetchedAt
	if raw.title != "" {
		a.Title = raw.title
	}
	if raw.author != "" {
		a.Author = raw.author
	}
	if raw.published != nil {
		a.Published = raw.published
	}
	if a.Published == nil && opts.Published != nil {
		p := opts.Published.UTC()
		a.Published = &p
	}
	a.Key = identity(a.URL, a.Text)
	a.ID = model.ArticleID(a.Key)
	lines := res.ShortLines
	if len(known) > 0 && knownFor == a.Source {
		lines = slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return known[l] })
	}
	return a, lines, nil
}

func repeatedLines(ctx context.Context, st store.Store, source string, lines []string) map[string]bool {
	if st == nil || source == "" || len(lines) == 0 {
		return nil
	}
	hs := LineHashes(lines)
	rep, err := st.RepeatedLines(ctx, source, hs, 2)
	if err != nil || len(rep) == 0 {
		return nil
	}
	out := map[string]bool{}
	for i, l := range lines {
		if rep[hs[i]] {
			out[l] = true
		}
	}
	return out
}

// LineHashes fingerprints lines for boilerplate detection: case and
// spacing do not matter.
func LineHashes(lines []string) []int64 {
	out := make([]int64, len(lines))
	for i, l := range lines {
		h := fnv.New64a()
		h.Write([]byte(strings.ToLower(strings.Join(strings.Fields(l), " "))))
		out[i] = int64(h.Sum64())
	}
	return out
}

// URLKey is the identity key an article fetched from u would have, or ""
// when u is not an http(s) URL.
func URLKey(u string) string {
	if c := canonicalURL(u); c != "" {
		return "url:" + c
	}
	return ""
}

// identity is an article's key: its canonical URL when known, else the
// hash of its normalised text.
func identity(canonical, text string) string {
	if canonical != "" {
		return "url:" + canonical
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(text), " "))))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// canonicalURL normalises an absolute http(s) URL so that trivially
// different spellings of one page get one identity; "" when u is not one.
func canonicalURL(u string) string {
	pu, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Hostname() == "" {
		return ""
	}
	pu.Scheme = strings.ToLower(pu.Scheme)
	pu.Host = strings.ToLower(pu.Host)
	if (pu.Scheme == "http" && pu.Port() == "80") || (pu.Scheme == "https" && pu.Port() == "443") {
		pu.Host = strings.TrimSuffix(pu.Host, ":"+pu.Port()) // keeps an IPv6 address's brackets
	}
	pu.Fragment, pu.RawFragment, pu.User = "", "", nil
	q := pu.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "ocid" || lk == "cmpid" {
			q.Del(k)
		}
	}
	pu.RawQuery = q.Encode()
	if len(pu.Path) > 1 {
		// Every trailing slash, down to the root's, so that the result
		// is its own canonical form ("/a//" and "/a/" are "/a").
		for len(pu.Path) > 1 && strings.HasSuffix(pu.Path, "/") {
			pu.Path = pu.Path[:len(pu.Path)-1]
		}
		pu.RawPath = ""
	}
	return pu.String()
}

// ParseTime reads a publication time in the forms inputs use: RFC 3339,
// a date, a date and time, RFC 1123.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", time.RFC1123Z, time.RFC1123, "January 2, 2006", "2 January 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a date (want e.g. 2026-03-01 or 2026-03-01T09:30:00Z)", s)
}

// Extract reads and extracts inputs like Run, without a store: fn gets
// each article (or, with a nil article, each rejection) in input order.
func Extract(ctx context.Context, inputs []string, opts Options, fn func(Result, *model.Article) error) error {
	opts = opts.withDefaults()
	files, rejected := Expand(inputs)
	for _, r := range rejected {
		if err := fn(Result{Input: r.Input, Outcome: Rejected, Reason: r.Reason}, nil); err != nil {
			return err
		}
	}
	for _, f := range files {
		items := make(chan item)
		errc := make(chan error, 1)
		go func() { errc <- readFile(ctx, f, opts, items); close(items) }()
		var ferr error
		for it := range items {
			if ferr != nil {
				continue
			}
			var a *model.Article
			if it.page != nil {
				var err error
				if a, _, err = finish(ctx, nil, it.page, it.raw, opts); err != nil {
					it.reason = err.Error()
				}
			}
			if a == nil {
				ferr = fn(Result{Input: it.input, Outcome: Rejected, Reason: it.reason}, nil)
			} else {
				ferr = fn(Result{Input: it.input, Outcome: Ingested, ArticleID: a.ID}, a)
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

func ptr[T any](v T) *T { return &v }
