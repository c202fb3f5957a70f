-- The LSH table is the linker's busiest write: 48 rows per article. Each
-- row was checked against articles (a foreign key) and kept in two
-- indexes besides the table; only the bucket index is ever read. Rows are
-- written in their article's own transaction and articles are never
-- deleted, so the foreign key and the article index guarded nothing the
-- writer does not already ensure. The table is rebuilt without them
-- (SQLite cannot drop a foreign key in place).
CREATE TABLE lsh_lean (
	band       INTEGER NOT NULL,
	hash       INTEGER NOT NULL,
	published  TEXT,
	article_id TEXT NOT NULL
);
INSERT INTO lsh_lean (band, hash, published, article_id) SELECT band, hash, published, article_id FROM lsh;
DROP TABLE lsh;
ALTER TABLE lsh_lean RENAME TO lsh;
CREATE UNIQUE INDEX lsh_bucket ON lsh (band, hash, published DESC, article_id);
