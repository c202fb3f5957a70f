package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"strings"

	"github.com/nlnwa/gowarc"
)

// readWARC turns the HTML responses of a web archive (WARC 1.0/1.1,
// plain or gzip per record, as Common Crawl's CC-NEWS files are) into
// items named file@offset, with the WARC target URI as URL and the WARC
// date as fetch time. Other records are passed over. A record that fails
// validation (cut short, a length that lies) is a rejection named by its
// offset; one that cannot be parsed at all ends the file, since a WARC
// cannot be resynchronised reliably. The records before it stand.
func readWARC(ctx context.Context, path string, opts Options, send func(item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return send(item{input: path, reason: describe(err)})
	}
	defer f.Close()
	return readWARCStream(ctx, f, path, opts, send)
}

// Syntax errors fail the record: gowarc's lenient header parser loops
// forever on a reader error (found by FuzzWARC: a corrupt gzip member),
// and a WARC that breaks its own syntax cannot be trusted further anyway.
// Spec violations (a length that lies) only mark the record invalid.
func readWARCStream(ctx context.Context, in io.Reader, path string, opts Options, send func(item) error) error {
	r, err := gowarc.NewWarcFileReaderFromStream(in, 0, gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithBufferMaxMemBytes(opts.MaxBytes))
	if err != nil {
		return send(item{input: path, reason: describe(err)})
	}
	defer r.Close()
	any := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, offset, validation, err := next(r)
		if errors.Is(err, io.EOF) {
			break
		}
		input := fmt.Sprintf("%s@%d", path, offset)
		if err != nil {
			return send(item{input: input, reason: "unreadable WARC record (truncated or corrupt), rest of file skipped: " + err.Error()})
		}
		any = true
		if validation != nil && len(*validation) > 0 {
			// A record cut short, or whose header lies about it.
			if err := send(item{input: input, reason: "invalid WARC record (truncated or corrupt): " + validation.String()}); err != nil {
				return err
			}
			continue
		}
		it, ok := warcItem(rec, input, opts)
		if !ok {
			continue
		}
		if err := send(it); err != nil {
			return err
		}
	}
	if !any {
		return send(item{input: path, reason: "no WARC records"})
	}
	return nil
}

// warcItem makes an item of an HTML response record; ok is false for
// records that are not one (requests, metadata, images, redirects).
func warcItem(rec gowarc.WarcRecord, input string, opts Options) (item, bool) {
	if rec.Type() != gowarc.Response {
		return item{}, false
	}
	blk, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return item{}, false
	}
	ct := ""
	if h := blk.HttpHeader(); h != nil {
		ct = h.Get("Content-Type")
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt != "text/html" && mt != "application/xhtml+xml" {
		return item{}, false
	}
	reject := func(reason string) (item, bool) { return item{input: input, reason: reason}, true }
	if code := blk.HttpStatusCode(); code != 200 {
		return item{}, false // redirects and errors carry no article
	}
	body, err := blk.PayloadBytes()
	if err != nil {
		return reject("WARC payload: " + err.Error())
	}
	b, err := io.ReadAll(io.LimitReader(body, opts.MaxBytes+1))
	if err != nil {
		return reject("WARC payload: " + err.Error())
	}
	if int64(len(b)) > opts.MaxBytes {
		return reject(fmt.Sprintf("page is over the %s limit (--max-size)", size(opts.MaxBytes)))
	}
	target := strings.Trim(rec.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	d := Document{Input: input, URL: target, Content: b, ContentType: ct, Format: "html"}
	if t, err := rec.Date(); err == nil {
		t = t.UTC()
		d.FetchedAt = &t
	}
	return documentItem(d, opts), true
}

// next reads the next record; gowarc can panic on malformed input (an
// index out of range on a broken header), which becomes an error here.
func next(r *gowarc.WarcFileReader) (rec gowarc.WarcRecord, offset int64, v *gowarc.Validation, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, v, err = nil, nil, fmt.Errorf("malformed WARC data: %v", p)
		}
	}()
	return r.Next()
}
