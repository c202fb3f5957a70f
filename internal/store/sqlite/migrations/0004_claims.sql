-- Countable facts stated by articles (internal/claim). Rune offsets locate
-- the sentence in the article's text; low/high are NULL when unbounded.
CREATE TABLE claims (
	id          TEXT PRIMARY KEY,
	article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	ord         INTEGER NOT NULL,
	sentence    TEXT NOT NULL,
	start_rune  INTEGER NOT NULL,
	end_rune    INTEGER NOT NULL,
	quantity    TEXT NOT NULL,
	kind        TEXT NOT NULL,
	noun        TEXT NOT NULL DEFAULT '',
	value       DOUBLE PRECISION NOT NULL,
	low         DOUBLE PRECISION,
	high        DOUBLE PRECISION,
	place       TEXT NOT NULL DEFAULT '',
	happened    TEXT,
	attribution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claims_article ON claims (article_id, ord);
CREATE INDEX claims_kind ON claims (kind);
