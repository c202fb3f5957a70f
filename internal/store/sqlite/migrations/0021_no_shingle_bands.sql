-- Bands 0-15, a MinHash of word 3-shingles, are no longer written or
-- looked up (internal/lineage, Signature): every copy they found shared a
-- long sentence or an anchor band too. They were a third of the rows.
DELETE FROM lsh WHERE band < 16;
