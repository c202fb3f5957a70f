-- A bucket's most recent rows first: candidate lookup reads at most a
-- fixed number of rows per bucket, newest first within the time window,
-- and with the index in that order it stops there instead of reading the
-- whole bucket and sorting it (a bucket grows with the store).
DROP INDEX lsh_bucket;
CREATE UNIQUE INDEX lsh_bucket ON lsh (band, hash, published DESC, article_id);

-- A source's latest articles (the places it mentioned lately set the
-- context for resolving an ambiguous place name): read from the index
-- instead of every article of the source, sorted. It serves lookups by
-- source alone too.
CREATE INDEX articles_source_recent ON articles (source, ingested_at DESC, id DESC);
DROP INDEX articles_source;
