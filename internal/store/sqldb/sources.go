package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

const sourceColumns = `id, name, feed_url, home, language, role, category, every_seconds, etag, last_modified, next_poll, last_poll, last_error, added_at, failures`

// AddSource implements store.Store.
func (db *DB) AddSource(ctx context.Context, s *model.Source) (int64, bool, error) {
	every := int64(s.Every / time.Second)
	if every <= 0 {
		every = 1800
	}
	added := s.AddedAt
	if added.IsZero() {
		added = time.Now().UTC()
	}
	var id int64
	var isNew bool
	err := db.Transact(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM sources WHERE feed_url = ?`, s.FeedURL).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		isNew = true
		return tx.QueryRow(ctx, `INSERT INTO sources (name, feed_url, home, language, role, category, every_seconds, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.Name, s.FeedURL, s.Home, s.Language, s.Role, s.Category, every, timeArg(&added)).Scan(&id)
	})
	if err != nil {
		return 0, false, fmt.Errorf("add source %s: %w", s.FeedURL, err)
	}
	return id, isNew, nil
}

func (db *DB) sources(ctx context.Context, q string, args ...any) ([]model.Source, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []model.Source
	for rows.Next() {
		var s model.Source
		var every int64
		var next, last, added nullTime
		if err := rows.Scan(&s.ID, &s.Name, &s.FeedURL, &s.Home, &s.Language, &s.Role, &s.Category, &every, &s.ETag, &s.LastModified,
			&next, &last, &s.LastError, &added, &s.Failures); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		s.Every = time.Duration(every) * time.Second
		s.NextPoll, s.LastPoll = next.t, last.t
		if added.t != nil {
			s.AddedAt = *added.t
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Sources implements store.Store.
func (db *DB) Sources(ctx context.Context) ([]model.Source, error) {
	return db.sources(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name, id`)
}

// GetSource implements store.Store.
func (db *DB) GetSource(ctx context.Context, id int64) (*model.Source, error) {
	ss, err := db.sources(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("source %d: %w", id, store.ErrNotFound)
	}
	return &ss[0], nil
}

// UpdateSource implements store.Store.
func (db *DB) UpdateSource(ctx context.Context, s *model.Source) (moved int, err error) {
	every := int64(s.Every / time.Second)
	if every <= 0 {
		return 0, fmt.Errorf("source %d: poll interval %s: must be positive", s.ID, s.Every)
	}
	err = db.Transact(ctx, func(tx *Tx) error {
		moved = 0
		var next, last nullTime
		var failures int
		var name string
		err := tx.QueryRow(ctx, `SELECT name, next_poll, last_poll, failures FROM sources WHERE id = ?`, s.ID).Scan(&name, &next, &last, &failures)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("source %d: %w", s.ID, store.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("source %d: %w", s.ID, err)
		}
		// A shorter interval brings a planned poll forward; a failing
		// feed keeps its backoff.
		if next.t != nil && last.t != nil && failures == 0 {
			if sooner := last.t.Add(time.Duration(every) * time.Second); sooner.Before(*next.t) {
				next.t = &sooner
			}
		}
		_, err = tx.Exec(ctx, `UPDATE sources SET name = ?, home = ?, language = ?, role = ?, category = ?, every_seconds = ?, next_poll = ?
			WHERE id = ?`, s.Name, s.Home, s.Language, s.Role, s.Category, every, timeArg(next.t), s.ID)
		if err != nil {
			return fmt.Errorf("source %d: %w", s.ID, err)
		}
		if name != s.Name {
			if moved, err = renameArticles(ctx, tx, s.ID, name, s.Name); err != nil {
				return fmt.Errorf("source %d: renaming its articles: %w", s.ID, err)
			}
			if err := logRename(ctx, tx, name, s.Name, s.ID, moved); err != nil {
				return fmt.Errorf("source %d: %w", s.ID, err)
			}
		}
		return nil
	})
	return moved, err
}

// RenameOutlet implements store.Store.
func (db *DB) RenameOutlet(ctx context.Context, from, to string) (moved int, err error) {
	if from == "" || to == "" {
		return 0, fmt.Errorf("rename outlet %q to %q: both names are needed", from, to)
	}
	if from == to {
		return 0, fmt.Errorf("rename outlet %q: the new name is the same", from)
	}
	err = db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sources SET name = ? WHERE name = ?`, to, from)
		if err != nil {
			return fmt.Errorf("rename outlet %q: %w", from, err)
		}
		sources, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if moved, err = attributeArticles(ctx, tx, from, to, 0); err != nil {
			return fmt.Errorf("rename outlet %q: %w", from, err)
		}
		if moved == 0 && sources == 0 {
			return fmt.Errorf("outlet %q: no stored article or watched source has that name: %w", from, store.ErrNotFound)
		}
		return logRename(ctx, tx, from, to, 0, moved)
	})
	return moved, err
}

// logRename records a rename (source 0: the outlet as a whole).
func logRename(ctx context.Context, tx *Tx, from, to string, source int64, moved int) error {
	now := time.Now()
	_, err := tx.Exec(ctx, `INSERT INTO source_renames (from_name, to_name, source_id, moved, renamed_at) VALUES (?, ?, ?, ?, ?)`,
		from, to, source, moved, timeArg(&now))
	if err != nil {
		return fmt.Errorf("recording the rename: %w", err)
	}
	return nil
}

// SourceRenames implements store.Store.
func (db *DB) SourceRenames(ctx context.Context) ([]model.SourceRename, error) {
	rows, err := db.query(ctx, `SELECT id, from_name, to_name, source_id, moved, renamed_at FROM source_renames ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("source renames: %w", err)
	}
	defer rows.Close()
	var out []model.SourceRename
	for rows.Next() {
		var r model.SourceRename
		var at nullTime
		if err := rows.Scan(&r.ID, &r.From, &r.To, &r.Source, &r.Moved, &at); err != nil {
			return nil, fmt.Errorf("source renames: %w", err)
		}
		if at.t != nil {
			r.At = *at.t
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// renameArticles attributes the stored articles of source id, known as
// from, to the name to (see store.Store.UpdateSource): all of them, or
// only those fetched through its feed when another source still has
// the old name.
func renameArticles(ctx context.Context, tx *Tx, id int64, from, to string) (int, error) {
	var others int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM sources WHERE name = ? AND id <> ?`, from, id).Scan(&others); err != nil {
		return 0, err
	}
	if others == 0 {
		id = 0
	}
	return attributeArticles(ctx, tx, from, to, id)
}

// attributeArticles attributes the stored articles known as from to the name
// to — every one, or with feed > 0 only those fetched through that
// source's feed — with the two things kept by source name beside them:
// their repeated lines, which cleaning learns boilerplate from, and
// their features' copy of the name, which the linker reads.
func attributeArticles(ctx context.Context, tx *Tx, from, to string, feed int64) (int, error) {
	scope, args := `source = ?`, []any{from}
	if feed > 0 {
		scope += ` AND id IN (SELECT article_id FROM feed_items WHERE source_id = ?)`
		args = append(args, feed)
	}
	if _, err := tx.Exec(ctx, `UPDATE source_lines SET source = ? WHERE source = ? AND article_id IN (SELECT id FROM articles WHERE `+scope+`)`,
		append([]any{to, from}, args...)...); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE article_features SET source = ? WHERE source IS NOT NULL AND article_id IN (SELECT id FROM articles WHERE `+scope+`)`,
		append([]any{to}, args...)...); err != nil {
		return 0, err
	}
	res, err := tx.Exec(ctx, `UPDATE articles SET source = ? WHERE `+scope, append([]any{to}, args...)...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RemoveSource implements store.Store.
func (db *DB) RemoveSource(ctx context.Context, id int64) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM feed_items WHERE source_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM sources WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("source %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

// DueSources implements store.Store.
func (db *DB) DueSources(ctx context.Context, now time.Time) ([]model.Source, error) {
	now = now.UTC().Truncate(time.Second)
	return db.sources(ctx, `SELECT `+sourceColumns+` FROM sources WHERE next_poll IS NULL OR next_poll <= ?
		ORDER BY next_poll NULLS FIRST, id`, timeArg(&now))
}

// sourceLock is the first key of a source's advisory lock on PostgreSQL
// (the second is its id); two-key locks do not meet the one-key locks
// of the linker and the migrations.
const sourceLock = 0x63630001

// ClaimSource implements store.Store.
func (db *DB) ClaimSource(ctx context.Context, id int64, now time.Time) (func(), bool, error) {
	release, ok, err := db.lockSource(ctx, id)
	if err != nil || !ok {
		return nil, false, err
	}
	// Another watcher may have polled it between our reading it due and
	// taking the lock: its PolledSource committed before it let go.
	now = now.UTC().Truncate(time.Second)
	var due int
	if err := db.queryRow(ctx, `SELECT count(*) FROM sources WHERE id = ? AND (next_poll IS NULL OR next_poll <= ?)`,
		id, timeArg(&now)).Scan(&due); err != nil {
		release()
		return nil, false, fmt.Errorf("claim source %d: %w", id, err)
	}
	if due == 0 {
		release()
		return nil, false, nil
	}
	return release, true, nil
}

func (db *DB) lockSource(ctx context.Context, id int64) (func(), bool, error) {
	if !db.dialect.postgres() {
		if db.claimLock == nil {
			return func() {}, true, nil
		}
		return db.claimLock()
	}
	// A connection of its own holds the lock: a session lock lives as
	// long as the connection, so a watcher that dies lets go of it.
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("claim source %d: %w", id, err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(sourceLock), int32(id)).Scan(&got); err != nil || !got {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("claim source %d: %w", id, err)
		}
		return nil, false, nil
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, int32(sourceLock), int32(id))
		conn.Close()
	}, true, nil
}

// SetClaimLock sets how a SQLite store claims a source for a poll across
// processes (a file lock: see sqlite.Open); without it every claim of a
// due source succeeds.
func (db *DB) SetClaimLock(lock func() (release func(), ok bool, err error)) { db.claimLock = lock }

// PolledSource implements store.Store.
func (db *DB) PolledSource(ctx context.Context, id int64, etag, lastModified string, at, next time.Time, pollErr string) error {
	at, next = at.UTC().Truncate(time.Second), next.UTC().Truncate(time.Second)
	_, err := db.exec(ctx, `UPDATE sources SET etag = ?, last_modified = ?, last_poll = ?, next_poll = ?, last_error = ?,
		failures = CASE WHEN ? = '' THEN 0 ELSE failures + 1 END WHERE id = ?`,
		etag, lastModified, timeArg(&at), timeArg(&next), pollErr, pollErr, id)
	if err != nil {
		return fmt.Errorf("source %d poll: %w", id, err)
	}
	return nil
}

// SeenItems implements store.Store.
func (db *DB) SeenItems(ctx context.Context, source int64, guids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(guids) > 0 {
		n := min(len(guids), 200)
		args := []any{source}
		for _, g := range guids[:n] {
			args = append(args, g)
		}
		rows, err := db.query(ctx, `SELECT guid FROM feed_items WHERE source_id = ? AND guid IN (`+in(n)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("seen items: %w", err)
		}
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				rows.Close()
				return nil, err
			}
			out[g] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		guids = guids[n:]
	}
	return out, nil
}

// RecordItem implements store.Store.
func (db *DB) RecordItem(ctx context.Context, it model.FeedItem) error {
	seen := it.SeenAt
	if seen.IsZero() {
		seen = time.Now().UTC()
	}
	_, err := db.exec(ctx, `INSERT INTO feed_items (source_id, guid, url, seen_at, outcome, article_id, reason, attempts, published)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source_id, guid) DO UPDATE SET url = excluded.url, seen_at = excluded.seen_at, outcome = excluded.outcome,
		article_id = excluded.article_id, reason = excluded.reason, attempts = excluded.attempts, published = excluded.published`,
		it.Source, it.GUID, it.URL, timeArg(&seen), it.Outcome, it.ArticleID, it.Reason, it.Attempts, timeArg(it.Published))
	if err != nil {
		return fmt.Errorf("record item %s: %w", it.URL, err)
	}
	return nil
}

// SourceItems implements store.Store.
func (db *DB) SourceItems(ctx context.Context, source int64, limit int) ([]model.FeedItem, error) {
	items, err := db.feedItems(ctx, `WHERE source_id = ? ORDER BY seen_at DESC, guid LIMIT ?`, source, limit)
	if err != nil {
		return nil, fmt.Errorf("source items: %w", err)
	}
	return items, nil
}

// RetryItems implements store.Store.
func (db *DB) RetryItems(ctx context.Context, source int64, limit int) ([]model.FeedItem, error) {
	items, err := db.feedItems(ctx, `WHERE source_id = ? AND outcome = ? ORDER BY seen_at, guid LIMIT ?`, source, model.OutcomeRetry, limit)
	if err != nil {
		return nil, fmt.Errorf("items to retry: %w", err)
	}
	return items, nil
}

// feedItems reads the feed items a WHERE and ORDER clause select.
func (db *DB) feedItems(ctx context.Context, where string, args ...any) ([]model.FeedItem, error) {
	rows, err := db.query(ctx, `SELECT source_id, guid, url, seen_at, outcome, article_id, reason, attempts, published
		FROM feed_items `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.FeedItem
	for rows.Next() {
		var it model.FeedItem
		var seen, published nullTime
		if err := rows.Scan(&it.Source, &it.GUID, &it.URL, &seen, &it.Outcome, &it.ArticleID, &it.Reason, &it.Attempts, &published); err != nil {
			return nil, err
		}
		if seen.t != nil {
			it.SeenAt = *seen.t
		}
		it.Published = published.t
		out = append(out, it)
	}
	return out, rows.Err()
}

// SourceStats implements store.Store.
func (db *DB) SourceStats(ctx context.Context) ([]store.SourceStat, error) {
	rows, err := db.query(ctx, `SELECT a.source, count(*),
			sum(CASE WHEN a.lineage = a.id AND EXISTS (SELECT 1 FROM articles c WHERE c.lineage = a.id AND c.id <> a.id) THEN 1 ELSE 0 END),
			sum(CASE WHEN a.lineage <> a.id THEN 1 ELSE 0 END),
			count(DISTINCT CASE WHEN a.story <> 0 THEN a.story END),
			min(a.published), max(a.published)
		FROM articles a GROUP BY a.source ORDER BY count(*) DESC, a.source`)
	if err != nil {
		return nil, fmt.Errorf("source stats: %w", err)
	}
	var out []store.SourceStat
	index := map[string]int{}
	for rows.Next() {
		var st store.SourceStat
		var first, last nullTime
		if err := rows.Scan(&st.Name, &st.Articles, &st.Originated, &st.Copies, &st.Stories, &first, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("source stats: %w", err)
		}
		st.FirstSeen, st.LastSeen = first.t, last.t
		index[st.Name] = len(out)
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Who published first in each story (undated articles never first).
	rows, err = db.query(ctx, `SELECT source, count(*) FROM (
			SELECT a.source, ROW_NUMBER() OVER (PARTITION BY a.story ORDER BY a.published, a.id) AS rn
			FROM articles a WHERE a.story <> 0 AND a.published IS NOT NULL) AS firsts
		WHERE rn = 1 GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("source stats: %w", err)
	}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := index[name]; ok {
			out[i].FirstInStory = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	watched, err := db.Sources(ctx)
	if err != nil {
		return nil, err
	}
	for i := range watched {
		if j, ok := index[watched[i].Name]; ok {
			out[j].Watched = &watched[i]
		}
	}
	return out, nil
}
