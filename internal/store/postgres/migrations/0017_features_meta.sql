-- What comparing a stored candidate needs besides its sentences (source,
-- language, publication time, fingerprint) kept with its features, so
-- the linker reads one row of one table per candidate instead of joining
-- the article's row too; existing rows are filled from their articles.
ALTER TABLE article_features
	ADD COLUMN source TEXT,
	ADD COLUMN language TEXT,
	ADD COLUMN published TIMESTAMPTZ,
	ADD COLUMN fingerprint TEXT;
UPDATE article_features f SET source = a.source, language = a.language, published = a.published, fingerprint = a.fingerprint
	FROM articles a WHERE a.id = f.article_id;
