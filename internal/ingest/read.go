package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// DefaultMaxBytes is the largest input read, after decompression.
const DefaultMaxBytes = 20 << 20

// errTooLarge marks an input over the size limit.
var errTooLarge = errors.New("too large")

// readInput reads a file, gunzipping .gz files, refusing more than max
// bytes either way (a gzip bomb stops at the limit).
func readInput(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New(describe(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, errors.New(describe(err))
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%w: file is %s, over the %s limit (--max-size)", errTooLarge, size(fi.Size()), size(max))
	}
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("not a valid gzip file: %v", err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read failed: %v", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: decompressed content is over the %s limit (--max-size)", errTooLarge, size(max))
	}
	return b, nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkContent rejects what is not text at all: empty files and binary
// files (NUL bytes or many control characters in the first 8 KiB).
func checkContent(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty file")
	}
	head := b
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("binary file (contains NUL bytes), not text")
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	if ctrl*20 > len(head) {
		return errors.New("binary file (control characters), not text")
	}
	return nil
}

// checkUTF8 rejects text that is not valid UTF-8, saying where.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			line := 1 + bytes.Count(b[:i], []byte("\n"))
			return fmt.Errorf("invalid UTF-8 at byte %d (line %d); convert the file to UTF-8", i, line)
		}
		i += n
	}
	return nil
}

// sniffHTML reports whether content looks like an HTML document.
func sniffHTML(b []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 1024)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}

func gzipReader(r io.Reader) (io.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a valid gzip file: %v", err)
	}
	return zr, nil
}
