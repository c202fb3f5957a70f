package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// storyOf returns the story an article placed by decision joins: the
// decided story or, when it was merged since, its heir; or, when the
// decision is a new story, a new story row (fresh).
func storyOf(ctx context.Context, tx *Tx, decided int64) (id int64, fresh bool, err error) {
	if decided != 0 {
		id, err := liveStory(ctx, tx, decided)
		return id, false, err
	}
	now := time.Now().UTC()
	if err := tx.QueryRow(ctx, `INSERT INTO stories (created_at) VALUES (?) RETURNING id`, timeArg(&now)).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("new story: %w", err)
	}
	return id, true, nil
}

// placeArticle records an article's place in its story a.Story (see
// storyOf), which its row already holds: the assignment, the centroid,
// the story's span and the document frequencies.
func placeArticle(ctx context.Context, tx *Tx, a *model.Article, sw *store.StoryWrite) error {
	as := sw.Assignment
	as.ArticleID, as.Story = a.ID, a.Story
	if err := putAssignment(ctx, tx, as, sw.Vector); err != nil {
		return err
	}
	if err := addCentroid(ctx, tx, as.Story, sw.Vector, 1); err != nil {
		return err
	}
	var rows [][]any
	for _, m := range as.Mentions {
		rows = append(rows, []any{a.ID, m.Story, m.Score})
	}
	if err := insertRows(ctx, tx, `INSERT INTO story_mentions (article_id, story_id, score) VALUES `, rows); err != nil {
		return err
	}
	if err := extendSpan(ctx, tx, as.Story, a); err != nil {
		return err
	}
	for _, other := range sw.Merge {
		other, err := liveStory(ctx, tx, other)
		if err != nil {
			return err
		}
		if other == as.Story {
			continue
		}
		from, into := max(other, as.Story), min(other, as.Story)
		if err := mergeStories(ctx, tx, from, into); err != nil {
			return err
		}
		now := time.Now().UTC()
		if _, err := tx.Exec(ctx, `INSERT INTO story_corrections (action, story_id, other_id, articles, who, why, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			model.CorrectMerge, into, from, `["`+a.ID+`"]`, "crosscheck", "the article copies reports in both stories", timeArg(&now)); err != nil {
			return err
		}
		as.Story, a.Story = into, into
	}
	return countTerms(ctx, tx, sw.Terms)
}

func putAssignment(ctx context.Context, tx *Tx, as model.Assignment, vector map[string]float64) error {
	ev, err := json.Marshal(evidence{Shared: as.Shared, Copies: as.Copies})
	if err != nil {
		return err
	}
	vec, err := json.Marshal(vector)
	if err != nil {
		return err
	}
	return tx.Later(ctx, `INSERT INTO story_assignments (article_id, via, score, evidence, vector, pinned) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET via = excluded.via, score = excluded.score, evidence = excluded.evidence,
			vector = excluded.vector, pinned = excluded.pinned`,
		as.ArticleID, as.Via, as.Score, string(ev), string(vec), pinnedArg(as.Pinned))
}

// evidence is the JSON kept in story_assignments.evidence.
type evidence struct {
	Shared []string `json:"shared,omitempty"`
	Copies string   `json:"copies,omitempty"`
}

// PlaceArticle implements store.Store.
func (db *DB) PlaceArticle(ctx context.Context, a *model.Article, sw *store.StoryWrite) error {
	err := db.Transact(ctx, func(tx *Tx) error {
		var current int64
		err := tx.QueryRow(ctx, `SELECT story FROM articles WHERE id = ?`, a.ID).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("article %s: %w", a.ID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if current != 0 {
			return fmt.Errorf("article %s is already in story %d", a.ID, current)
		}
		id, _, err := storyOf(ctx, tx, sw.Assignment.Story)
		if err != nil {
			return err
		}
		a.Story = id
		if err := tx.Later(ctx, `UPDATE articles SET story = ? WHERE id = ?`, id, a.ID); err != nil {
			return err
		}
		return placeArticle(ctx, tx, a, sw)
	})
	if err != nil {
		return fmt.Errorf("place article %s: %w", a.ID, err)
	}
	return nil
}

// addCentroid adds sign × vector to a story's centroid and updates the
// centroid's squared length; weights that fall to nothing are dropped so
// the index only lists live terms.
func addCentroid(ctx context.Context, tx *Tx, story int64, vector map[string]float64, sign float64) error {
	terms := make([]string, 0, len(vector))
	for t := range vector {
		terms = append(terms, t)
	}
	slices.Sort(terms) // a stable lock order between concurrent writers
	old, err := termWeights(ctx, tx, story, terms)
	if err != nil {
		return err
	}
	var delta, shared float64
	rows := make([][]any, 0, len(terms))
	for _, t := range terms {
		w := sign * vector[t]
		n := old[t] + w
		if n < 1e-9 {
			n = 0
		}
		delta += n*n - old[t]*old[t]
		if !strings.HasPrefix(t, "zh:") {
			shared += n*n - old[t]*old[t]
		}
		rows = append(rows, []any{story, t, w})
	}
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 100)]
		rows = rows[len(chunk):]
		args := make([]any, 0, 3*len(chunk))
		vals := make([]string, len(chunk))
		for i, r := range chunk {
			vals[i] = "(?, ?, ?)"
			args = append(args, r...)
		}
		if err := tx.Later(ctx, `INSERT INTO story_terms (story_id, term, weight) VALUES `+strings.Join(vals, ", ")+`
			ON CONFLICT (story_id, term) DO UPDATE SET weight = story_terms.weight + excluded.weight`, args...); err != nil {
			return fmt.Errorf("story %d centroid: %w", story, err)
		}
	}
	if sign < 0 {
		if err := tx.Later(ctx, `DELETE FROM story_terms WHERE story_id = ? AND weight < 1e-9`, story); err != nil {
			return err
		}
	}
	return tx.Later(ctx, `UPDATE stories SET norm2 = CASE WHEN norm2 + ? > 0 THEN norm2 + ? ELSE 0 END,
		shared2 = CASE WHEN shared2 + ? > 0 THEN shared2 + ? ELSE 0 END WHERE id = ?`, delta, delta, shared, shared, story)
}

// termWeights reads a story's centroid weights on some terms.
func termWeights(ctx context.Context, tx *Tx, story int64, terms []string) (map[string]float64, error) {
	out := make(map[string]float64, len(terms))
	for len(terms) > 0 {
		chunk := terms[:min(len(terms), 500)]
		terms = terms[len(chunk):]
		rows, err := tx.Query(ctx, `SELECT term, weight FROM story_terms WHERE story_id = ? AND term IN (`+in(len(chunk))+`)`,
			append([]any{story}, anyArgs(chunk)...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var t string
			var w float64
			if err := rows.Scan(&t, &w); err != nil {
				rows.Close()
				return nil, err
			}
			out[t] = w
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countTerms adds one article's terms to the document frequencies: to
// those its batch holds back (batchTx.df), or at once outside a batch.
func countTerms(ctx context.Context, tx *Tx, terms []string) error {
	counts := tx.df
	if counts == nil {
		counts = make(map[string]int, len(terms)+1)
	}
	counts[""]++ // the count of clustered articles
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		if t != "" && !seen[t] {
			seen[t] = true
			counts[t]++
		}
	}
	if tx.df != nil {
		return nil
	}
	return addTermCounts(ctx, tx, counts)
}

// addTermCounts adds counts to term_df, in term order, in statements of
// up to 200 terms (queued: see Tx.Later).
func addTermCounts(ctx context.Context, tx *Tx, counts map[string]int) error {
	terms := slices.Sorted(maps.Keys(counts))
	for len(terms) > 0 {
		chunk := terms[:min(len(terms), 200)]
		terms = terms[len(chunk):]
		vals := make([]string, len(chunk))
		args := make([]any, 0, 2*len(chunk))
		for i, t := range chunk {
			vals[i] = "(?, ?)"
			args = append(args, t, counts[t])
		}
		if err := tx.Later(ctx, `INSERT INTO term_df (term, df) VALUES `+strings.Join(vals, ", ")+`
			ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df`, args...); err != nil {
			return fmt.Errorf("term frequencies: %w", err)
		}
	}
	return nil
}

// liveStory follows merges to the story that holds a merged one's
// articles now.
func liveStory(ctx context.Context, tx *Tx, id int64) (int64, error) {
	for range 100 {
		var into int64
		err := tx.QueryRow(ctx, `SELECT merged_into FROM stories WHERE id = ?`, id).Scan(&into)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("story %d: %w", id, store.ErrNotFound)
		}
		if err != nil || into == 0 {
			return id, err
		}
		id = into
	}
	return 0, fmt.Errorf("story %d: merge chain too long", id)
}

// extendSpan counts a new member into its story's count and time span:
// the story's row alone is read and written, where respan reads every
// member, which grew with the story. Only for an article joining, not
// one moving between stories.
func extendSpan(ctx context.Context, tx *Tx, story int64, a *model.Article) error {
	pub := a.Published
	if pub != nil && pub.IsZero() {
		pub = nil // stored as NULL (timeArg), so undated
	}
	seen := pub
	if seen == nil {
		seen = &a.IngestedAt
	}
	if tx.db.dialect.postgres() {
		// LEAST and GREATEST ignore NULLs: the first member sets the span.
		return tx.Later(ctx, `UPDATE stories SET articles = articles + 1,
			first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?),
			first_dated = LEAST(first_dated, ?), last_dated = GREATEST(last_dated, ?) WHERE id = ?`,
			timeArg(seen), timeArg(seen), timeArg(pub), timeArg(pub), story)
	}
	// SQLite keeps times as text whose fraction varies in length, which
	// does not compare as time: the row is read and extended here.
	var n int
	var fs, ls, fd, ld nullTime
	if err := tx.QueryRow(ctx, `SELECT articles, first_seen, last_seen, first_dated, last_dated FROM stories WHERE id = ?`, story).
		Scan(&n, &fs, &ls, &fd, &ld); err != nil {
		return fmt.Errorf("story %d span: %w", story, err)
	}
	all, dated := span{fs.t, ls.t}, span{fd.t, ld.t}
	all.add(*seen)
	if pub != nil {
		dated.add(*pub)
	}
	return tx.Later(ctx, `UPDATE stories SET articles = ?, first_seen = ?, last_seen = ?, first_dated = ?, last_dated = ? WHERE id = ?`,
		n+1, timeArg(all.lo), timeArg(all.hi), timeArg(dated.lo), timeArg(dated.hi), story)
}

// respan recomputes a story's member count and time span from all its
// members, after a correction or merge moved some (a joining article
// extends the span instead: extendSpan). Times are compared here, not in
// SQL, because SQLite keeps them as text.
func respan(ctx context.Context, tx *Tx, story int64) error {
	rows, err := tx.Query(ctx, `SELECT published, ingested_at FROM articles WHERE story = ?`, story)
	if err != nil {
		return err
	}
	var n int
	var seen, dated span
	for rows.Next() {
		var pub, ing nullTime
		if err := rows.Scan(&pub, &ing); err != nil {
			rows.Close()
			return err
		}
		n++
		if pub.t != nil {
			dated.add(*pub.t)
			seen.add(*pub.t)
		} else if ing.t != nil {
			seen.add(*ing.t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return tx.Later(ctx, `UPDATE stories SET articles = ?, first_seen = ?, last_seen = ?, first_dated = ?, last_dated = ? WHERE id = ?`,
		n, timeArg(seen.lo), timeArg(seen.hi), timeArg(dated.lo), timeArg(dated.hi), story)
}

type span struct{ lo, hi *time.Time }

func (s *span) add(t time.Time) {
	if s.lo == nil || t.Before(*s.lo) {
		s.lo = &t
	}
	if s.hi == nil || t.After(*s.hi) {
		s.hi = &t
	}
}

// TermStats implements store.Store.
func (db *DB) TermStats(ctx context.Context, terms []string) (map[string]int, int, error) {
	out := make(map[string]int, len(terms))
	n := 0
	all := append([]string{""}, terms...)
	for len(all) > 0 {
		chunk := all[:min(len(all), 500)]
		all = all[len(chunk):]
		rows, err := db.query(ctx, `SELECT term, df FROM term_df WHERE term IN (`+in(len(chunk))+`)`, anyArgs(chunk)...)
		if err != nil {
			return nil, 0, fmt.Errorf("term stats: %w", err)
		}
		for rows.Next() {
			var t string
			var df int
			if err := rows.Scan(&t, &df); err != nil {
				rows.Close()
				return nil, 0, err
			}
			if t == "" {
				n = df
			} else {
				out[t] = df
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	if db.batch != nil {
		// The batch's increments, written at its Commit.
		n += db.batch.df[""]
		added := make(map[string]bool)
		for _, t := range terms {
			if d := db.batch.df[t]; d > 0 && !added[t] {
				out[t] += d
				added[t] = true
			}
		}
	}
	return out, n, nil
}

// postingScan bounds how many stories are read per term: the most
// recently created ones, which the time window favours anyway. It keeps
// the lookup's cost flat however common a term becomes.
const postingScan = 200

// StoryCandidates implements store.Store.
func (db *DB) StoryCandidates(ctx context.Context, q store.StoryQuery) ([]int64, error) {
	if len(q.Terms) == 0 {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 30
	}
	parts := make([]string, len(q.Terms))
	args := make([]any, 0, len(q.Terms)+2)
	for i, t := range q.Terms {
		parts[i] = fmt.Sprintf(`SELECT story_id FROM (SELECT story_id FROM story_terms WHERE term = ? ORDER BY story_id DESC LIMIT %d) AS p%d`, postingScan, i)
		args = append(args, t)
	}
	where := ""
	if q.Around != nil && q.Window > 0 {
		lo, hi := q.Around.Add(-q.Window), q.Around.Add(q.Window)
		where = ` AND (s.last_dated IS NULL OR (s.last_dated >= ? AND s.first_dated <= ?))`
		args = append(args, timeArg(&lo), timeArg(&hi))
	}
	// The limit is written into the statement (see bucketScan).
	rows, err := db.query(ctx, `SELECT u.story_id FROM (`+strings.Join(parts, " UNION ALL ")+`) AS u
		JOIN stories s ON s.id = u.story_id
		WHERE s.merged_into = 0`+where+`
		GROUP BY u.story_id ORDER BY COUNT(*) DESC, u.story_id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("story candidates: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// StoryCentroids implements store.Store.
func (db *DB) StoryCentroids(ctx context.Context, ids []int64) (map[int64]map[string]float64, error) {
	out := make(map[int64]map[string]float64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT story_id, term, weight FROM story_terms WHERE story_id IN (`+in(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("story centroids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t string
		var w float64
		if err := rows.Scan(&id, &t, &w); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]float64{}
		}
		out[id][t] = w
	}
	return out, rows.Err()
}

// StoryMatches implements store.Store.
func (db *DB) StoryMatches(ctx context.Context, ids []int64, terms []string) (map[int64]store.StoryMatch, error) {
	out := make(map[int64]store.StoryMatch, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	rows, err := db.query(ctx, `SELECT id, norm2, shared2 FROM stories WHERE id IN (`+in(len(ids))+`)`, idArgs...)
	if err != nil {
		return nil, fmt.Errorf("story matches: %w", err)
	}
	for rows.Next() {
		var id int64
		var n2, s2 float64
		if err := rows.Scan(&id, &n2, &s2); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = store.StoryMatch{Weights: map[string]float64{}, Norm: math.Sqrt(max(n2, 0)), SharedNorm: math.Sqrt(max(s2, 0))}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for len(terms) > 0 {
		chunk := terms[:min(len(terms), 400)]
		terms = terms[len(chunk):]
		rows, err := db.query(ctx, `SELECT story_id, term, weight FROM story_terms WHERE story_id IN (`+in(len(ids))+`) AND term IN (`+in(len(chunk))+`)`,
			append(slices.Clone(idArgs), anyArgs(chunk)...)...)
		if err != nil {
			return nil, fmt.Errorf("story matches: %w", err)
		}
		for rows.Next() {
			var id int64
			var t string
			var w float64
			if err := rows.Scan(&id, &t, &w); err != nil {
				rows.Close()
				return nil, err
			}
			if m, ok := out[id]; ok {
				m.Weights[t] = w
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ArticleStories implements store.Store.
func (db *DB) ArticleStories(ctx context.Context, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT id, story FROM articles WHERE story <> 0 AND id IN (`+in(len(ids))+`)`, anyArgs(ids)...)
	if err != nil {
		return nil, fmt.Errorf("article stories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s int64
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

const storySelect = `SELECT s.id, s.first_seen, s.last_seen, s.articles, s.merged_into, s.created_at,
	(SELECT COUNT(DISTINCT a.lineage) FROM articles a WHERE a.story = s.id),
	(SELECT COUNT(DISTINCT a.source) FROM articles a WHERE a.story = s.id)
	FROM stories s`

func scanStory(rows *sql.Rows) (*model.Story, error) {
	var s model.Story
	var first, last, created nullTime
	if err := rows.Scan(&s.ID, &first, &last, &s.Articles, &s.MergedInto, &created, &s.Lineages, &s.Sources); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		dst *time.Time
		src nullTime
	}{{&s.FirstSeen, first}, {&s.LastSeen, last}, {&s.CreatedAt, created}} {
		if p.src.t != nil {
			*p.dst = *p.src.t
		}
	}
	return &s, nil
}

func (db *DB) stories(ctx context.Context, q string, args ...any) ([]*model.Story, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	defer rows.Close()
	var out []*model.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GetStory implements store.Store.
func (db *DB) GetStory(ctx context.Context, id int64) (*model.Story, error) {
	ss, err := db.stories(ctx, storySelect+` WHERE s.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("story %d: %w", id, store.ErrNotFound)
	}
	return ss[0], nil
}

// ListStories implements store.Store.
func (db *DB) ListStories(ctx context.Context, opts store.StoryListOptions) ([]*model.Story, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = 100
	}
	order := `s.last_seen DESC, s.id DESC`
	if opts.Order == store.BySources {
		order = `7 DESC, 8 DESC, s.last_seen DESC, s.id DESC`
	}
	return db.stories(ctx, storySelect+` WHERE s.merged_into = 0 AND s.articles > 0 ORDER BY `+order+` LIMIT ? OFFSET ?`, limit, opts.Offset)
}

// StoryArticles implements store.Store.
func (db *DB) StoryArticles(ctx context.Context, id int64) ([]*model.Article, error) {
	rows, err := db.query(ctx, `SELECT `+articleColumns+` FROM articles WHERE story = ? ORDER BY COALESCE(published, ingested_at), id`, id)
	if err != nil {
		return nil, fmt.Errorf("story %d articles: %w", id, err)
	}
	defer rows.Close()
	var out []*model.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("story %d articles: %w", id, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Assignment implements store.Store.
func (db *DB) Assignment(ctx context.Context, articleID string) (*model.Assignment, error) {
	as := model.Assignment{ArticleID: articleID}
	var ev string
	var pinned int64
	err := db.queryRow(ctx, `SELECT a.story, s.via, s.score, s.evidence, s.pinned FROM story_assignments s
		JOIN articles a ON a.id = s.article_id WHERE s.article_id = ?`, articleID).Scan(&as.Story, &as.Via, &as.Score, &ev, &pinned)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("story of article %s: %w", articleID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("story of article %s: %w", articleID, err)
	}
	as.Pinned = pinned != 0
	var e evidence
	if err := json.Unmarshal([]byte(ev), &e); err != nil {
		return nil, fmt.Errorf("story of article %s: evidence: %w", articleID, err)
	}
	as.Shared, as.Copies = e.Shared, e.Copies
	rows, err := db.query(ctx, `SELECT story_id, score FROM story_mentions WHERE article_id = ? ORDER BY score DESC`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m model.Mention
		if err := rows.Scan(&m.Story, &m.Score); err != nil {
			return nil, err
		}
		as.Mentions = append(as.Mentions, m)
	}
	return &as, rows.Err()
}

func pinnedArg(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CorrectStories implements store.Store.
func (db *DB) CorrectStories(ctx context.Context, c *model.StoryCorrection) error {
	if c.At.IsZero() {
		c.At = time.Now().UTC()
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		switch c.Action {
		case model.CorrectMove:
			if err := mustLive(ctx, tx, c.Story); err != nil {
				return err
			}
			if err := moveArticles(ctx, tx, c.Articles, c.Story, true); err != nil {
				return err
			}
		case model.CorrectSplit:
			if err := mustLive(ctx, tx, c.Story); err != nil {
				return err
			}
			for _, id := range c.Articles {
				var s int64
				if err := tx.QueryRow(ctx, `SELECT story FROM articles WHERE id = ?`, id).Scan(&s); err != nil {
					if errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("article %s: %w", id, store.ErrNotFound)
					}
					return err
				}
				if s != c.Story {
					return fmt.Errorf("article %s is in story %d, not %d", id, s, c.Story)
				}
			}
			if err := tx.QueryRow(ctx, `INSERT INTO stories (created_at) VALUES (?) RETURNING id`, timeArg(&c.At)).Scan(&c.Other); err != nil {
				return err
			}
			if err := moveArticles(ctx, tx, c.Articles, c.Other, true); err != nil {
				return err
			}
		case model.CorrectMerge:
			if c.Story == c.Other {
				return fmt.Errorf("cannot merge story %d into itself", c.Story)
			}
			for _, id := range []int64{c.Story, c.Other} {
				if err := mustLive(ctx, tx, id); err != nil {
					return err
				}
			}
			// The older story keeps its ID.
			if c.Other < c.Story {
				c.Story, c.Other = c.Other, c.Story
			}
			if err := mergeStories(ctx, tx, c.Other, c.Story); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown story correction %q (want move, merge or split)", c.Action)
		}
		arts, err := json.Marshal(c.Articles)
		if err != nil {
			return err
		}
		if c.Articles == nil {
			arts = []byte("[]")
		}
		_, err = tx.Exec(ctx, `INSERT INTO story_corrections (action, story_id, other_id, articles, who, why, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.Action, c.Story, c.Other, string(arts), c.Who, c.Why, timeArg(&c.At))
		return err
	})
	if err != nil {
		return fmt.Errorf("story %s: %w", c.Action, err)
	}
	return nil
}

func mustLive(ctx context.Context, tx *Tx, id int64) error {
	var into int64
	err := tx.QueryRow(ctx, `SELECT merged_into FROM stories WHERE id = ?`, id).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("story %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if into != 0 {
		return fmt.Errorf("story %d was merged into story %d", id, into)
	}
	return nil
}

// moveArticles moves articles with their vectors from wherever they are
// to story to, pinning them there when an analyst moved them.
func moveArticles(ctx context.Context, tx *Tx, ids []string, to int64, analyst bool) error {
	touched := map[int64]bool{to: true}
	for _, id := range ids {
		var from int64
		var vec string
		err := tx.QueryRow(ctx, `SELECT a.story, COALESCE(s.vector, '{}') FROM articles a
			LEFT JOIN story_assignments s ON s.article_id = a.id WHERE a.id = ?`, id).Scan(&from, &vec)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("article %s: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		var v map[string]float64
		if err := json.Unmarshal([]byte(vec), &v); err != nil {
			return fmt.Errorf("article %s vector: %w", id, err)
		}
		if from == to {
			continue
		}
		if from != 0 {
			touched[from] = true
			if err := addCentroid(ctx, tx, from, v, -1); err != nil {
				return err
			}
		}
		if err := addCentroid(ctx, tx, to, v, 1); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE articles SET story = ? WHERE id = ?`, to, id); err != nil {
			return err
		}
		if analyst {
			if _, err := tx.Exec(ctx, `INSERT INTO story_assignments (article_id, via, score, evidence, vector, pinned)
				VALUES (?, ?, 0, '{}', ?, ?) ON CONFLICT (article_id) DO UPDATE SET via = excluded.via, score = 0, pinned = excluded.pinned`,
				id, model.ViaAnalyst, vec, 1); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM story_mentions WHERE article_id = ? AND story_id = ?`, id, to); err != nil {
			return err
		}
	}
	for s := range touched {
		if err := respan(ctx, tx, s); err != nil {
			return err
		}
	}
	return nil
}

// mergeStories moves every article of from into into and retires from.
func mergeStories(ctx context.Context, tx *Tx, from, into int64) error {
	if _, err := tx.Exec(ctx, `INSERT INTO story_terms (story_id, term, weight)
		SELECT ?, term, weight FROM story_terms WHERE story_id = ?
		ON CONFLICT (story_id, term) DO UPDATE SET weight = story_terms.weight + excluded.weight`, into, from); err != nil {
		return err
	}
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`DELETE FROM story_terms WHERE story_id = ?`, []any{from}},
		{`UPDATE articles SET story = ? WHERE story = ?`, []any{into, from}},
		// An article does not mention its own story, nor one story twice.
		{`DELETE FROM story_mentions WHERE story_id IN (?, ?) AND article_id IN (SELECT id FROM articles WHERE story = ?)`, []any{from, into, into}},
		{`DELETE FROM story_mentions WHERE story_id = ? AND article_id IN (SELECT article_id FROM story_mentions WHERE story_id = ?)`, []any{from, into}},
		{`UPDATE story_mentions SET story_id = ? WHERE story_id = ?`, []any{into, from}},
		{`UPDATE stories SET merged_into = ?, articles = 0, norm2 = 0, shared2 = 0 WHERE id = ?`, []any{into, from}},
		{`UPDATE stories SET norm2 = (SELECT COALESCE(SUM(weight * weight), 0) FROM story_terms WHERE story_id = ?),
			shared2 = (SELECT COALESCE(SUM(weight * weight), 0) FROM story_terms WHERE story_id = ? AND term NOT LIKE 'zh:%') WHERE id = ?`, []any{into, into, into}},
	} {
		if _, err := tx.Exec(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return respan(ctx, tx, into)
}

// StoryCorrections implements store.Store.
func (db *DB) StoryCorrections(ctx context.Context, id int64) ([]model.StoryCorrection, error) {
	q := `SELECT action, story_id, other_id, articles, who, why, at FROM story_corrections`
	var args []any
	if id != 0 {
		q += ` WHERE story_id = ? OR other_id = ?`
		args = []any{id, id}
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("story corrections: %w", err)
	}
	defer rows.Close()
	var out []model.StoryCorrection
	for rows.Next() {
		var c model.StoryCorrection
		var arts string
		var at nullTime
		if err := rows.Scan(&c.Action, &c.Story, &c.Other, &arts, &c.Who, &c.Why, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(arts), &c.Articles); err != nil {
			return nil, fmt.Errorf("story correction articles: %w", err)
		}
		if at.t != nil {
			c.At = *at.t
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// StoryAssignments implements store.Store.
func (db *DB) StoryAssignments(ctx context.Context, story int64) (map[string]*model.Assignment, error) {
	rows, err := db.query(ctx, `SELECT a.id, a.story, s.via, s.score, s.evidence, s.pinned FROM story_assignments s
		JOIN articles a ON a.id = s.article_id WHERE a.story = ?`, story)
	if err != nil {
		return nil, fmt.Errorf("assignments of story %d: %w", story, err)
	}
	out := map[string]*model.Assignment{}
	for rows.Next() {
		as := &model.Assignment{}
		var ev string
		var pinned int64
		if err := rows.Scan(&as.ArticleID, &as.Story, &as.Via, &as.Score, &ev, &pinned); err != nil {
			rows.Close()
			return nil, err
		}
		as.Pinned = pinned != 0
		var e evidence
		if err := json.Unmarshal([]byte(ev), &e); err != nil {
			rows.Close()
			return nil, fmt.Errorf("story of article %s: evidence: %w", as.ArticleID, err)
		}
		as.Shared, as.Copies = e.Shared, e.Copies
		out[as.ArticleID] = as
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT m.article_id, m.story_id, m.score FROM story_mentions m JOIN articles a ON a.id = m.article_id
		WHERE a.story = ? ORDER BY m.article_id, m.score DESC`, story)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var m model.Mention
		if err := rows.Scan(&id, &m.Story, &m.Score); err != nil {
			return nil, err
		}
		if as := out[id]; as != nil {
			as.Mentions = append(as.Mentions, m)
		}
	}
	return out, rows.Err()
}
