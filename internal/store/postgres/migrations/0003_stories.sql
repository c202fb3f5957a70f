-- Stories: articles grouped by event. An article's story is articles.story
-- (0 until clustered); story IDs are never reused or renumbered.
ALTER TABLE articles ADD COLUMN story BIGINT NOT NULL DEFAULT 0;
CREATE INDEX articles_story ON articles (story);

CREATE TABLE stories (
	id          BIGSERIAL PRIMARY KEY,
	first_seen  TIMESTAMPTZ,
	last_seen   TIMESTAMPTZ,
	-- Span of the members' publication dates only: the time filter of
	-- candidate lookup (undated members do not widen it).
	first_dated TIMESTAMPTZ,
	last_dated  TIMESTAMPTZ,
	articles    INTEGER NOT NULL DEFAULT 0,
	-- Squared length of the centroid (story_terms), kept up to date so
	-- that scoring reads only the terms a new article has.
	norm2       DOUBLE PRECISION NOT NULL DEFAULT 0,
	-- The same over the terms other languages can share (all but the
	-- "zh:" words): a report in another language is scored against it.
	shared2     DOUBLE PRECISION NOT NULL DEFAULT 0,
	merged_into BIGINT NOT NULL DEFAULT 0,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen);

-- The story's centroid: the sum of its members' unit term vectors. The
-- term index is the inverted index candidate lookup reads.
CREATE TABLE story_terms (
	story_id BIGINT NOT NULL,
	term     TEXT NOT NULL,
	weight   DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (story_id, term)
);
CREATE INDEX story_terms_term ON story_terms (term, story_id);

-- Document frequencies of terms over clustered articles; the row with the
-- empty term counts the articles.
CREATE TABLE term_df (
	term TEXT PRIMARY KEY,
	df   INTEGER NOT NULL
);

-- Why each article is in its story, with the vector it added.
CREATE TABLE story_assignments (
	article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	via        TEXT NOT NULL,
	score      DOUBLE PRECISION NOT NULL DEFAULT 0,
	evidence   TEXT NOT NULL DEFAULT '{}',
	vector     TEXT NOT NULL DEFAULT '{}',
	pinned     INTEGER NOT NULL DEFAULT 0
);

-- Other stories an article touches (digests, live blogs).
CREATE TABLE story_mentions (
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	story_id   BIGINT NOT NULL,
	score      DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (article_id, story_id)
);
CREATE INDEX story_mentions_story ON story_mentions (story_id);

-- Analysts' moves, merges and splits, in order.
CREATE TABLE story_corrections (
	id       BIGSERIAL PRIMARY KEY,
	action   TEXT NOT NULL,
	story_id BIGINT NOT NULL,
	other_id BIGINT NOT NULL DEFAULT 0,
	articles TEXT NOT NULL DEFAULT '[]',
	who      TEXT NOT NULL DEFAULT '',
	why      TEXT NOT NULL DEFAULT '',
	at       TIMESTAMPTZ NOT NULL
);
