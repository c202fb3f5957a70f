-- What comparing a stored candidate needs besides its sentences (source,
-- language, publication time, fingerprint) kept with its features, so
-- the linker reads one row of one table per candidate instead of joining
-- the article's row too; existing rows are filled from their articles.
ALTER TABLE article_features ADD COLUMN source TEXT;
ALTER TABLE article_features ADD COLUMN language TEXT;
ALTER TABLE article_features ADD COLUMN published TEXT;
ALTER TABLE article_features ADD COLUMN fingerprint TEXT;
UPDATE article_features SET
	source = (SELECT a.source FROM articles a WHERE a.id = article_features.article_id),
	language = (SELECT a.language FROM articles a WHERE a.id = article_features.article_id),
	published = (SELECT a.published FROM articles a WHERE a.id = article_features.article_id),
	fingerprint = (SELECT a.fingerprint FROM articles a WHERE a.id = article_features.article_id);
