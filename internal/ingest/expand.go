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
// files in it are ignored; see linked for symbolic links); a pattern with
// *, ? or [ is a glob. Inputs that cannot be expanded come back as
// rejections.
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
	// A folder named through a link is walked: WalkDir does not follow a
	// link at its root unless the path ends in a separator.
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		root += string(filepath.Separator)
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			*rejected = append(*rejected, BadInput{p, "cannot read directory: " + describe(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		readable := formatOf(d.Name()) != ""
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			linked(p, readable, add, rejected)
		case readable && d.Type().IsRegular():
			add(p)
		}
		return nil
	})
	if err != nil {
		*rejected = append(*rejected, BadInput{root, describe(err)})
	}
}

// linked handles a symbolic link met while walking a folder: a link to a
// file is read like the file when its own name is one we read (readable
// says so); a link to a folder is not followed, which would risk a loop,
// and is reported rather than skipped in silence; a broken link to a
// readable name is reported.
func linked(p string, readable bool, add func(string), rejected *[]BadInput) {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		if readable {
			*rejected = append(*rejected, BadInput{p, "broken symbolic link: " + describe(err)})
		}
	case fi.IsDir():
		*rejected = append(*rejected, BadInput{p, "symbolic link to a folder, not followed inside a folder: name it as an input of its own"})
	case readable && fi.Mode().IsRegular():
		add(p)
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
