package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// pairKey orders a pair: one row per pair, whatever the direction.
func pairKey(x, y string) (string, string) {
	if x < y {
		return x, y
	}
	return y, x
}

func putDerivation(ctx context.Context, tx *Tx, d model.Derivation) error {
	ev, err := json.Marshal(d.Evidence)
	if err != nil {
		return err
	}
	if d.At.IsZero() {
		d.At = time.Now().UTC()
	}
	a, b := pairKey(d.From, d.To)
	return tx.Later(ctx, `INSERT INTO derivations (a_id, b_id, from_id, to_id, kind, score, directed, override, evidence, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (a_id, b_id) DO UPDATE SET from_id = excluded.from_id, to_id = excluded.to_id, kind = excluded.kind,
			score = excluded.score, directed = excluded.directed, override = excluded.override,
			evidence = excluded.evidence, created_at = excluded.created_at`,
		a, b, d.From, d.To, d.Kind, d.Score, tx.db.boolArg(d.Directed), tx.db.boolArg(d.Override), string(ev), timeArg(&d.At))
}

const derivationColumns = `from_id, to_id, kind, score, directed, override, evidence, created_at`

// scanDerivation scans derivationColumns, then any extra columns into extra.
func scanDerivation(rows *sql.Rows, extra ...any) (model.Derivation, error) {
	var d model.Derivation
	var directed, override sqlBool
	var ev string
	var at nullTime
	if err := rows.Scan(append([]any{&d.From, &d.To, &d.Kind, &d.Score, &directed, &override, &ev, &at}, extra...)...); err != nil {
		return d, err
	}
	d.Directed, d.Override = bool(directed), bool(override)
	if at.t != nil {
		d.At = *at.t
	}
	if err := json.Unmarshal([]byte(ev), &d.Evidence); err != nil {
		return d, fmt.Errorf("derivation %s→%s evidence: %w", d.From, d.To, err)
	}
	return d, nil
}

// in returns "?, ?, …" for n placeholders.
func in(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anyArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// relabel recomputes the lineage label of the components that hold the
// seeds: articles connected by full copies (every kind but partial). A
// partial link is kept as evidence but does not merge lineages: a tabloid
// quoting passages of two independent reports must not make them one
// source. A component's label is the ID of its earliest published article
// (undated ones last, ties by ID): it depends on the component only, not on
// the order articles came in.
func relabel(ctx context.Context, tx *Tx, seeds []string) (founders map[string]string, err error) {
	founders = map[string]string{}
	for _, seed := range seeds {
		if _, done := founders[seed]; done {
			continue
		}
		comp := map[string]bool{seed: true}
		frontier := []string{seed}
		for len(frontier) > 0 {
			var next []string
			for len(frontier) > 0 {
				chunk := frontier[:min(len(frontier), 400)]
				frontier = frontier[len(chunk):]
				args := append(anyArgs(chunk), anyArgs(chunk)...)
				args = append(args, model.KindPartial)
				rows, err := tx.Query(ctx, `SELECT a_id, b_id FROM derivations WHERE (a_id IN (`+in(len(chunk))+`) OR b_id IN (`+in(len(chunk))+`)) AND kind <> ?`, args...)
				if err != nil {
					return nil, err
				}
				for rows.Next() {
					var x, y string
					if err := rows.Scan(&x, &y); err != nil {
						rows.Close()
						return nil, err
					}
					for _, id := range []string{x, y} {
						if !comp[id] {
							comp[id] = true
							next = append(next, id)
						}
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, err
				}
			}
			frontier = next
		}
		ids := make([]string, 0, len(comp))
		for id := range comp {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		founder, err := earliest(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			founders[id] = founder
		}
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), 400)]
			ids = ids[len(chunk):]
			args := append([]any{founder}, anyArgs(chunk)...)
			if err := tx.Later(ctx, `UPDATE articles SET lineage = ? WHERE id IN (`+in(len(chunk))+`)`, args...); err != nil {
				return nil, err
			}
		}
	}
	return founders, nil
}

func earliest(ctx context.Context, tx *Tx, ids []string) (string, error) {
	var best string
	var bestAt *time.Time
	for rest := ids; len(rest) > 0; {
		chunk := rest[:min(len(rest), 400)]
		rest = rest[len(chunk):]
		rows, err := tx.Query(ctx, `SELECT id, published FROM articles WHERE id IN (`+in(len(chunk))+`)`, anyArgs(chunk)...)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var id string
			var p nullTime
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return "", err
			}
			better := best == "" ||
				(p.t != nil && (bestAt == nil || p.t.Before(*bestAt) || p.t.Equal(*bestAt) && id < best)) ||
				(p.t == nil && bestAt == nil && id < best)
			if better {
				best, bestAt = id, p.t
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return best, nil
}

// bucketScan bounds the rows read from one LSH bucket. A bucket shared by
// very many articles (formulaic text) says little about copying, and
// bounding it keeps the lookup's cost flat however large the store grows.
//
// It is written into the statement rather than bound: SQLite re-prepares a
// statement whose subquery LIMIT is a bound parameter each time it runs,
// which was half the time of this query.
const bucketScan = 100

// Candidates implements store.Store.
func (db *DB) Candidates(ctx context.Context, q store.CandidateQuery) ([]string, error) {
	bands, fingerprint, limit := dedupeBands(q.Bands), q.Fingerprint, q.Limit
	counts := map[string]int{}
	// From each bucket, its newest rows in the window and its undated
	// rows, at most bucketScan of each: two ranges of the bucket index
	// (band, hash, published DESC, article_id), each of which stops after
	// bucketScan rows, so the cost does not grow with the bucket.
	dated := ` AND published ` + db.dated()
	var wargs []any
	if q.Around != nil && q.Window > 0 {
		lo, hi := q.Around.Add(-q.Window), q.Around.Add(q.Window)
		dated = ` AND published BETWEEN ? AND ?`
		wargs = []any{timeArg(&lo), timeArg(&hi)}
	}
	var err error
	if db.dialect.postgres() {
		err = db.bucketsLateral(ctx, counts, bands, dated, wargs, fingerprint)
	} else {
		err = db.bucketsUnion(ctx, counts, bands, dated, wargs)
		if err == nil && fingerprint != "" {
			err = db.countCandidates(ctx, counts, byFingerprint, fingerprint)
		}
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if counts[ids[i]] != counts[ids[j]] {
			return counts[ids[i]] > counts[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// bucketTime is an LSH row's published value: on SQLite, whose bucket
// table is keyed by it (migration 17) and so cannot hold NULL, an undated
// row has the empty string, which sorts before every date; PostgreSQL
// keeps NULL.
func (db *DB) bucketTime(t *time.Time) any {
	if v := timeArg(t); v != nil || db.dialect.postgres() {
		return v
	}
	return ""
}

// dated is the condition on an LSH row's published that selects dated
// rows (see bucketTime).
func (db *DB) dated() string {
	if db.dialect.postgres() {
		return `IS NOT NULL`
	}
	return `> ''`
}

// byFingerprint finds an article's exact duplicates, which come first
// among candidates: each counts as 2^20 shared buckets.
const byFingerprint = `SELECT id, 1048576 FROM articles WHERE fingerprint = ?`

// bucketsLateral counts, on PostgreSQL, the articles each bucket of
// bands holds (dated in the window, and undated) into counts, and the
// exact duplicates of a non-empty fingerprint: one statement, so one
// round trip for a networked linker, of one shape whatever the number of
// bands (the buckets passed as two arrays and each read by the same
// LATERAL pair of ranges), so its plan is made once per connection.
// bucketsUnion's form, two subqueries per band, was planned and started
// up afresh for every article.
func (db *DB) bucketsLateral(ctx context.Context, counts map[string]int, bands []model.Band, dated string, wargs []any, fingerprint string) error {
	if len(bands) == 0 && fingerprint == "" {
		return nil
	}
	bs, hs := make([]int64, len(bands)), make([]int64, len(bands))
	for i, b := range bands {
		bs[i], hs[i] = int64(b.Band), b.Hash
	}
	q := fmt.Sprintf(`SELECT c.article_id, COUNT(*)
		FROM unnest(?::bigint[], ?::bigint[]) AS q(band, hash)
		CROSS JOIN LATERAL (
			(SELECT article_id FROM lsh WHERE band = q.band AND hash = q.hash%[1]s
				ORDER BY published DESC, article_id LIMIT %[2]d)
			UNION ALL
			(SELECT article_id FROM lsh WHERE band = q.band AND hash = q.hash AND published IS NULL
				ORDER BY article_id LIMIT %[2]d)
		) AS c GROUP BY c.article_id`, dated, bucketScan)
	args := append([]any{bs, hs}, wargs...)
	if fingerprint != "" {
		q += ` UNION ALL ` + byFingerprint
		args = append(args, fingerprint)
	}
	return db.countCandidates(ctx, counts, q, args...)
}

// bucketsUnion is bucketsLateral for SQLite, which has no LATERAL: two
// subqueries per band in one statement, a hundred bands at a time. In
// process, its cached statement per band count costs no round trips.
func (db *DB) bucketsUnion(ctx context.Context, counts map[string]int, bands []model.Band, dated string, wargs []any) error {
	for len(bands) > 0 {
		chunk := bands[:min(len(bands), 100)]
		bands = bands[len(chunk):]
		parts := make([]string, len(chunk))
		args := make([]any, 0, 6*len(chunk))
		for i, b := range chunk {
			parts[i] = fmt.Sprintf(`SELECT article_id FROM (SELECT article_id FROM lsh WHERE band = ? AND hash = ?%[1]s
					ORDER BY published DESC, article_id LIMIT %[2]d) AS d%[3]d
				UNION ALL
				SELECT article_id FROM (SELECT article_id FROM lsh WHERE band = ? AND hash = ? AND published = ''
					ORDER BY article_id LIMIT %[2]d) AS n%[3]d`, dated, bucketScan, i)
			args = append(args, b.Band, b.Hash)
			args = append(args, wargs...)
			args = append(args, b.Band, b.Hash)
		}
		if err := db.countCandidates(ctx, counts, `SELECT article_id, COUNT(*) FROM (`+strings.Join(parts, " UNION ALL ")+`) AS u GROUP BY article_id`, args...); err != nil {
			return err
		}
	}
	return nil
}

// countCandidates adds the (article, shared buckets) rows a candidate
// query returns to counts.
func (db *DB) countCandidates(ctx context.Context, counts map[string]int, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("candidates: %w", err)
		}
		counts[id] += n
	}
	return rows.Err()
}

// Derivations implements store.Store.
func (db *DB) Derivations(ctx context.Context, articleID string) ([]model.Derivation, error) {
	ds, err := db.derivations(ctx, `WHERE a_id = ? OR b_id = ?`, articleID, articleID)
	if err != nil {
		return nil, fmt.Errorf("derivations of %s: %w", articleID, err)
	}
	return ds, nil
}

// derivations reads the derivations a WHERE clause selects, in pair order.
func (db *DB) derivations(ctx context.Context, where string, args ...any) ([]model.Derivation, error) {
	rows, err := db.query(ctx, `SELECT `+derivationColumns+` FROM derivations `+where+` ORDER BY a_id, b_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Derivation
	for rows.Next() {
		d, err := scanDerivation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// EachDerivation implements store.Store.
func (db *DB) EachDerivation(ctx context.Context, fn func(model.Derivation) error) error {
	const page = 1000
	afterA, afterB := "", ""
	for {
		rows, err := db.query(ctx, `SELECT `+derivationColumns+`, a_id, b_id FROM derivations
			WHERE a_id > ? OR (a_id = ? AND b_id > ?) ORDER BY a_id, b_id LIMIT ?`, afterA, afterA, afterB, page)
		if err != nil {
			return fmt.Errorf("each derivation: %w", err)
		}
		var batch []model.Derivation
		for rows.Next() {
			d, err := scanDerivation(rows, &afterA, &afterB)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range batch {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
	}
}

// LineageArticles implements store.Store.
func (db *DB) LineageArticles(ctx context.Context, lineage string) ([]*model.Article, error) {
	rows, err := db.query(ctx, `SELECT `+articleColumns+` FROM articles WHERE lineage = ? ORDER BY published NULLS LAST, id`, lineage)
	if err != nil {
		return nil, fmt.Errorf("lineage %s: %w", lineage, err)
	}
	defer rows.Close()
	var out []*model.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PutOverride implements store.Store.
func (db *DB) PutOverride(ctx context.Context, o model.Override, d *model.Derivation) error {
	if o.At.IsZero() {
		o.At = time.Now().UTC()
	}
	a, b := pairKey(o.A, o.B)
	origin := ""
	if o.Verdict == model.VerdictCopyOf {
		origin = o.A
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM articles WHERE id IN (?, ?)`, a, b).Scan(&n); err != nil {
			return err
		}
		if n != 2 || a == b {
			return fmt.Errorf("override %s %s: both articles must exist and differ", o.A, o.B)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO lineage_overrides (a_id, b_id, verdict, origin, who, why, at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (a_id, b_id) DO UPDATE SET verdict = excluded.verdict, origin = excluded.origin, who = excluded.who, why = excluded.why, at = excluded.at`,
			a, b, o.Verdict, origin, o.Who, o.Why, timeArg(&o.At)); err != nil {
			return err
		}
		switch o.Verdict {
		case model.VerdictNotCopy:
			if _, err := tx.Exec(ctx, `DELETE FROM derivations WHERE a_id = ? AND b_id = ?`, a, b); err != nil {
				return err
			}
		case model.VerdictCopyOf:
			if d == nil {
				return fmt.Errorf("override %s %s: copy-of needs a derivation", o.A, o.B)
			}
			if err := putDerivation(ctx, tx, *d); err != nil {
				return err
			}
		default:
			return fmt.Errorf("override %s %s: unknown verdict %q", o.A, o.B, o.Verdict)
		}
		_, err := relabel(ctx, tx, []string{a, b})
		return err
	})
	if err != nil {
		return fmt.Errorf("put override: %w", err)
	}
	return nil
}

func (db *DB) overrides(ctx context.Context, where string, args ...any) ([]model.Override, error) {
	rows, err := db.query(ctx, `SELECT a_id, b_id, verdict, origin, who, why, at FROM lineage_overrides `+where+` ORDER BY at DESC, a_id, b_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	defer rows.Close()
	var out []model.Override
	for rows.Next() {
		var o model.Override
		var origin string
		var at nullTime
		if err := rows.Scan(&o.A, &o.B, &o.Verdict, &origin, &o.Who, &o.Why, &at); err != nil {
			return nil, err
		}
		if origin != "" && origin != o.A {
			o.A, o.B = o.B, o.A // copy-of: A is the origin
		}
		if at.t != nil {
			o.At = *at.t
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Overrides implements store.Store.
func (db *DB) Overrides(ctx context.Context, articleID string) ([]model.Override, error) {
	return db.overrides(ctx, `WHERE a_id = ? OR b_id = ?`, articleID, articleID)
}

// ListOverrides implements store.Store.
func (db *DB) ListOverrides(ctx context.Context) ([]model.Override, error) {
	return db.overrides(ctx, ``)
}

// StoryDerivations implements store.Store.
func (db *DB) StoryDerivations(ctx context.Context, story int64) ([]model.Derivation, error) {
	ds, err := db.derivations(ctx, `WHERE a_id IN (SELECT id FROM articles WHERE story = ?) OR b_id IN (SELECT id FROM articles WHERE story = ?)`, story, story)
	if err != nil {
		return nil, fmt.Errorf("derivations of story %d: %w", story, err)
	}
	return ds, nil
}

// SourceDerivations implements store.Store.
func (db *DB) SourceDerivations(ctx context.Context, source string) ([]model.Derivation, error) {
	ds, err := db.derivations(ctx, `WHERE a_id IN (SELECT id FROM articles WHERE source = ?) OR b_id IN (SELECT id FROM articles WHERE source = ?)`, source, source)
	if err != nil {
		return nil, fmt.Errorf("derivations of source %q: %w", source, err)
	}
	return ds, nil
}

// SetDirections implements store.Store.
func (db *DB) SetDirections(ctx context.Context, ds []model.Derivation) (int, error) {
	n := 0
	err := db.Transact(ctx, func(tx *Tx) error {
		n = 0
		for _, d := range ds {
			ev, err := json.Marshal(d.Evidence)
			if err != nil {
				return err
			}
			a, b := pairKey(d.From, d.To)
			res, err := tx.Exec(ctx, `UPDATE derivations SET from_id = ?, to_id = ?, directed = ?, evidence = ?
				WHERE a_id = ? AND b_id = ? AND override = ?`, d.From, d.To, tx.db.boolArg(d.Directed), string(ev), a, b, tx.db.boolArg(false))
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("set directions: %w", err)
	}
	return n, nil
}
