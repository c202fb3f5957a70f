package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

const claimColumns = `c.id, c.article_id, c.sentence, c.start_rune, c.end_rune, c.quantity, c.kind, c.noun, c.value, c.low, c.high, c.place, c.happened, c.attribution`

// putClaims stores an article's claims inside its transaction.
func putClaims(ctx context.Context, tx *Tx, articleID string, cs []model.Claim) error {
	rows := make([][]any, 0, len(cs))
	for i, c := range cs {
		rows = append(rows, []any{c.ID, articleID, i, c.Sentence, c.Start, c.End, c.Quantity, c.Kind, c.Noun, c.Value,
			floatArg(c.Low), floatArg(c.High), c.Place, timeArg(c.When), c.Attribution})
	}
	if len(rows) == 0 {
		return nil
	}
	return insertRows(ctx, tx, `INSERT INTO claims (id, article_id, ord, sentence, start_rune, end_rune, quantity, kind, noun, value, low, high, place, happened, attribution) VALUES `, rows)
}

func floatArg(x *float64) any {
	if x == nil {
		return nil
	}
	return *x
}

func scanClaim(rows *sql.Rows) (model.Claim, error) {
	var c model.Claim
	var low, high sql.NullFloat64
	var happened nullTime
	if err := rows.Scan(&c.ID, &c.Article, &c.Sentence, &c.Start, &c.End, &c.Quantity, &c.Kind, &c.Noun, &c.Value,
		&low, &high, &c.Place, &happened, &c.Attribution); err != nil {
		return c, err
	}
	if low.Valid {
		c.Low = &low.Float64
	}
	if high.Valid {
		c.High = &high.Float64
	}
	c.When = happened.t
	return c, nil
}

func (db *DB) claims(ctx context.Context, q string, args ...any) ([]model.Claim, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	defer rows.Close()
	var out []model.Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, fmt.Errorf("claims: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// StoryClaims implements store.Store.
func (db *DB) StoryClaims(ctx context.Context, story int64) ([]model.Claim, error) {
	return db.claims(ctx, `SELECT `+claimColumns+` FROM claims c JOIN articles a ON a.id = c.article_id
		WHERE a.story = ? ORDER BY c.article_id, c.ord`, story)
}

// ArticleClaims implements store.Store.
func (db *DB) ArticleClaims(ctx context.Context, articleID string) ([]model.Claim, error) {
	return db.claims(ctx, `SELECT `+claimColumns+` FROM claims c WHERE c.article_id = ? ORDER BY c.ord`, articleID)
}

// EachClaim implements store.Store. It pages so no cursor stays open
// while fn runs.
func (db *DB) EachClaim(ctx context.Context, fn func(model.Claim) error) error {
	const page = 1000
	after := ""
	for {
		cs, err := db.claims(ctx, `SELECT `+claimColumns+` FROM claims c WHERE c.id > ? ORDER BY c.id LIMIT ?`, after, page)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(cs) < page {
			return nil
		}
		after = cs[len(cs)-1].ID
	}
}

// PutClaimOverride implements store.Store.
func (db *DB) PutClaimOverride(ctx context.Context, o model.ClaimOverride) error {
	var err error
	if o.Status == "" {
		_, err = db.exec(ctx, `DELETE FROM claim_overrides WHERE story = ? AND group_id = ?`, o.Story, o.Group)
	} else {
		at := o.At
		if at.IsZero() {
			at = time.Now().UTC()
		}
		_, err = db.exec(ctx, `INSERT INTO claim_overrides (story, group_id, status, who, why, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (story, group_id) DO UPDATE SET status = excluded.status, who = excluded.who, why = excluded.why, at = excluded.at`,
			o.Story, o.Group, o.Status, o.Who, o.Why, timeArg(&at))
	}
	if err != nil {
		return fmt.Errorf("claim override %d/%s: %w", o.Story, o.Group, err)
	}
	return nil
}

// ClaimOverrides implements store.Store.
func (db *DB) ClaimOverrides(ctx context.Context, story int64) ([]model.ClaimOverride, error) {
	rows, err := db.query(ctx, `SELECT story, group_id, status, who, why, at FROM claim_overrides WHERE story = ? ORDER BY group_id`, story)
	if err != nil {
		return nil, fmt.Errorf("claim overrides: %w", err)
	}
	defer rows.Close()
	var out []model.ClaimOverride
	for rows.Next() {
		var o model.ClaimOverride
		var at nullTime
		if err := rows.Scan(&o.Story, &o.Group, &o.Status, &o.Who, &o.Why, &at); err != nil {
			return nil, err
		}
		if at.t != nil {
			o.At = *at.t
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
