// Package sqldb implements store.Store over database/sql for both SQLite
// and PostgreSQL. The SQL is written once, with ? placeholders, in the
// common subset of the two dialects (ON CONFLICT, RETURNING, NULLS LAST);
// Dialect carries what differs. Schema changes are append-only numbered
// migrations applied by Migrate.
package sqldb
