// Package archtest checks that package dependencies point one way:
// model ← extract ← ingest ← store/web/export ← cli.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/crosscheck-news/crosscheck/internal/"

// allowed lists, per package, the internal packages it may import.
var allowed = map[string][]string{
	"model":           {},
	"extract":         {"model"},
	"eval":            {"model", "extract", "lineage", "ingest", "store/sqlite", "claim", "geo"},
	"store":           {"model"},
	"store/sqldb":     {"model", "store", "words"},
	"store/sqlite":    {"model", "store", "store/sqldb"},
	"store/postgres":  {"model", "store", "store/sqldb"},
	"store/storetest": {"model", "store"},
	"pgtest":          {"pgserver"},
	"pgserver":        {},
	"bench":           {"model", "synth", "ingest", "extract", "store", "store/sqlite", "store/postgres", "queue", "pgserver"},
	"words":           {},
	"lineage":         {"model", "store", "words"},
	"story":           {"model", "store", "words"},
	"claim":           {"model", "words"},
	"entity":          {"model", "words"},
	"geo":             {"words"},
	"geo/gen":         {},
	"dates":           {"words"},
	"ingest":          {"model", "extract", "store", "lineage", "story", "claim", "entity", "geo", "dates"},
	"export":          {"model", "store", "story", "claim"},
	"web":             {"model", "store", "export", "lineage", "story", "claim", "entity"},
	"demo":            {},
	"fetch":           {},
	"feed":            {},
	"watch":           {"model", "store", "fetch", "feed", "ingest"},
	"queue":           {"store", "ingest"},
	"synth":           {"model"},
	"demo/demotest":   {"demo", "ingest", "model", "store", "store/sqlite"},
}

func TestDependencyDirection(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, root+string(filepath.Separator))))
		ok, checked := allowed[pkg]
		if !checked {
			return nil // cli, archtest: may import anything
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(path, module) {
				continue
			}
			dep := strings.TrimPrefix(path, module)
			permitted := false
			for _, a := range ok {
				permitted = permitted || a == dep
			}
			if !permitted {
				t.Errorf("%s imports internal/%s; %s may only import %v", p, dep, pkg, ok)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowed {
		if _, err := os.Stat(filepath.Join(root, pkg)); err != nil {
			t.Errorf("rule for missing package %s", pkg)
		}
	}
}
