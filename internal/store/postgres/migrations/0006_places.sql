-- Places named in articles, resolved to the embedded gazetteer
-- (internal/geo). The place columns are copied so that exports and maps
-- need no gazetteer.
CREATE TABLE place_mentions (
	article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	ord         INTEGER NOT NULL,
	start_rune  INTEGER NOT NULL,
	end_rune    INTEGER NOT NULL,
	text        TEXT NOT NULL,
	place_id    TEXT NOT NULL,
	geonames_id BIGINT NOT NULL DEFAULT 0,
	name        TEXT NOT NULL,
	lat         DOUBLE PRECISION NOT NULL,
	lon         DOUBLE PRECISION NOT NULL,
	country     TEXT NOT NULL DEFAULT '',
	admin1      TEXT NOT NULL DEFAULT '',
	precision   TEXT NOT NULL,
	PRIMARY KEY (article_id, ord)
);
CREATE INDEX place_mentions_place ON place_mentions (place_id);
