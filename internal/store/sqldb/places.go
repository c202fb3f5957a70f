package sqldb

import (
	"context"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

const placeColumns = `article_id, start_rune, end_rune, text, place_id, geonames_id, name, lat, lon, country, admin1, precision`

// putPlaces stores an article's place mentions inside its transaction.
func putPlaces(ctx context.Context, tx *Tx, articleID string, ps []model.PlaceMention) error {
	rows := make([][]any, 0, len(ps))
	for i, p := range ps {
		rows = append(rows, []any{articleID, i, p.Start, p.End, p.Text, p.PlaceID, p.GeonamesID, p.Name, p.Lat, p.Lon, p.Country, p.Admin1, p.Precision})
	}
	if len(rows) == 0 {
		return nil
	}
	return insertRows(ctx, tx, `INSERT INTO place_mentions (article_id, ord, start_rune, end_rune, text, place_id, geonames_id, name, lat, lon, country, admin1, precision) VALUES `, rows)
}

func (db *DB) places(ctx context.Context, q string, args ...any) ([]model.PlaceMention, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	defer rows.Close()
	var out []model.PlaceMention
	for rows.Next() {
		var p model.PlaceMention
		if err := rows.Scan(&p.Article, &p.Start, &p.End, &p.Text, &p.PlaceID, &p.GeonamesID, &p.Name, &p.Lat, &p.Lon, &p.Country, &p.Admin1, &p.Precision); err != nil {
			return nil, fmt.Errorf("places: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ArticlePlaces implements store.Store.
func (db *DB) ArticlePlaces(ctx context.Context, articleID string) ([]model.PlaceMention, error) {
	return db.places(ctx, `SELECT `+placeColumns+` FROM place_mentions WHERE article_id = ? ORDER BY ord`, articleID)
}

// StoryPlaces implements store.Store.
func (db *DB) StoryPlaces(ctx context.Context, story int64) ([]model.PlaceMention, error) {
	return db.places(ctx, `SELECT p.article_id, p.start_rune, p.end_rune, p.text, p.place_id, p.geonames_id, p.name, p.lat, p.lon, p.country, p.admin1, p.precision
		FROM place_mentions p JOIN articles a ON a.id = p.article_id WHERE a.story = ? ORDER BY p.place_id, p.article_id, p.ord`, story)
}

// SourcePlaces implements store.Store.
func (db *DB) SourcePlaces(ctx context.Context, source string, n int) ([]model.PlaceMention, error) {
	// The limit is part of the text, not a parameter: SQLite re-plans a
	// statement whose subquery LIMIT is bound, on every execution.
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT DISTINCT article_id, place_id, country, admin1, precision FROM place_mentions
		WHERE article_id IN (SELECT id FROM articles WHERE source = ? ORDER BY ingested_at DESC, id DESC LIMIT %d)
		ORDER BY article_id, place_id`, max(n, 0)), source)
	if err != nil {
		return nil, fmt.Errorf("places of source %q: %w", source, err)
	}
	defer rows.Close()
	var out []model.PlaceMention
	for rows.Next() {
		var p model.PlaceMention
		if err := rows.Scan(&p.Article, &p.PlaceID, &p.Country, &p.Admin1, &p.Precision); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SourceLatest implements store.Store.
func (db *DB) SourceLatest(ctx context.Context, source string, n int) ([]string, error) {
	rows, err := db.query(ctx, fmt.Sprintf(`SELECT id FROM articles WHERE source = ? ORDER BY ingested_at DESC, id DESC LIMIT %d`, max(n, 0)), source)
	if err != nil {
		return nil, fmt.Errorf("latest articles of source %q: %w", source, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("latest articles of source %q: %w", source, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// EachPlaceMention implements store.Store. It pages by (place, article,
// ord) so no cursor stays open while fn runs.
func (db *DB) EachPlaceMention(ctx context.Context, fn func(model.PlaceMention) error) error {
	const page = 1000
	for off := 0; ; off += page {
		ps, err := db.places(ctx, `SELECT `+placeColumns+` FROM place_mentions ORDER BY place_id, article_id, ord LIMIT ? OFFSET ?`, page, off)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(ps) < page {
			return nil
		}
	}
}

// putDates stores an article's time expressions inside its transaction.
func putDates(ctx context.Context, tx *Tx, articleID string, ds []model.DateMention) error {
	rows := make([][]any, 0, len(ds))
	for i, d := range ds {
		rows = append(rows, []any{articleID, i, d.Start, d.End, d.Text, timeArg(d.Value), d.Precision})
	}
	if len(rows) == 0 {
		return nil
	}
	return insertRows(ctx, tx, `INSERT INTO date_mentions (article_id, ord, start_rune, end_rune, text, value, precision) VALUES `, rows)
}

func (db *DB) dates(ctx context.Context, q string, args ...any) ([]model.DateMention, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("dates: %w", err)
	}
	defer rows.Close()
	var out []model.DateMention
	for rows.Next() {
		var d model.DateMention
		var v nullTime
		if err := rows.Scan(&d.Article, &d.Start, &d.End, &d.Text, &v, &d.Precision); err != nil {
			return nil, fmt.Errorf("dates: %w", err)
		}
		d.Value = v.t
		out = append(out, d)
	}
	return out, rows.Err()
}

// ArticleDates implements store.Store.
func (db *DB) ArticleDates(ctx context.Context, articleID string) ([]model.DateMention, error) {
	return db.dates(ctx, `SELECT article_id, start_rune, end_rune, text, value, precision FROM date_mentions WHERE article_id = ? ORDER BY ord`, articleID)
}

// EachDateMention implements store.Store.
func (db *DB) EachDateMention(ctx context.Context, fn func(model.DateMention) error) error {
	const page = 1000
	for off := 0; ; off += page {
		ds, err := db.dates(ctx, `SELECT article_id, start_rune, end_rune, text, value, precision FROM date_mentions ORDER BY article_id, ord LIMIT ? OFFSET ?`, page, off)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(ds) < page {
			return nil
		}
	}
}
