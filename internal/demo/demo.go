// Package demo embeds crosscheck's demo corpus: fictional outlets and
// events, written for this project, that exercise every capability (wire
// copy republished verbatim, a spun rewrite, a translation, an aggregator
// copy in chrome, outlets disagreeing on a toll).
package demo

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed corpus
var corpus embed.FS

// WriteCorpus writes the corpus files under dir.
func WriteCorpus(dir string) error {
	return fs.WalkDir(corpus, "corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("corpus", p)
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := corpus.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}
