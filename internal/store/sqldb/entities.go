package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// putMentions stores an article's name mentions inside its transaction,
// creating entities for keys not seen before: a few multi-row statements
// per article, not a few per mention.
func putMentions(ctx context.Context, tx *Tx, articleID string, ms []model.NameMention) error {
	if len(ms) == 0 {
		return nil
	}
	now := time.Now().UTC()
	var rows [][]any
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		if !seen[m.Key] {
			seen[m.Key] = true
			keys = append(keys, m.Key)
			rows = append(rows, []any{m.Key, m.Name, m.Type, timeArg(&now)})
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO entities (key, name, type, created_at) VALUES `, rows); err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	type known struct {
		id, into int64
		name     string
		typ      string
	}
	byKey := map[string]known{}
	rs, err := tx.Query(ctx, `SELECT key, id, merged_into, name, type FROM entities WHERE key IN (`+in(len(keys))+`)`, anyArgs(keys)...)
	if err != nil {
		return err
	}
	for rs.Next() {
		var k string
		var e known
		if err := rs.Scan(&k, &e.id, &e.into, &e.name, &e.typ); err != nil {
			rs.Close()
			return err
		}
		byKey[k] = e
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	ids := map[string]int64{}
	for k, e := range byKey {
		id, into := e.id, e.into
		for hops := 0; into != 0 && hops < 100; hops++ {
			id = into
			if err := tx.QueryRow(ctx, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&into); err != nil {
				return err
			}
		}
		ids[k] = id
	}
	var aliases, mentions [][]any
	for i, m := range ms {
		id := ids[m.Key]
		// A longer spelling names a person better than a surname alone.
		if e := byKey[m.Key]; e.typ == model.EntityPerson && e.into == 0 && len(m.Name) > len(e.name) {
			if err := tx.Later(ctx, `UPDATE entities SET name = ? WHERE id = ?`, m.Name, id); err != nil {
				return err
			}
			e.name = m.Name
			byKey[m.Key] = e
		}
		aliases = append(aliases, []any{words.FoldName(m.Name), id})
		mentions = append(mentions, []any{articleID, i, id, m.Name, m.Role, m.Start, m.End})
	}
	if err := insertRows(ctx, tx, `INSERT INTO entity_aliases (alias, entity_id) VALUES `, aliases); err != nil {
		return err
	}
	return insertRows(ctx, tx, `INSERT INTO entity_mentions (article_id, ord, entity_id, name, role, start_rune, end_rune) VALUES `, mentions)
}

// StoryEntityKeys implements store.Store.
func (db *DB) StoryEntityKeys(ctx context.Context, story int64) ([]string, error) {
	// The window is written into the statement (see bucketScan).
	rows, err := db.query(ctx, `SELECT DISTINCT e.key FROM
		(SELECT id FROM articles WHERE story = ? ORDER BY ingested_at DESC, id DESC LIMIT `+strconv.Itoa(store.StoryEntityWindow)+`) a
		JOIN entity_mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id ORDER BY e.key`, story)
	if err != nil {
		return nil, fmt.Errorf("story entity keys: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AliasKeys implements store.Store.
func (db *DB) AliasKeys(ctx context.Context, aliases []string) (map[string]string, error) {
	out := map[string]string{}
	if len(aliases) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT a.alias, e.key FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
		WHERE a.analyst = 1 AND a.alias IN (`+in(len(aliases))+`)`, anyArgs(aliases)...)
	if err != nil {
		return nil, fmt.Errorf("alias keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, k string
		if err := rows.Scan(&a, &k); err != nil {
			return nil, err
		}
		out[a] = k
	}
	return out, rows.Err()
}

// entityDetails fills an entity's aliases, roles and articles.
func (db *DB) entityDetails(ctx context.Context, e *model.Entity, story int64) error {
	rows, err := db.query(ctx, `SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias`, e.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return err
		}
		e.Aliases = append(e.Aliases, a)
	}
	rows.Close()
	q := `SELECT DISTINCT m.article_id, m.role FROM entity_mentions m WHERE m.entity_id = ?`
	args := []any{e.ID}
	if story != 0 {
		// From the story's articles, not from all the entity's mentions: a
		// name in 100,000 articles must not cost 100,000 lookups here.
		// (CROSS JOIN keeps that order in SQLite, and the unary + keeps
		// it off the entity index; PostgreSQL plans freely.)
		q = `SELECT DISTINCT m.article_id, m.role FROM articles a CROSS JOIN entity_mentions m
			WHERE m.article_id = a.id AND a.story = ? AND +m.entity_id = ?`
		args = []any{story, e.ID}
	}
	rows, err = db.query(ctx, q+` ORDER BY m.article_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	seenA, seenR := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var a, r string
		if err := rows.Scan(&a, &r); err != nil {
			return err
		}
		if !seenA[a] {
			seenA[a] = true
			e.Articles = append(e.Articles, a)
		}
		if r != "" && !seenR[r] {
			seenR[r] = true
			e.Roles = append(e.Roles, r)
		}
	}
	return rows.Err()
}

// GetEntity implements store.Store.
func (db *DB) GetEntity(ctx context.Context, id int64) (*model.Entity, error) {
	for hops := 0; hops < 100; hops++ {
		var e model.Entity
		var into int64
		err := db.queryRow(ctx, `SELECT id, key, name, type, merged_into FROM entities WHERE id = ?`, id).Scan(&e.ID, &e.Key, &e.Name, &e.Type, &into)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("entity %d: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("entity %d: %w", id, err)
		}
		if into != 0 {
			id = into
			continue
		}
		if err := db.entityDetails(ctx, &e, 0); err != nil {
			return nil, fmt.Errorf("entity %d: %w", id, err)
		}
		return &e, nil
	}
	return nil, fmt.Errorf("entity %d: merge chain too long", id)
}

func (db *DB) entities(ctx context.Context, q string, args ...any) ([]*model.Entity, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	defer rows.Close()
	var out []*model.Entity
	for rows.Next() {
		var e model.Entity
		if err := rows.Scan(&e.ID, &e.Key, &e.Name, &e.Type); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// StoryEntities implements store.Store.
func (db *DB) StoryEntities(ctx context.Context, story int64) ([]*model.Entity, error) {
	es, err := db.entities(ctx, `SELECT e.id, e.key, e.name, e.type FROM entities e
		JOIN entity_mentions m ON m.entity_id = e.id JOIN articles a ON a.id = m.article_id
		WHERE a.story = ? GROUP BY e.id, e.key, e.name, e.type ORDER BY COUNT(*) DESC, e.id`, story)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if err := db.entityDetails(ctx, e, story); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// EachEntity implements store.Store.
func (db *DB) EachEntity(ctx context.Context, fn func(*model.Entity) error) error {
	const page = 500
	var after int64
	for {
		es, err := db.entities(ctx, `SELECT id, key, name, type FROM entities WHERE merged_into = 0 AND id > ? ORDER BY id LIMIT ?`, after, page)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := db.entityDetails(ctx, e, 0); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(es) < page {
			return nil
		}
		after = es[len(es)-1].ID
	}
}

// SetAlias implements store.Store.
func (db *DB) SetAlias(ctx context.Context, alias string, entityID int64) error {
	a := words.FoldName(alias)
	if a == "" {
		return fmt.Errorf("alias is empty")
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		var into int64
		err := tx.QueryRow(ctx, `SELECT merged_into FROM entities WHERE id = ?`, entityID).Scan(&into)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("entity %d: %w", entityID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if into != 0 {
			return fmt.Errorf("entity %d was merged into entity %d", entityID, into)
		}
		var old int64
		err = tx.QueryRow(ctx, `SELECT entity_id FROM entity_aliases WHERE alias = ?`, a).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			// Mentions so spelled move to the entity.
			rows, err := tx.Query(ctx, `SELECT article_id, ord, name FROM entity_mentions WHERE entity_id = ?`, old)
			if err != nil {
				return err
			}
			type key struct {
				a string
				o int
			}
			var move []key
			for rows.Next() {
				var k key
				var name string
				if err := rows.Scan(&k.a, &k.o, &name); err != nil {
					rows.Close()
					return err
				}
				if words.FoldName(name) == a {
					move = append(move, k)
				}
			}
			rows.Close()
			for _, k := range move {
				if _, err := tx.Exec(ctx, `UPDATE entity_mentions SET entity_id = ? WHERE article_id = ? AND ord = ?`, entityID, k.a, k.o); err != nil {
					return err
				}
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO entity_aliases (alias, entity_id, analyst) VALUES (?, ?, 1)
			ON CONFLICT (alias) DO UPDATE SET entity_id = excluded.entity_id, analyst = 1`, a, entityID)
		return err
	})
	if err != nil {
		return fmt.Errorf("alias %q: %w", alias, err)
	}
	return nil
}

// MergeEntities implements store.Store.
func (db *DB) MergeEntities(ctx context.Context, keep, other int64) error {
	if keep == other {
		return fmt.Errorf("cannot merge entity %d into itself", keep)
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		for _, id := range []int64{keep, other} {
			var into int64
			err := tx.QueryRow(ctx, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&into)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("entity %d: %w", id, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if into != 0 {
				return fmt.Errorf("entity %d was merged into entity %d", id, into)
			}
		}
		for _, q := range []string{
			`UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?`,
			`UPDATE entity_aliases SET entity_id = ? WHERE entity_id = ?`,
			`UPDATE entities SET merged_into = ? WHERE id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, keep, other); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("merge entities: %w", err)
	}
	return nil
}

// TopEntities implements store.Store.
func (db *DB) TopEntities(ctx context.Context, typ string, limit, offset int) ([]store.EntityCount, error) {
	if limit <= 0 {
		limit = 100
	}
	cond, args := "", []any{}
	if typ != "" {
		cond, args = " AND e.type = ?", append(args, typ)
	}
	rows, err := db.query(ctx, `SELECT e.id, e.key, e.name, e.type, count(DISTINCT m.article_id) AS n
		FROM entities e JOIN entity_mentions m ON m.entity_id = e.id
		WHERE e.merged_into = 0`+cond+` GROUP BY e.id, e.key, e.name, e.type ORDER BY n DESC, e.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("top entities: %w", err)
	}
	defer rows.Close()
	var out []store.EntityCount
	for rows.Next() {
		e := &model.Entity{}
		var n int
		if err := rows.Scan(&e.ID, &e.Key, &e.Name, &e.Type, &n); err != nil {
			return nil, fmt.Errorf("top entities: %w", err)
		}
		out = append(out, store.EntityCount{Entity: e, Articles: n})
	}
	return out, rows.Err()
}

// ArticleMentions implements store.Store.
func (db *DB) ArticleMentions(ctx context.Context, articleID string) ([]store.Mention, error) {
	rows, err := db.query(ctx, `SELECT COALESCE(NULLIF(e.merged_into, 0), e.id), m.name, e.type, m.start_rune, m.end_rune
		FROM entity_mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start_rune, m.ord`, articleID)
	if err != nil {
		return nil, fmt.Errorf("article mentions: %w", err)
	}
	defer rows.Close()
	var out []store.Mention
	for rows.Next() {
		var m store.Mention
		if err := rows.Scan(&m.Entity, &m.Name, &m.Type, &m.Start, &m.End); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
