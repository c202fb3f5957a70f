package sqldb

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Search implements store.Store.
func (db *DB) Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, int, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	// What users type may hold bytes no database takes.
	clean := func(s string) string { return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "") }
	q.Text, q.Source, q.Language, q.Place = clean(q.Text), clean(q.Source), clean(q.Language), clean(q.Place)
	var where []string
	var args []any
	var from, snippet, order string
	text := strings.TrimSpace(q.Text)
	must, not := ftsQuery(text)
	switch {
	case text != "" && db.dialect.postgres():
		from = `articles a, websearch_to_tsquery('simple', ?) query`
		args = append(args, text)
		where = append(where, `a.tsv @@ query`)
		snippet = `ts_headline('simple', a.text, query, 'StartSel=` + "\x02" + `, StopSel=` + "\x03" + `, MaxWords=35, MinWords=15, MaxFragments=1')`
		order = `ts_rank(a.tsv, query) DESC, a.published DESC NULLS LAST, a.id`
	case must != "":
		m := must
		for _, n := range not {
			m += " NOT " + n
		}
		from = `articles_fts f JOIN articles a ON a.rowid = f.rowid`
		where = append(where, `articles_fts MATCH ?`)
		args = append(args, m)
		snippet = `snippet(articles_fts, 1, char(2), char(3), '…', 24)`
		order = `bm25(articles_fts, 5.0, 1.0), a.published DESC NULLS LAST, a.id`
	default:
		from = `articles a`
		snippet = `substr(a.text, 1, 240)`
		order = `a.published DESC NULLS LAST, a.id`
		if len(not) > 0 && !db.dialect.postgres() { // only exclusions: everything else
			where = append(where, `a.rowid NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`)
			args = append(args, strings.Join(not, " OR "))
		}
	}
	if q.Source != "" {
		where, args = append(where, `a.source = ?`), append(args, q.Source)
	}
	if q.Language != "" {
		where, args = append(where, `a.language = ?`), append(args, q.Language)
	}
	if q.Story != 0 {
		where, args = append(where, `a.story = ?`), append(args, q.Story)
	}
	if q.Entity != 0 {
		where, args = append(where, `EXISTS (SELECT 1 FROM entity_mentions m WHERE m.article_id = a.id AND m.entity_id = ?)`), append(args, q.Entity)
	}
	if q.Place != "" {
		where = append(where, `EXISTS (SELECT 1 FROM place_mentions p WHERE p.article_id = a.id AND (p.place_id = ? OR lower(p.name) = lower(?)))`)
		args = append(args, q.Place, q.Place)
	}
	if q.From != nil {
		d := q.From.UTC().Truncate(24 * 60 * 60 * 1e9)
		where, args = append(where, `a.published >= ?`), append(args, timeArg(&d))
	}
	if q.To != nil {
		d := q.To.UTC().Truncate(24*60*60*1e9).AddDate(0, 0, 1)
		where, args = append(where, `a.published < ?`), append(args, timeArg(&d))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM `+from+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	cols := "a." + strings.ReplaceAll(articleColumns, ", ", ", a.")
	rows, err := db.query(ctx, `SELECT `+cols+`, `+snippet+` FROM `+from+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []store.SearchHit
	for rows.Next() {
		var h store.SearchHit
		a, err := scanArticle(rows, &h.Snippet)
		if err != nil {
			return nil, 0, fmt.Errorf("search: %w", err)
		}
		h.Article = a
		out = append(out, h)
	}
	return out, total, rows.Err()
}

// ftsQuery turns what a user types into FTS5 strings that cannot be a
// syntax error: words and "phrases" quoted, all required (must), and
// -words to exclude (not).
func ftsQuery(s string) (must string, not []string) {
	var musts []string
	quote := func(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }
	rs := []rune(s)
	for i := 0; i < len(rs); {
		switch {
		case unicode.IsSpace(rs[i]):
			i++
		case rs[i] == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if p := strings.TrimSpace(string(rs[i+1 : j])); p != "" && hasWordChar(p) {
				musts = append(musts, quote(p))
			}
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			i = j
			neg := strings.HasPrefix(w, "-") && len(w) > 1
			w = strings.TrimPrefix(w, "-")
			if !hasWordChar(w) {
				continue
			}
			if neg {
				not = append(not, quote(w))
			} else {
				musts = append(musts, quote(w))
			}
		}
	}
	return strings.Join(musts, " "), not
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
