-- Sources: the feeds crosscheck watches, and the items it has seen in
-- them, so that a restarted watch fetches nothing twice.
ALTER TABLE articles ADD COLUMN fetched_at TIMESTAMPTZ;

CREATE TABLE sources (
	id            BIGSERIAL PRIMARY KEY,
	name          TEXT NOT NULL,
	feed_url      TEXT NOT NULL UNIQUE,
	home          TEXT NOT NULL DEFAULT '',
	language      TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL DEFAULT '',
	category      TEXT NOT NULL DEFAULT '',
	every_seconds INTEGER NOT NULL DEFAULT 1800,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	next_poll     TIMESTAMPTZ,
	last_poll     TIMESTAMPTZ,
	last_error    TEXT NOT NULL DEFAULT '',
	added_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sources_next_poll ON sources (next_poll);

CREATE TABLE feed_items (
	source_id  BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	guid       TEXT NOT NULL,
	url        TEXT NOT NULL,
	seen_at    TIMESTAMPTZ NOT NULL,
	outcome    TEXT NOT NULL DEFAULT '',
	article_id TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (source_id, guid)
);
