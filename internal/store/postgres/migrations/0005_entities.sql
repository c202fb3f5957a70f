-- People, organisations and places (internal/entity). key is the resolved
-- identity (transliterations unified); name the first full spelling seen.
CREATE TABLE entities (
	id         BIGSERIAL PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	type       TEXT NOT NULL,
	-- An entity an analyst merged into another: its mentions moved there,
	-- and later mentions of its key follow.
	merged_into BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL
);

-- Every spelling an entity goes by; analyst = 1 for aliases an analyst
-- set, which later mentions of that spelling follow.
CREATE TABLE entity_aliases (
	alias     TEXT PRIMARY KEY,
	entity_id BIGINT NOT NULL,
	analyst   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);

CREATE TABLE entity_mentions (
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	ord        INTEGER NOT NULL,
	entity_id  BIGINT NOT NULL,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL DEFAULT '',
	start_rune INTEGER NOT NULL,
	end_rune   INTEGER NOT NULL,
	PRIMARY KEY (article_id, ord)
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
