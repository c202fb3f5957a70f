-- Two more tables whose rows were written twice: once in rowid order,
-- which nothing reads, and once in their primary key's index, which is
-- how they are read. As WITHOUT ROWID tables each is its own key index
-- (as lsh became in migration 17): a source's repeated lines (about 8
-- rows an article), and a story's term weights (rewritten as stories
-- grow; their term index now points at the key instead of a rowid).
CREATE TABLE source_lines_keyed (
	source     TEXT NOT NULL,
	hash       INTEGER NOT NULL,
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	PRIMARY KEY (source, hash, article_id)
) WITHOUT ROWID;
INSERT INTO source_lines_keyed (source, hash, article_id)
	SELECT source, hash, article_id FROM source_lines ORDER BY source, hash, article_id;
DROP TABLE source_lines;
ALTER TABLE source_lines_keyed RENAME TO source_lines;

CREATE TABLE story_terms_keyed (
	story_id INTEGER NOT NULL,
	term     TEXT NOT NULL,
	weight   DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (story_id, term)
) WITHOUT ROWID;
INSERT INTO story_terms_keyed (story_id, term, weight)
	SELECT story_id, term, weight FROM story_terms ORDER BY story_id, term;
DROP TABLE story_terms;
ALTER TABLE story_terms_keyed RENAME TO story_terms;
CREATE INDEX story_terms_term ON story_terms (term, story_id);
