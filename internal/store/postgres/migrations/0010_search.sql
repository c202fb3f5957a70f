-- Full-text search over articles: a generated tsvector (title weighted
-- above text; the 'simple' configuration, since articles come in many
-- languages) with a GIN index.
ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS
	(setweight(to_tsvector('simple', coalesce(title, '')), 'A') || setweight(to_tsvector('simple', coalesce(text, '')), 'B')) STORED;
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
