package lineage_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crosscheck-news/crosscheck/internal/demo/demotest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/pgtest"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestSameOnPostgres ingests the demo corpus into SQLite and into
// PostgreSQL: the stored bands, candidate lookups and lineage labelling
// must give the same links and lineages on both.
func TestSameOnPostgres(t *testing.T) {
	sq, sqBy := demotest.Store(t)
	pg, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	pgBy := demotest.Ingest(t, pg)
	if diff := cmp.Diff(summary(t, sq, sqBy), summary(t, pg, pgBy)); diff != "" {
		t.Errorf("SQLite and PostgreSQL disagree (-sqlite +postgres):\n%s", diff)
	}
}

// summary describes links and lineages by file name, independent of IDs.
func summary(t *testing.T, st store.Store, by map[string]*model.Article) []string {
	name := map[string]string{}
	for n, a := range by {
		name[a.ID] = n
	}
	var out []string
	st.EachDerivation(context.Background(), func(d model.Derivation) error {
		out = append(out, fmt.Sprintf("%s %s %s directed=%v", name[d.From], d.Kind, name[d.To], d.Directed))
		return nil
	})
	for n, a := range by {
		out = append(out, fmt.Sprintf("%s in lineage of %s", n, name[a.Lineage]))
	}
	sort.Strings(out)
	return out
}
