-- A feed item whose page failed in a way that may pass (429, 5xx, a
-- timeout) is fetched again at later polls: attempts counts the
-- fetches, published keeps the feed's date for the page that has none,
-- and the partial index finds a source's items waiting for a retry.
ALTER TABLE feed_items ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feed_items ADD COLUMN published TIMESTAMPTZ;
CREATE INDEX feed_items_retry ON feed_items (source_id, seen_at) WHERE outcome = 'retry';
