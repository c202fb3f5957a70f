package lineage

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

func TestDbgDemo(t *testing.T) {
	st, _ := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	ingest.Run(context.Background(), st, []string{"../demo/corpus"}, ingest.Options{})
	as, _ := st.ListArticles(context.Background(), store.ListOptions{})
	sort.Slice(as, func(i, j int) bool { return as[i].Path < as[j].Path })
	var ps []*Prepared
	for _, a := range as {
		ps = append(ps, Prepare(a))
	}
	name := func(a *model.Article) string { return filepath.Base(a.Path) }
	byID := map[string]*model.Article{}
	for _, a := range as {
		byID[a.ID] = a
	}
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			d, note := Compare(ps[i], ps[j])
			if d != nil {
				fmt.Printf("%-28s -> %-28s %-15s %.2f dir=%v | %s | %s\n", name(byID[d.From]), name(byID[d.To]), d.Kind, d.Score, d.Directed, d.Evidence.Rule, d.Evidence.Direction)
			} else if note != "" {
				fmt.Printf("   %s %s: %s\n", name(as[i]), name(as[j]), note)
			}
		}
	}
}
