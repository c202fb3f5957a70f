package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// warcRecord writes one WARC/1.0 record.
func warcRecord(typ, uri, date, block string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-000000000000>\r\n",
		typ, uri, date, len(b.String())+len(uri)+len(block))
	fmt.Fprintf(&b, "Content-Type: application/http; msgtype=%s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", typ, len(block), block)
	return b.Bytes()
}

func httpResponse(status, contentType, body string) string {
	return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
}

// testWARC is a small CC-NEWS-like archive: two articles (one in
// windows-1251), a request, an image and a redirect; gzip per record
// when zipped.
func testWARC(zipped bool) []byte {
	cp1251, _ := charmap.Windows1251.NewEncoder().String(htmlPage("Совет проголосовал", "Региональный совет в четверг проголосовал за ремонт защитных дамб до начала зимних штормов, сообщили власти."))
	recs := [][]byte{
		warcRecord("request", "https://news.example/barrier", "2026-03-14T10:00:00Z", "GET /barrier HTTP/1.1\r\nHost: news.example\r\n\r\n"),
		warcRecord("response", "https://news.example/barrier", "2026-03-14T10:00:01Z", httpResponse("200 OK", "text/html; charset=utf-8", htmlPage("Barrier vote in the council", prose))),
		warcRecord("response", "https://news.example/logo.png", "2026-03-14T10:00:02Z", httpResponse("200 OK", "image/png", "\x89PNG....")),
		warcRecord("response", "https://news.example/old", "2026-03-14T10:00:03Z", httpResponse("301 Moved Permanently", "text/html", "<a href=/new>moved</a>")),
		warcRecord("response", "https://ru.example/dams", "2026-03-14T11:30:00Z", httpResponse("200 OK", "text/html; charset=windows-1251", cp1251)),
	}
	var out bytes.Buffer
	for _, r := range recs {
		if zipped {
			out.Write(gz(r))
		} else {
			out.Write(r)
		}
	}
	return out.Bytes()
}

func TestWARC(t *testing.T) {
	dir := t.TempDir()
	for _, zipped := range []bool{false, true} {
		name := "cc-news.warc"
		if zipped {
			name += ".gz"
		}
		t.Run(name, func(t *testing.T) {
			p := write(t, dir, name, testWARC(zipped))
			st := newStore(t)
			sum, err := Run(context.Background(), st, []string{p}, Options{})
			if err != nil || sum.Ingested != 2 || sum.Rejected != 0 {
				t.Fatalf("Run = %+v, %v; want 2 ingested", sum, err)
			}
			as, _ := st.ListArticles(context.Background(), store.ListOptions{})
			byURL := map[string]bool{}
			for _, a := range as {
				byURL[a.URL] = true
				if !strings.HasPrefix(a.Path, p+"@") || a.FetchedAt == nil {
					t.Errorf("%s: path %q fetched %v; want file@offset and the WARC date", a.URL, a.Path, a.FetchedAt)
				}
				if a.URL == "https://ru.example/dams" && (!strings.Contains(a.Text, "сообщили") || a.FetchedAt.Format("15:04") != "11:30") {
					t.Errorf("windows-1251 record: %q, fetched %v", a.Text, a.FetchedAt)
				}
			}
			if !byURL["https://news.example/barrier"] || !byURL["https://ru.example/dams"] {
				t.Errorf("articles %v; want the two HTML responses", byURL)
			}
			// The same archive again adds nothing.
			if again, _ := Run(context.Background(), st, []string{p}, Options{}); again.Skipped != 2 || again.Ingested != 0 {
				t.Errorf("second run = %+v; want 2 skipped", again)
			}
		})
	}
}

// TestWARCTruncated: a record cut short is rejected by offset; the
// records before it stand, and other inputs go on.
func TestWARCTruncated(t *testing.T) {
	dir := t.TempDir()
	for _, zipped := range []bool{false, true} {
		full := testWARC(zipped)
		p := write(t, dir, fmt.Sprintf("cut-%v.warc", zipped), full[:len(full)-200])
		if zipped {
			p = write(t, dir, "cut.warc.gz", full[:len(full)-200])
		}
		other := write(t, dir, fmt.Sprintf("other-%v.html", zipped), []byte(htmlPage("Storm barrier plan approved", prose+" Other.")))
		st := newStore(t)
		sum, err := Run(context.Background(), st, []string{p, other}, Options{})
		if err != nil || sum.Ingested != 2 || sum.Rejected != 1 {
			t.Fatalf("zipped=%v: Run = %+v, %v; want the barrier page and the other file, one rejection", zipped, sum, err)
		}
		rej, _ := st.ListRejections(context.Background())
		if len(rej) != 1 || !strings.HasPrefix(rej[0].Input, p+"@") || !strings.Contains(rej[0].Reason, "truncated") {
			t.Errorf("zipped=%v: rejections %+v; want one naming file@offset and truncation", zipped, rej)
		}
	}
	if sum, _ := Run(context.Background(), newStore(t), []string{write(t, dir, "junk.warc", []byte("not a warc at all\n"))}, Options{}); sum.Rejected != 1 {
		t.Errorf("junk WARC: %+v; want rejected", sum)
	}
}

func FuzzWARC(f *testing.F) {
	f.Add(testWARC(false))
	f.Add(testWARC(true))
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99999999999\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := Options{MaxBytes: 1 << 20}
		err := readWARCStream(context.Background(), bytes.NewReader(b), "f.warc", opts, func(it item) error {
			if it.page == nil && it.reason == "" {
				t.Fatalf("item %q with neither page nor reason", it.input)
			}
			if !strings.HasPrefix(it.input, "f.warc") {
				t.Fatalf("item named %q", it.input)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("readWARCStream = %v; only a cancelled context is an error", err)
		}
	})
}
