ALTER TABLE articles ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN lineage TEXT NOT NULL DEFAULT '';
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE INDEX articles_lineage ON articles (lineage);

-- Locality-sensitive hash bands: articles sharing a band are compared.
-- published is copied here so that candidate lookup scans only a time
-- window of each bucket (copies appear within days of their origin).
CREATE TABLE lsh (
	band       INTEGER NOT NULL,
	hash       INTEGER NOT NULL,
	published  TEXT,
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX lsh_bucket ON lsh (band, hash, published, article_id);
CREATE INDEX lsh_article ON lsh (article_id);

-- Copy links. One row per pair (a_id < b_id); from_id is the origin when
-- directed, else a_id.
CREATE TABLE derivations (
	a_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	b_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	from_id    TEXT NOT NULL,
	to_id      TEXT NOT NULL,
	kind       TEXT NOT NULL,
	score      REAL NOT NULL,
	directed   INTEGER NOT NULL DEFAULT 0,
	override   INTEGER NOT NULL DEFAULT 0,
	evidence   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (a_id, b_id)
);
CREATE INDEX derivations_b ON derivations (b_id);

-- Analysts' decisions on pairs, respected by every later run.
CREATE TABLE lineage_overrides (
	a_id    TEXT NOT NULL,
	b_id    TEXT NOT NULL,
	verdict TEXT NOT NULL,
	origin  TEXT NOT NULL DEFAULT '',
	who     TEXT NOT NULL DEFAULT '',
	why     TEXT NOT NULL DEFAULT '',
	at      TEXT NOT NULL,
	PRIMARY KEY (a_id, b_id)
);
