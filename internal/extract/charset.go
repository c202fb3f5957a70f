package extract

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// DecodeHTML converts an HTML document to UTF-8. The encoding comes from a
// byte-order mark, the Content-Type header (contentType, may be empty) or a
// <meta> declaration; when none is declared and the bytes are not valid
// UTF-8, it is guessed from the byte statistics (windows-1251 and koi8-r
// pages are common in the regions our users follow).
func DecodeHTML(b []byte, contentType string) (string, error) {
	enc, name, certain := charset.DetermineEncoding(b, contentType)
	if !certain && utf8.Valid(b) {
		return string(b), nil
	}
	if !certain {
		if guess := guessEncoding(b); guess != nil {
			enc, name = guess, "guessed"
		}
	}
	if enc == encoding.Nop || strings.EqualFold(name, "utf-8") {
		if !utf8.Valid(b) {
			return strings.ToValidUTF8(string(b), "\uFFFD"), nil
		}
		return string(b), nil
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", name, err)
	}
	return string(out), nil
}

func guessEncoding(b []byte) encoding.Encoding {
	sample := b
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	// Markup is ASCII and drowns the statistics: look at text only.
	res, err := chardet.NewTextDetector().DetectBest(stripTags(sample))
	if err != nil || res == nil {
		return nil
	}
	enc, err := htmlindex.Get(res.Charset)
	if err != nil {
		return nil
	}
	return enc
}

func stripTags(b []byte) []byte {
	var out bytes.Buffer
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}
