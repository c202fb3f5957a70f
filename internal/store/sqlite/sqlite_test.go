package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
	"github.com/crosscheck-news/crosscheck/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestConnectionsCheckpointLate: every pooled connection, not only the
// first, checkpoints at walPages pages of log rather than SQLite's 1,000
// (a commit that checkpoints is the writer's, whichever connection the
// pool gave it).
func TestConnectionsCheckpointLate(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := s.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var pages int
		if err := c.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if pages != walPages {
			t.Errorf("connection %d: wal_autocheckpoint = %d; want %d", i, pages, walPages)
		}
	}
}

// TestFullTextIndexMatchesArticles: the full-text index, which the store
// keeps rather than a trigger (a batch's articles at its commit), holds
// exactly the stored articles, after a batch with a failed article, a
// rolled-back batch, and an article stored outside a batch; and the
// batch's articles went in as one segment, not one each.
func TestFullTextIndexMatchesArticles(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(st store.Store, key string, derivs ...model.Derivation) error {
		a := &model.Article{ID: model.ArticleID(key), Key: key, Source: "Meridian", URL: "https://example.test/" + key,
			Title: "Ferry " + key, Language: "en", Text: "Body of " + key + " about a ferry.", IngestedAt: time.Now()}
		_, err := st.PutArticle(ctx, store.ArticleWrite{Article: a, Derivations: derivs})
		return err
	}
	segments := func() int {
		// The id of a data row of the index holds the row's segment above
		// bit 37 (0 for the index's own records).
		var n int
		if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(DISTINCT id >> 37) FROM articles_fts_data WHERE id >> 37 > 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	b, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := put(b.Store(), fmt.Sprintf("batch-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	broken := model.Derivation{From: model.ArticleID("broken"), To: model.ArticleID("absent"), Kind: model.KindRewrite, Score: 0.6, At: time.Now()}
	if err := put(b.Store(), "broken", broken); err == nil {
		t.Fatal("an article with a derivation to a missing one was stored")
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(); n != 1 {
		t.Errorf("a batch of 20 articles made %d index segments; want 1", n)
	}
	b2, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := put(b2.Store(), "discarded"); err != nil {
		t.Fatal(err)
	}
	b2.Rollback()
	if err := put(s, "alone"); err != nil {
		t.Fatal(err)
	}
	// With rank 1, FTS5's integrity check also compares the index with
	// the articles table it indexes.
	if _, err := s.SQL().ExecContext(ctx, `INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("full-text index does not match the articles: %v", err)
	}
	_, n, err := s.Search(ctx, store.SearchQuery{Text: "ferry"})
	if err != nil || n != 21 {
		t.Errorf("Search(ferry) found %d, %v; want 21 (20 in the batch, 1 alone)", n, err)
	}
}

func TestFeaturesBackfill(t *testing.T) {
	ctx := context.Background()
	path, raw, old := migratedBefore(t, "features_meta")
	storetest.FeaturesBackfill(t, old, func(id string, data []byte) error {
		_, err := raw.ExecContext(ctx, `INSERT INTO article_features (article_id, data) VALUES (?, ?)`, id, data)
		return err
	}, func() (store.Store, error) {
		old.Close()
		return Open(ctx, path)
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.SQL().ExecContext(ctx, `INSERT INTO rejections (input, reason, at) VALUES ('x', 'y', '2026-01-01T00:00:00Z')`)
	s.Close()
	s, err = Open(ctx, path) // migrations must not run twice
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	rs, err := s.ListRejections(ctx)
	if err != nil || len(rs) != 1 {
		t.Errorf("after reopen: %v, %v; want the one rejection", rs, err)
	}
}

// FuzzSearch: whatever a user types into the search box is neither an
// SQL nor an FTS5 syntax error.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`ferry "coast guard" -kharkiv`, `"unbalanced`, `a OR b AND NOT c`, `NEAR(a b, 2)`, `col:x`, `x*`, `^x`, `-`, `'; DROP TABLE articles; --`} {
		f.Add(s)
	}
	s, err := Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, q string) {
		if _, _, err := s.Search(context.Background(), store.SearchQuery{Text: q, Source: q, Place: q}); err != nil {
			t.Fatalf("Search(%q) = %v", q, err)
		}
	})
}

// TestLeanBucketsKeepRows: migration 13 rebuilds the LSH table without
// its foreign key; a database written before it finds the same copy
// candidates after it.
func TestLeanBucketsKeepRows(t *testing.T) {
	ctx := context.Background()
	path, _, old := migratedBefore(t, "lean_buckets")
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	bands := []model.Band{{Band: 20, Hash: 11}, {Band: 21, Hash: -22}}
	for _, id := range []string{"a1", "a2"} {
		a := &model.Article{ID: id, Key: "k" + id, Text: "text " + id, Published: &day, IngestedAt: day}
		if _, err := old.PutArticle(ctx, store.ArticleWrite{Article: a, Bands: bands}); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var fks int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_foreign_key_list('lsh')`).Scan(&fks); err != nil || fks != 0 {
		t.Errorf("lsh foreign keys after migration = %d, %v; want none", fks, err)
	}
	got, err := s.Candidates(ctx, store.CandidateQuery{Bands: bands, Around: &day, Window: 24 * time.Hour})
	if err != nil || len(got) != 2 || got[0] != "a1" || got[1] != "a2" {
		t.Errorf("Candidates after migration = %v, %v; want [a1 a2]", got, err)
	}
}

// TestKeyedBucketsKeepRows: migration 17 rebuilds the LSH table as its
// own bucket index; the rows written before it, dated and undated (NULL
// then the empty string after), give the same copy candidates after it, and new rows
// go on alongside them. Migration 21 deletes the shingle bands (0-15),
// no longer looked up, and only them.
func TestKeyedBucketsKeepRows(t *testing.T) {
	ctx := context.Background()
	path, db, old := migratedBefore(t, "lsh_without_rowid")
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	bands := []model.Band{{Band: 17, Hash: 11}, {Band: 100, Hash: -22}}
	shingle := model.Band{Band: 3, Hash: 11}
	for _, id := range []string{"dated", "undated"} {
		a := &model.Article{ID: id, Key: "k" + id, Text: "text " + id, IngestedAt: day}
		if id == "dated" {
			a.Published = &day
		}
		if _, err := old.PutArticle(ctx, store.ArticleWrite{Article: a}); err != nil {
			t.Fatal(err)
		}
		for _, b := range append(bands, shingle) { // as the schema before had them: NULL when undated
			var pub any
			if a.Published != nil {
				pub = a.Published.Format(time.RFC3339)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO lsh (band, hash, published, article_id) VALUES (?, ?, ?, ?)`, b.Band, b.Hash, pub, a.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if wr, err := withoutRowid(ctx, s, "lsh"); err != nil || !wr {
		t.Errorf("lsh WITHOUT ROWID after migration = %v, %v; want true", wr, err)
	}
	var nulls, rows int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE published IS NULL) FROM lsh`).Scan(&rows, &nulls); err != nil || rows != 4 || nulls != 0 {
		t.Errorf("lsh after migration: %d rows, %d NULL published, %v; want 4 and none", rows, nulls, err)
	}
	later := day.Add(time.Hour)
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: &model.Article{ID: "new", Key: "knew", Text: "text new", Published: &later}, Bands: bands}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutArticle(ctx, store.ArticleWrite{Article: &model.Article{ID: "new-undated", Key: "knew-undated", Text: "text new undated"}, Bands: bands[:1]}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Candidates(ctx, store.CandidateQuery{Bands: bands, Around: &day, Window: 24 * time.Hour})
	want := []string{"dated", "new", "undated", "new-undated"} // two buckets each, then one
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Candidates after migration = %v, %v; want %v", got, err, want)
	}
	got, err = s.Candidates(ctx, store.CandidateQuery{Bands: []model.Band{shingle}})
	want = nil
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Candidates after migration = %v, %v; want %v", got, err, want)
	}
}

// TestKeyedTablesKeepRows: migration 18 rebuilds source_lines and
// story_terms as their own key indexes; a source's repeated lines and a
// story's terms written before it are found after it, and go on growing.
func TestKeyedTablesKeepRows(t *testing.T) {
	ctx := context.Background()
	path, _, old := migratedBefore(t, "keyed_tables")
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	put := func(s interface {
		PutArticle(context.Context, store.ArticleWrite) (bool, error)
	}, id string, story int64) {
		t.Helper()
		a := &model.Article{ID: id, Key: "k" + id, Source: "Wire", Text: "text " + id, Published: &day, IngestedAt: day}
		w := store.ArticleWrite{Article: a, LineHashes: []int64{7, 8},
			Story: &store.StoryWrite{Assignment: model.Assignment{Story: story, Via: "new"}, Vector: map[string]float64{"ferry": 0.8, "harbour": 0.6}, Terms: []string{"ferry", "harbour"}}}
		if _, err := s.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	put(old, "a1", 0)
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, table := range []string{"source_lines", "story_terms"} {
		if wr, err := withoutRowid(ctx, s, table); err != nil || !wr {
			t.Errorf("%s WITHOUT ROWID after migration = %v, %v; want true", table, wr, err)
		}
	}
	stories, err := s.StoryCandidates(ctx, store.StoryQuery{Terms: []string{"harbour"}, Limit: 5})
	if err != nil || len(stories) != 1 {
		t.Fatalf("StoryCandidates(harbour) after migration = %v, %v; want the story written before", stories, err)
	}
	put(s, "a2", stories[0])
	rep, err := s.RepeatedLines(ctx, "Wire", []int64{7, 8, 9}, 2)
	if err != nil || !rep[7] || !rep[8] || rep[9] {
		t.Errorf("RepeatedLines after migration = %v, %v; want 7 and 8 (in both articles), not 9", rep, err)
	}
	var weight float64
	if err := s.SQL().QueryRowContext(ctx, `SELECT weight FROM story_terms WHERE story_id = ? AND term = 'ferry'`, stories[0]).Scan(&weight); err != nil || weight < 1.59 || weight > 1.61 {
		t.Errorf("story term weight after a second article = %v, %v; want 1.6 (both articles' weights)", weight, err)
	}
}

// withoutRowid reports whether table is a WITHOUT ROWID table.
func withoutRowid(ctx context.Context, s *sqldb.DB, table string) (bool, error) {
	var wr bool
	err := s.SQL().QueryRowContext(ctx, `SELECT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'`, table).Scan(&wr)
	return wr, err
}

// migratedBefore opens a new database at the schema before the migration
// named name (see sqldb.MigrateBefore): its path, its connection pool and
// the store on it.
func migratedBefore(t *testing.T, name string) (string, *sql.DB, *sqldb.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(ON)")
	if err != nil {
		t.Fatal(err)
	}
	old := sqldb.New(db, dialect)
	if err := old.MigrateBefore(context.Background(), migrationFS, name); err != nil {
		t.Fatal(err)
	}
	return path, db, old
}

// TestMigrateBeforeUnknown: a migration test naming no migration fails
// instead of starting from the latest schema.
func TestMigrateBeforeUnknown(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := sqldb.New(db, dialect)
	defer s.Close()
	if err := s.MigrateBefore(context.Background(), migrationFS, "no_such_migration"); err == nil {
		t.Error("MigrateBefore(no_such_migration) = nil; want an error")
	}
}
