-- Feed items handed to the work queue (outcome 'queued') by their page's
-- URL: the linker copies each page's outcome back to them when it has
-- written the page.
CREATE INDEX feed_items_queued ON feed_items (url) WHERE outcome = 'queued';
