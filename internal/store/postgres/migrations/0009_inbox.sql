-- The work queue's inbox (internal/queue): inputs waiting to be parsed by
-- any worker and then written, in seq order, by the one linker. River's
-- own tables (river_job…) are created by River's migrator.
CREATE TABLE inbox (
	seq         BIGSERIAL PRIMARY KEY,
	input       TEXT NOT NULL,
	state       TEXT NOT NULL DEFAULT 'queued', -- queued, parsed, done
	item        BYTEA,                          -- ingest.Item as JSON, unparsed
	parsed      BYTEA,                          -- the same, parsed
	outcome     TEXT NOT NULL DEFAULT '',
	article_id  TEXT NOT NULL DEFAULT '',
	enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	done_at     TIMESTAMPTZ
);
CREATE INDEX inbox_open ON inbox (seq) WHERE state <> 'done';
