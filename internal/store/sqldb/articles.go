package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

const articleColumns = `id, key, source, url, path, format, title, author, site, published, language, text, removed, ingested_at, lineage, story, fetched_at`

// PutArticle implements store.Store.
func (db *DB) PutArticle(ctx context.Context, w store.ArticleWrite) (bool, error) {
	a := w.Article
	removed, err := json.Marshal(a.Removed)
	if err != nil {
		return false, err
	}
	if a.Removed == nil {
		removed = []byte("[]")
	}
	if a.IngestedAt.IsZero() {
		a.IngestedAt = time.Now().UTC()
	}
	inserted := false
	err = db.Transact(ctx, func(tx *Tx) error {
		// The row is written with its story, rather than updated after:
		// the story is indexed, so an update would write every index
		// entry of the row again (and on PostgreSQL leave a dead row).
		var story int64
		fresh := false
		if w.Story != nil {
			var err error
			if story, fresh, err = storyOf(ctx, tx, w.Story.Assignment.Story); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `INSERT INTO articles (`+articleColumns+`, fingerprint)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, // key or id: either way the article is present
			a.ID, a.Key, a.Source, a.URL, a.Path, a.Format, a.Title, a.Author, a.Site,
			timeArg(a.Published), a.Language, a.Text, string(removed), timeArg(&a.IngestedAt), a.ID, story, timeArg(a.FetchedAt), w.Fingerprint)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			if err == nil && fresh { // the story was made for it alone
				err = tx.Later(ctx, `DELETE FROM stories WHERE id = ?`, story)
			}
			return err
		}
		inserted = true
		if err := tx.indexText(ctx, a.ID); err != nil {
			return err
		}
		var lineRows, bandRows [][]any
		for _, h := range dedupe(w.LineHashes) {
			lineRows = append(lineRows, []any{a.Source, h, a.ID})
		}
		if err := insertRows(ctx, tx, `INSERT INTO source_lines (source, hash, article_id) VALUES `, lineRows); err != nil {
			return err
		}
		for _, b := range dedupeBands(w.Bands) {
			bandRows = append(bandRows, []any{b.Band, b.Hash, db.bucketTime(a.Published), a.ID})
		}
		if err := insertRows(ctx, tx, `INSERT INTO lsh (band, hash, published, article_id) VALUES `, bandRows); err != nil {
			return err
		}
		if len(w.Features) > 0 {
			if err := tx.Later(ctx, `INSERT INTO article_features (article_id, data, source, language, published, fingerprint) VALUES (?, ?, ?, ?, ?, ?)`,
				a.ID, w.Features, a.Source, a.Language, timeArg(a.Published), w.Fingerprint); err != nil {
				return err
			}
		}
		for _, d := range w.Derivations {
			if err := putDerivation(ctx, tx, d); err != nil {
				return err
			}
		}
		// The insert labelled the article its own lineage; only links can
		// change that.
		a.Lineage = a.ID
		if len(w.Derivations) > 0 {
			founders, err := relabel(ctx, tx, []string{a.ID})
			if err != nil {
				return err
			}
			a.Lineage = founders[a.ID]
		}
		if w.Story != nil {
			a.Story = story
			if err := placeArticle(ctx, tx, a, w.Story); err != nil {
				return err
			}
		}
		if err := putClaims(ctx, tx, a.ID, w.Claims); err != nil {
			return err
		}
		if err := putMentions(ctx, tx, a.ID, w.Mentions); err != nil {
			return err
		}
		if err := putPlaces(ctx, tx, a.ID, w.Places); err != nil {
			return err
		}
		if err := putDates(ctx, tx, a.ID, w.Dates); err != nil {
			return err
		}
		// A path that ingests now is no longer a rejected input.
		if a.Path != "" {
			if err := tx.Later(ctx, `DELETE FROM rejections WHERE input = ?`, a.Path); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("put article %s: %w", a.ID, err)
	}
	return inserted, nil
}

// ftsInsert, completed with the condition on the article IDs, puts
// stored articles in SQLite's full-text index.
const ftsInsert = `INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles WHERE id `

// indexText puts a new article in SQLite's full-text index (PostgreSQL
// indexes a generated column itself). The store does it rather than a
// trigger: the index writes out its pending terms at every savepoint,
// so with a trigger a batch, which stores each article in a savepoint of
// its own, wrote a segment of the index per article and merged them as
// it went. Inside a batch the article is indexed with the batch's others
// at Commit, and only if its savepoint was kept; outside, at the end of
// its transaction. Articles are never deleted, and their title and text
// never change, so none leaves or changes in the index before Commit;
// code that would delete or update one in the batch that stored it must
// index the batch's articles first (batchTx.writeFTS), or the index's
// delete and update triggers would take out terms it never held.
func (t *Tx) indexText(ctx context.Context, id string) error {
	if t.db.dialect.postgres() {
		return nil
	}
	if t.db.batch != nil {
		t.fts = append(t.fts, id)
		return nil
	}
	return t.Later(ctx, ftsInsert+`= ?`, id)
}

// insertRows inserts rows with multi-row VALUES lists, ignoring rows
// already present: one statement per hundred rows instead of one per row.
func insertRows(ctx context.Context, tx *Tx, prefix string, rows [][]any) error {
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 100)]
		rows = rows[len(chunk):]
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + in(len(r)) + ")")
			args = append(args, r...)
		}
		b.WriteString(" ON CONFLICT DO NOTHING")
		if err := tx.Later(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func dedupeBands(bs []model.Band) []model.Band {
	seen := make(map[model.Band]bool, len(bs))
	var out []model.Band
	for _, b := range bs {
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out
}

func dedupe(hs []int64) []int64 {
	seen := make(map[int64]bool, len(hs))
	out := hs[:0:0]
	for _, h := range hs {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// HasArticle implements store.Store.
func (db *DB) HasArticle(ctx context.Context, key string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM articles WHERE key = ?`, key).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("has article: %w", err)
	}
	return n > 0, nil
}

// ArticlesByInput implements store.Store.
func (db *DB) ArticlesByInput(ctx context.Context, inputs []string) (map[string]string, error) {
	out := map[string]string{}
	for len(inputs) > 0 {
		n := min(len(inputs), 200)
		rows, err := db.query(ctx, `SELECT path, id FROM articles WHERE path IN (`+in(n)+`)`, anyArgs(inputs[:n])...)
		if err != nil {
			return nil, fmt.Errorf("articles by input: %w", err)
		}
		for rows.Next() {
			var path, id string
			if err := rows.Scan(&path, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[path] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		inputs = inputs[n:]
	}
	return out, nil
}

// GetArticle implements store.Store.
func (db *DB) GetArticle(ctx context.Context, id string) (*model.Article, error) {
	rows, err := db.query(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("get article %s: %w", id, err)
		}
		return nil, fmt.Errorf("article %s: %w", id, store.ErrNotFound)
	}
	a, err := scanArticle(rows)
	if err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	return a, nil
}

// ListArticles implements store.Store.
func (db *DB) ListArticles(ctx context.Context, opts store.ListOptions) ([]*model.Article, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = 100
	}
	var where []string
	var args []any
	if opts.Source != "" {
		where = append(where, "source = ?")
		args = append(args, opts.Source)
	}
	q := `SELECT ` + articleColumns + ` FROM articles`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?`
	args = append(args, limit, opts.Offset)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	var out []*model.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("list articles: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountArticles implements store.Store.
func (db *DB) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

// EachArticle implements store.Store. It pages by ID so no long-lived
// cursor holds the database while fn runs.
func (db *DB) EachArticle(ctx context.Context, fn func(*model.Article) error) error {
	const page = 500
	after := ""
	for {
		rows, err := db.query(ctx, `SELECT `+articleColumns+` FROM articles WHERE id > ? ORDER BY id LIMIT ?`, after, page)
		if err != nil {
			return fmt.Errorf("each article: %w", err)
		}
		var batch []*model.Article
		for rows.Next() {
			a, err := scanArticle(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("each article: %w", err)
			}
			batch = append(batch, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("each article: %w", err)
		}
		for _, a := range batch {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// scanArticle scans articleColumns, then any extra columns into extra.
func scanArticle(rows *sql.Rows, extra ...any) (*model.Article, error) {
	var a model.Article
	var published, ingested, fetched nullTime
	var removed string
	dest := []any{&a.ID, &a.Key, &a.Source, &a.URL, &a.Path, &a.Format, &a.Title, &a.Author, &a.Site,
		&published, &a.Language, &a.Text, &removed, &ingested, &a.Lineage, &a.Story, &fetched}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	a.Published, a.FetchedAt = published.t, fetched.t
	if ingested.t != nil {
		a.IngestedAt = *ingested.t
	}
	if removed != "" {
		if err := json.Unmarshal([]byte(removed), &a.Removed); err != nil {
			return nil, fmt.Errorf("article %s removed lines: %w", a.ID, err)
		}
	}
	return &a, nil
}

// RepeatedLines implements store.Store.
func (db *DB) RepeatedLines(ctx context.Context, source string, hashes []int64, minArticles int) (map[int64]bool, error) {
	out := map[int64]bool{}
	hashes = dedupe(hashes)
	for len(hashes) > 0 {
		n := min(len(hashes), 200)
		chunk := hashes[:n]
		hashes = hashes[n:]
		// Each line's rows are counted only up to minArticles: a line of
		// the outlet's chrome is on every one of its pages, and counting
		// them all made the lookup grow with the outlet's archive.
		vals := make([]string, len(chunk))
		args := make([]any, 0, len(chunk)+2)
		for i, h := range chunk {
			vals[i] = "(CAST(? AS BIGINT))"
			args = append(args, h)
		}
		// The bound is written into the statement, not bound: SQLite
		// re-prepares a statement whose LIMIT is a bound parameter
		// every time it runs (see bucketScan).
		args = append(args, source, minArticles)
		q := `WITH h (hash) AS (VALUES ` + strings.Join(vals, ", ") + `)
			SELECT hash FROM h WHERE (SELECT COUNT(*) FROM
				(SELECT 1 FROM source_lines s WHERE s.source = ? AND s.hash = h.hash LIMIT ` + strconv.Itoa(minArticles) + `) AS l) >= ?`
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("repeated lines: %w", err)
		}
		for rows.Next() {
			var h int64
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			out[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CandidateFeatures implements store.Store. An article's features row
// carries what comparing it needs, so most candidates cost one row of
// one table; articles stored before the features table are read from
// their own rows, with no features.
func (db *DB) CandidateFeatures(ctx context.Context, ids []string) ([]store.CandidateFeatures, error) {
	var out []store.CandidateFeatures
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		found := make(map[string]bool, len(chunk))
		err := db.scanCandidates(ctx, &out, found, `SELECT article_id, source, language, published, fingerprint, data
			FROM article_features WHERE article_id IN (`+in(len(chunk))+`)`, chunk)
		if err != nil {
			return nil, err
		}
		var rest []string
		for _, id := range chunk {
			if !found[id] {
				rest = append(rest, id)
			}
		}
		if len(rest) == 0 {
			continue
		}
		if err := db.scanCandidates(ctx, &out, found, `SELECT id, source, language, published, fingerprint, NULL
			FROM articles WHERE id IN (`+in(len(rest))+`)`, rest); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanCandidates appends the candidates q selects for ids to out and
// marks them found.
func (db *DB) scanCandidates(ctx context.Context, out *[]store.CandidateFeatures, found map[string]bool, q string, ids []string) error {
	rows, err := db.query(ctx, q, anyArgs(ids)...)
	if err != nil {
		return fmt.Errorf("candidate features: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c store.CandidateFeatures
		var source, language, fingerprint sql.NullString
		var published nullTime
		if err := rows.Scan(&c.ID, &source, &language, &published, &fingerprint, &c.Features); err != nil {
			return fmt.Errorf("candidate features: %w", err)
		}
		c.Source, c.Language, c.Published, c.Fingerprint = source.String, language.String, published.t, fingerprint.String
		found[c.ID] = true
		*out = append(*out, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("candidate features: %w", err)
	}
	return nil
}

// RecordRejection implements store.Store.
func (db *DB) RecordRejection(ctx context.Context, r model.Rejection) error {
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	_, err := db.exec(ctx, `INSERT INTO rejections (input, reason, at, times) VALUES (?, ?, ?, 1)
		ON CONFLICT (input) DO UPDATE SET reason = excluded.reason, at = excluded.at, times = rejections.times + 1`,
		r.Input, r.Reason, timeArg(&r.At))
	if err != nil {
		return fmt.Errorf("record rejection of %s: %w", r.Input, err)
	}
	return nil
}

// ListRejections implements store.Store.
func (db *DB) ListRejections(ctx context.Context) ([]model.Rejection, error) {
	rows, err := db.query(ctx, `SELECT input, reason, at FROM rejections ORDER BY at DESC, input`)
	if err != nil {
		return nil, fmt.Errorf("list rejections: %w", err)
	}
	defer rows.Close()
	var out []model.Rejection
	for rows.Next() {
		var r model.Rejection
		var at nullTime
		if err := rows.Scan(&r.Input, &r.Reason, &at); err != nil {
			return nil, err
		}
		if at.t != nil {
			r.At = *at.t
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
