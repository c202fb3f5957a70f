-- Renames of outlets and of watched sources, kept so that an analyst's
-- correction can be shown (and a running linker notices one that
-- changed no watched source). source_id is 0 for an outlet renamed as a
-- whole.
CREATE TABLE source_renames (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	from_name  TEXT NOT NULL,
	to_name    TEXT NOT NULL,
	source_id  INTEGER NOT NULL DEFAULT 0,
	moved      INTEGER NOT NULL,
	renamed_at TEXT NOT NULL
);
