-- The LSH table is the linker's busiest write: 48 rows per article. Each
-- row's foreign key check locked its article row, which the same
-- transaction then updates (a multixact per article), and the article
-- index was kept up to date for no reader: only the bucket index is ever
-- read. Rows are written in their article's own transaction and articles
-- are never deleted, so both go.
ALTER TABLE lsh DROP CONSTRAINT lsh_article_id_fkey;
DROP INDEX lsh_article;
