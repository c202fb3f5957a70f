-- A story's latest articles first: the names a new report is resolved
-- against come from the story's most recent articles (a fixed number),
-- read from the index instead of every article of the story, sorted. It
-- serves lookups by story alone too.
CREATE INDEX articles_story_recent ON articles (story, ingested_at DESC, id DESC);
DROP INDEX articles_story;
