-- Analysts' verdicts on claim groups' statuses, by story and group ID.
CREATE TABLE claim_overrides (
	story    INTEGER NOT NULL,
	group_id TEXT NOT NULL,
	status   TEXT NOT NULL,
	who      TEXT NOT NULL DEFAULT '',
	why      TEXT NOT NULL DEFAULT '',
	at       TEXT NOT NULL,
	PRIMARY KEY (story, group_id)
);
