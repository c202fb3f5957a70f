-- The parsed rows waiting for the linker, which workers count before
-- parsing more (queue.DefaultAhead): without this index the count read
-- every open row, queued ones included, whenever fewer were parsed.
CREATE INDEX inbox_parsed ON inbox (seq) WHERE state = 'parsed';
