package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// formatOf returns the input format implied by a file name: "html",
// "text", "jsonl", or "" when the extension is not one we read.
func formatOf(name string) string {
	name = strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	switch filepath.Ext(name) {
	case ".html", ".htm", ".xhtml", ".shtml":
		return "html"
	case ".txt", ".text", ".md", ".markdown":
		return "text"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".warc":
		return "warc"
	}
	return ""
}

// Expand turns the command line's inputs into a sorted, de-duplicated list
// of files. A directory is walked recursively for files we can read (other
// files in it are ignored); a pattern with *, ? or [ is a glob. Inputs that
// cannot be expanded come back as rejections.
func Expand(inputs []string) (files []string, rejected []BadInput) {
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil && strings.ContainsAny(in, "*?[") {
			matches, gerr := filepath.Glob(in)
			if gerr != nil {
				rejected = append(rejected, BadInput{in, fmt.Sprintf("bad glob pattern: %v", gerr)})
				continue
			}
			if len(matches) == 0 {
				rejected = append(rejected, BadInput{in, "no files match this pattern"})
			}
			for _, m := range matches {
				if mi, err := os.Stat(m); err == nil && mi.IsDir() {
					walk(m, add, &rejected)
				} else {
					add(m)
				}
			}
			continue
		}
		switch {
		case err != nil && os.IsNotExist(err):
			rejected = append(rejected, BadInput{in, "no such file or directory"})
		case err != nil:
			rejected = append(rejected, BadInput{in, describe(err)})
		case fi.IsDir():
			walk(in, add, &rejected)
		default:
			add(in)
		}
	}
	sort.Strings(files)
	return files, rejected
}

func walk(root string, add func(string), rejected *[]BadInput) {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			*rejected = append(*rejected, BadInput{p, "cannot read directory: " + describe(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && formatOf(d.Name()) != "" {
			add(p)
		}
		return nil
	})
	if err != nil {
		*rejected = append(*rejected, BadInput{root, describe(err)})
	}
}

// describe shortens an OS error to its cause: the path is named already.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
