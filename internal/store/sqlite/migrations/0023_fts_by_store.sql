-- New articles are put in the full-text index by the store (sqldb's
-- Tx.indexText), a batch's articles in one statement at its commit,
-- instead of by this trigger: the index writes out its pending terms at
-- every savepoint, and a batch stores each article in a savepoint of its
-- own, so the trigger made one index segment per article. The delete
-- and update triggers stay.
DROP TRIGGER IF EXISTS articles_fts_insert;
