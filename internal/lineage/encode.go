package lineage

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// featuresVersion starts every encoding; a stored row of another version
// is ignored and the candidate is prepared from its text.
const featuresVersion = 1

// Encode returns what Compare needs of p, for storing with its article
// (store.ArticleWrite.Features): the sentences with their word sets, the
// text's length, and the names it credits. A stored candidate decoded
// from it compares exactly as one prepared from its text.
//
// Layout (uvarints unless said): version byte; text runes; credits
// count, then each as length and bytes; sentence count, then per
// sentence start, runes, quoted byte, names, the key as 8 bytes little
// endian, and the sets content, anchors, xanchors, nums, specific, each
// as a count and 8 bytes per hash.
func (p *Prepared) Encode() []byte {
	d := p.doc
	b := make([]byte, 0, 64+len(d.sentences)*64)
	b = append(b, featuresVersion)
	b = binary.AppendUvarint(b, uint64(d.runes))
	credits := p.credited()
	b = binary.AppendUvarint(b, uint64(len(credits)))
	for _, c := range credits {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = binary.AppendUvarint(b, uint64(len(d.sentences)))
	for i := range d.sentences {
		s := &d.sentences[i]
		b = binary.AppendUvarint(b, uint64(s.start))
		b = binary.AppendUvarint(b, uint64(s.runes))
		q := byte(0)
		if s.quoted {
			q = 1
		}
		b = append(b, q)
		b = binary.AppendUvarint(b, uint64(s.names))
		b = binary.LittleEndian.AppendUint64(b, s.key)
		for _, set := range []set{s.content, s.anchors, s.xanchors, s.nums, s.specific} {
			b = binary.AppendUvarint(b, uint64(len(set)))
			for _, h := range set {
				b = binary.LittleEndian.AppendUint64(b, h)
			}
		}
	}
	return b
}

// errShort is a decoding that ran out of bytes.
var errShort = errors.New("truncated")

// decoder reads an encoding, keeping the first error.
type decoder struct {
	b       []byte
	err     error
	scratch [binary.MaxVarintLen64]byte
}

func (d *decoder) uvarint(max uint64) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	if n != len(binary.AppendUvarint(d.scratch[:0], v)) {
		d.err = errors.New("varint not in its shortest form")
		return 0
	}
	d.b = d.b[n:]
	if v > max {
		d.err = fmt.Errorf("value %d over %d", v, max)
		return 0
	}
	return int(v)
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.err = errShort
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

// hashes reads a set, which must be sorted without repeats.
func (d *decoder) hashes() set {
	n := d.uvarint(uint64(len(d.b) / 8))
	raw := d.bytes(8 * n)
	if d.err != nil || n == 0 {
		return nil
	}
	out := make(set, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(raw[8*i:])
		if i > 0 && out[i] <= out[i-1] {
			d.err = errors.New("set not sorted")
			return nil
		}
	}
	return out
}

// maxRunes bounds the offsets an encoding may hold (ingest caps texts far
// below).
const maxRunes = 1 << 30

// decodeFeatures rebuilds the Prepared of a stored candidate from its
// encoding. Its Article holds the fields Compare reads: ID, source,
// language and publication time.
func decodeFeatures(c store.CandidateFeatures) (*Prepared, error) {
	if len(c.Features) == 0 {
		return nil, errors.New("no features")
	}
	if c.Features[0] != featuresVersion {
		return nil, fmt.Errorf("features version %d, not %d", c.Features[0], featuresVersion)
	}
	d := &decoder{b: c.Features[1:]}
	doc := &doc{runes: d.uvarint(maxRunes)}
	var credits []string
	for n := d.uvarint(uint64(len(d.b))); n > 0 && d.err == nil; n-- {
		credits = append(credits, string(d.bytes(d.uvarint(uint64(len(d.b))))))
	}
	// A sentence takes 14 bytes at least.
	n := d.uvarint(uint64(len(d.b) / 14))
	if d.err == nil && n > 0 {
		doc.sentences = make([]sentence, 0, n)
	}
	for ; n > 0 && d.err == nil; n-- {
		var s sentence
		s.start = d.uvarint(maxRunes)
		s.runes = d.uvarint(maxRunes)
		s.end = s.start + s.runes
		switch q := d.bytes(1); {
		case d.err != nil:
		case q[0] > 1:
			d.err = fmt.Errorf("quoted flag %d", q[0])
		default:
			s.quoted = q[0] == 1
		}
		s.names = d.uvarint(maxRunes)
		if k := d.bytes(8); d.err == nil {
			s.key = binary.LittleEndian.Uint64(k)
		}
		s.content, s.anchors, s.xanchors, s.nums, s.specific = d.hashes(), d.hashes(), d.hashes(), d.hashes(), d.hashes()
		doc.contentWords += len(s.content)
		doc.sentences = append(doc.sentences, s)
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("%d bytes left over", len(d.b))
	}
	if d.err != nil {
		return nil, fmt.Errorf("features of %s: %w", c.ID, d.err)
	}
	p := &Prepared{
		Article:     &model.Article{ID: c.ID, Source: c.Source, Language: c.Language, Published: c.Published},
		Fingerprint: c.Fingerprint,
		doc:         doc,
		credited:    func() []string { return credits },
	}
	p.prose = prose(doc)
	return p, nil
}

// carryVersion starts Features.MarshalBinary's encoding.
const carryVersion = 1

// MarshalBinary encodes f for another process that links the same
// article (a queue worker prepares, the linker links): the text's
// fingerprint, the LSH bands and the encoded features. Rebuilding them
// with UnmarshalFeatures costs a fraction of FeaturesOf, whose credit
// scan, shingling and stemming then run on the parsing worker instead of
// the single linker.
//
// Layout: version byte; fingerprint as length and bytes; band count,
// then per band its number (uvarint) and hash (8 bytes little endian);
// the rest is Encoded.
func (f Features) MarshalBinary() ([]byte, error) {
	if f.Prepared == nil {
		return nil, errors.New("carried features: nothing prepared")
	}
	enc := f.Encoded
	if enc == nil {
		enc = f.Prepared.Encode()
	}
	fp := f.Prepared.Fingerprint
	b := make([]byte, 0, 16+len(fp)+len(f.Bands)*10+len(enc))
	b = append(b, carryVersion)
	b = binary.AppendUvarint(b, uint64(len(fp)))
	b = append(b, fp...)
	b = binary.AppendUvarint(b, uint64(len(f.Bands)))
	for _, band := range f.Bands {
		b = binary.AppendUvarint(b, uint64(band.Band))
		b = binary.LittleEndian.AppendUint64(b, uint64(band.Hash))
	}
	return append(b, enc...), nil
}

// UnmarshalFeatures rebuilds the Features that MarshalBinary encoded
// for a, the same article (same text) as the one they were made of.
func UnmarshalFeatures(a *model.Article, data []byte) (Features, error) {
	if len(data) == 0 || data[0] != carryVersion {
		return Features{}, errors.New("carried features: unknown version")
	}
	d := &decoder{b: data[1:]}
	fp := string(d.bytes(d.uvarint(uint64(len(d.b)))))
	// A band takes 9 bytes at least.
	n := d.uvarint(uint64(len(d.b) / 9))
	var bands []model.Band
	if d.err == nil && n > 0 {
		bands = make([]model.Band, 0, n)
	}
	for ; n > 0 && d.err == nil; n-- {
		num := d.uvarint(1 << 20)
		if h := d.bytes(8); d.err == nil {
			bands = append(bands, model.Band{Band: num, Hash: int64(binary.LittleEndian.Uint64(h))})
		}
	}
	if d.err != nil {
		return Features{}, fmt.Errorf("carried features: %w", d.err)
	}
	enc := d.b
	p, err := decodeFeatures(store.CandidateFeatures{ID: a.ID, Source: a.Source, Language: a.Language, Published: a.Published,
		Fingerprint: fp, Features: enc})
	if err != nil {
		return Features{}, fmt.Errorf("carried features: %w", err)
	}
	p.Article = a
	return Features{Prepared: p, Bands: bands, Encoded: enc}, nil
}
