-- The bucket index held every column of lsh, so the table itself was
-- never read: each row was written twice, once in rowid order and once
-- in bucket order, and half of the table's 588 MiB at 95,000 articles
-- was the unread copy. A WITHOUT ROWID table is its own bucket index.
-- Its key columns cannot be NULL, so an undated row's published is ''
-- (before any date in text order); the bucket query asks for '' where
-- PostgreSQL asks for NULL.
CREATE TABLE lsh_keyed (
	band       INTEGER NOT NULL,
	hash       INTEGER NOT NULL,
	published  TEXT NOT NULL,
	article_id TEXT NOT NULL,
	PRIMARY KEY (band, hash, published DESC, article_id)
) WITHOUT ROWID;
INSERT INTO lsh_keyed (band, hash, published, article_id)
	SELECT band, hash, COALESCE(published, '') AS p, article_id FROM lsh
	ORDER BY band, hash, p DESC, article_id;
DROP TABLE lsh;
ALTER TABLE lsh_keyed RENAME TO lsh;
