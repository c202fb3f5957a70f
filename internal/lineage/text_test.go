package lineage

import (
	"hash/fnv"
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	text := "Mr. Smith arrived at 4.5 p.m. on Monday. He said: “We will stay.” Then he left!\nA new paragraph without end\nU.S. officials met J. Doe in the U.K. capital. The end"
	d := prepare(text)
	var got []string
	rs := []rune(text)
	for _, s := range d.sentences {
		got = append(got, string(rs[s.start:s.end]))
	}
	want := []string{
		"Mr. Smith arrived at 4.5 p.m. on Monday.",
		"He said: “We will stay.”",
		"Then he left!",
		"A new paragraph without end",
		"U.S. officials met J. Doe in the U.K. capital.",
		"The end",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences =\n%q\nwant\n%q", got, want)
	}
}

func TestNumbersAndAnchors(t *testing.T) {
	en := features([]rune("The vessel, the Agia Marina, was carrying 86 passengers and nine crew to Ayvalik, four miles away."), nil)
	nl := features([]rune("Het schip, de Agia Marina, had 86 passagiers en negen bemanningsleden aan boord naar Ayvalik, vier mijl verderop."), nil)
	for _, a := range []string{"agia", "marina", "86", "9", "ayvalik", "4"} {
		if !en.anchors.has(hash64(a)) || !nl.anchors.has(hash64(a)) {
			t.Errorf("anchor %q: en %v, nl %v", a, en.anchors.has(hash64(a)), nl.anchors.has(hash64(a)))
		}
	}
	if en.anchors.has(hash64("the")) || nl.anchors.has(hash64("het")) {
		t.Errorf("a capitalised function word counted as a name")
	}
	q := features([]rune(`“We are doing everything we can to find the missing, but the sea is very difficult,” Alexiou said.`), nil)
	// A capitalised first word is a name only if the text capitalises it
	// elsewhere too.
	d := prepare("Forecasters expect rain. Alexiou said it would pass. Later, Alexiou left.")
	if d.sentences[0].anchors.has(hash64("forecasters")) || !d.sentences[1].anchors.has(hash64("alexiou")) {
		t.Errorf("sentence-initial words: a name at the start, or none in the middle")
	}
	if !q.quoted {
		t.Errorf("a sentence that is mostly a quote is not marked quoted")
	}
}

func TestDatelineEnd(t *testing.T) {
	tests := map[string]string{
		"ATHENS (Pacifica Press) — Greek hospitals treated": " Greek hospitals treated",
		"LYMAN, Ukraine >> Russian troops left":             " Russian troops left",
		"MYTILENE (Meridian Wire) - Bij het kapseizen":      " Bij het kapseizen",
		"Greek hospitals — the busiest — treated":           "Greek hospitals — the busiest — treated",
		"No dateline here.":                                 "No dateline here.",
	}
	for in, want := range tests {
		rs := []rune(in)
		if got := string(rs[datelineEnd(rs):]); got != want {
			t.Errorf("after dateline of %q = %q; want %q", in, got, want)
		}
	}
}

func TestHash64IsFNV1a(t *testing.T) {
	for _, s := range []string{"", "a", "agia marina", "ünïcödé", "86"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := hash64(s), h.Sum64(); got != want {
			t.Errorf("hash64(%q) = %x; want %x (stored bands depend on it)", s, got, want)
		}
	}
}

func TestSet(t *testing.T) {
	a, b := setOf([]uint64{5, 1, 3, 3, 9}), setOf([]uint64{3, 4, 9, 10})
	if want := (set{1, 3, 5, 9}); !slices.Equal(a, want) {
		t.Fatalf("setOf = %v; want %v", a, want)
	}
	if got := a.shared(b); got != 2 {
		t.Errorf("shared = %d; want 2", got)
	}
	if got, want := a.union(b), (set{1, 3, 4, 5, 9, 10}); !slices.Equal(got, want) {
		t.Errorf("union = %v; want %v", got, want)
	}
	if got := a.union(nil); !slices.Equal(got, a) {
		t.Errorf("union with empty = %v", got)
	}
	for h, want := range map[uint64]bool{1: true, 9: true, 4: false, 0: false, 11: false} {
		if a.has(h) != want {
			t.Errorf("has(%d) = %v", h, !want)
		}
	}
}

func TestSpecificNumbersAcrossLanguages(t *testing.T) {
	s := features([]rune("Officials counted 3366 dead and 12 missing in 2024 at Tikabel."), nil)
	for n, want := range map[string]bool{"3366": true, "12": false, "2024": false} {
		if !s.nums.has(hash64(n)) {
			t.Errorf("%s is not among the numbers", n)
		}
		if s.specific.has(hash64(n)) != want {
			t.Errorf("%s specific = %v; want %v", n, !want, want)
		}
	}
}
