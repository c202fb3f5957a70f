CREATE TABLE articles (
	id          TEXT PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	source      TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	path        TEXT NOT NULL DEFAULT '',
	format      TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL DEFAULT '',
	author      TEXT NOT NULL DEFAULT '',
	site        TEXT NOT NULL DEFAULT '',
	published   TEXT,
	language    TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL,
	removed     TEXT NOT NULL DEFAULT '[]',
	ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published DESC);
CREATE INDEX articles_source ON articles (source);

CREATE TABLE source_lines (
	source     TEXT NOT NULL,
	hash       INTEGER NOT NULL,
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	PRIMARY KEY (source, hash, article_id)
);

CREATE TABLE rejections (
	input  TEXT PRIMARY KEY,
	reason TEXT NOT NULL,
	at     TEXT NOT NULL,
	times  INTEGER NOT NULL DEFAULT 1
);
