// Package ingest reads inputs (files, directories, globs; HTML, plain text
// and JSONL, optionally gzipped), extracts clean articles from them and
// stores them. Bad inputs are rejected one by one, with a reason naming
// the input, recorded in the store, and never stop the rest of a batch.
package ingest
