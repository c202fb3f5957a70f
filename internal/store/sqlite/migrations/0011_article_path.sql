-- Articles by input (a fetched URL, a file): watch asks which of a feed's
-- links it has stored already, so a restart does not fetch them again.
CREATE INDEX articles_path ON articles (path);
