// Package eval holds the accuracy metrics crosscheck reports with
// `crosscheck eval`: shingle precision/recall for text extraction (the
// Scrapinghub article-extraction benchmark's metric), and later B-cubed,
// ARI and Acc@161.
package eval
