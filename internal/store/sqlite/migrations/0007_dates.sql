-- Time expressions in articles (internal/dates), resolved against the
-- publication date; value is NULL when unresolved.
CREATE TABLE date_mentions (
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	ord        INTEGER NOT NULL,
	start_rune INTEGER NOT NULL,
	end_rune   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	value      TEXT,
	precision  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, ord)
);
