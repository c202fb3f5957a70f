// Package lineage finds copies among articles and who copied whom.
//
// Wire copy republished by forty outlets is one source, not forty. A spun
// rewrite keeps its source's names, numbers and sentence order; a
// translation keeps its names and numbers; a tabloid built around three
// wire paragraphs reuses passages. This package detects each of these
// between a new article and the stored ones:
//
//   - exact duplicates by a fingerprint of the normalised text;
//   - candidates by MinHash signatures of word shingles and of "anchors"
//     (names and numbers), banded for locality-sensitive hashing, with the
//     bands stored so that adding an article costs a lookup, not a rescan;
//   - verification by a monotonic sentence alignment that scores shared
//     content words and anchors (anchors alone across languages);
//   - the kind (duplicate, near-duplicate, rewrite, translation, partial)
//     from how much of each text the alignment covers and how exact it is;
//   - the direction from credit lines and datelines, publication time and
//     containment, or "unknown" when they are missing or disagree.
//
// Every decision carries its evidence: scores, the rule that decided, and
// the aligned passages with offsets in both texts.
package lineage
