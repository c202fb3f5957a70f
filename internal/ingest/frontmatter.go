package ingest

import (
	"bytes"
	"strings"
)

// frontMatterKeys are the keys a text input's front matter may set.
var frontMatterKeys = map[string]bool{"source": true, "published": true, "url": true, "title": true, "author": true}

// splitFrontMatter reads a leading block of "key: value" lines between two
// "---" lines, as Markdown tools write it. The block is blanked out of the
// returned body (not cut), so line numbers still match the file. Without a
// well-formed block the input comes back unchanged.
func splitFrontMatter(b []byte) (map[string]string, []byte) {
	if !bytes.HasPrefix(b, []byte("---")) {
		return nil, b
	}
	lines := strings.Split(string(b), "\n")
	if strings.TrimSpace(lines[0]) != "---" {
		return nil, b
	}
	meta := map[string]string{}
	for i := 1; i < len(lines) && i <= 50; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" {
			for j := 0; j <= i; j++ {
				lines[j] = ""
			}
			return meta, []byte(strings.Join(lines, "\n"))
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, b
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if frontMatterKeys[k] {
			meta[k] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return nil, b
}
