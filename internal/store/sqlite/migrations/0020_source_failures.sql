-- Consecutive failed polls of a source: the watcher waits longer after
-- each (twice the interval, then four times, up to a day), so a dead
-- feed is not fetched at full rate forever; a poll that works resets it.
ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
