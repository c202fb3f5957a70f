package lineage

import (
	"encoding/binary"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/words"
	"hash/fnv"
	"strings"
	"unicode"
)

// Band numbering: what each band range hashes. Bands 0–15 held a MinHash
// of word 3-shingles (4 rows a band) until 2026-11-24: every copy they
// found shared a long sentence or an anchor band too (docs/lineage.md),
// and they were a third of the rows stored per article. They are no
// longer written or looked up (migrations deleted the stored ones).
const (
	anchorFirst     = 16 // the first anchor band's number
	anchorBands     = 32 // MinHash of names and numbers, 2 rows a band: rewrites, translations
	anchorRows      = 2
	sentenceBand    = 100 // exact hashes of long sentences: reused passages, near duplicates
	maxSentenceRows = 40
)

// Signature returns the article's LSH bands. They depend only on its text,
// so they are computed once and stored; a new article's candidates are the
// stored articles sharing any band.
func Signature(p *Prepared) []model.Band {
	var out []model.Band
	var anchors []uint64
	for _, s := range p.doc.sentences {
		anchors = append(anchors, s.anchors...)
	}
	out = append(out, bands(minhash(setOf(anchors), anchorBands*anchorRows), anchorFirst, anchorRows)...)
	n := 0
	for _, s := range p.doc.sentences {
		if s.quoted || len(s.content) < 6 || n >= maxSentenceRows {
			continue
		}
		out = append(out, model.Band{Band: sentenceBand, Hash: int64(s.key)})
		n++
	}
	return out
}

func tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// hash64 is the 64-bit FNV-1a hash of s (as hash/fnv computes it,
// without its allocations): stored bands are made of it.
func hash64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix is splitmix64's finaliser: a cheap, well-spread permutation, so
// MinHash function i is mix(x ^ seed_i). Stable across processes, which
// stored bands need.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func minhash(set []uint64, k int) []uint64 {
	if len(set) == 0 {
		return nil
	}
	sig := make([]uint64, k)
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, x := range set {
		for i := range sig {
			if v := mix(x ^ (uint64(i+1) * 0x9e3779b97f4a7c15)); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

func bands(sig []uint64, first, rows int) []model.Band {
	var out []model.Band
	buf := make([]byte, 8*rows)
	for b := 0; b+rows <= len(sig); b += rows {
		for r := 0; r < rows; r++ {
			binary.LittleEndian.PutUint64(buf[8*r:], sig[b+r])
		}
		h := fnv.New64a()
		h.Write(buf)
		out = append(out, model.Band{Band: first + b/rows, Hash: int64(h.Sum64())})
	}
	return out
}

// ShingleJaccard is the Jaccard similarity of two texts' word 3-shingle
// sets: what MinHash estimates, and all that MinHash-only deduplication
// sees. Used as the baseline in `crosscheck eval lineage`.
func ShingleJaccard(a, b string) float64 {
	set := func(text string) map[string]bool {
		w := tokens(text)
		m := map[string]bool{}
		for i := 0; i+3 <= len(w); i++ {
			m[w[i]+" "+w[i+1]+" "+w[i+2]] = true
		}
		return m
	}
	return words.Jaccard(set(a), set(b))
}
