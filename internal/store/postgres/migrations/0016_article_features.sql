-- Each article's sentence features for copy linking (lineage.Prepared,
-- encoded by the lineage package): a stored candidate is compared without
-- reading its text and splitting it into sentences again. No foreign key,
-- as for lsh: a row is written only with its article, in the same
-- transaction, and articles are never deleted. Articles stored before
-- this table have no row and are prepared from their text.
CREATE TABLE article_features (
	article_id TEXT PRIMARY KEY,
	data       BYTEA NOT NULL
);
