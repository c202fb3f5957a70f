package lineage

import (
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
		if !en.anchors[a] || !nl.anchors[a] {
			t.Errorf("anchor %q: en %v, nl %v", a, en.anchors[a], nl.anchors[a])
		}
	}
	if en.anchors["the"] || nl.anchors["het"] {
		t.Errorf("a capitalised function word counted as a name")
	}
	q := features([]rune(`“We are doing everything we can to find the missing, but the sea is very difficult,” Alexiou said.`), nil)
	// A capitalised first word is a name only if the text capitalises it
	// elsewhere too.
	d := prepare("Forecasters expect rain. Alexiou said it would pass. Later, Alexiou left.")
	if d.sentences[0].anchors["forecasters"] || !d.sentences[1].anchors["alexiou"] {
		t.Errorf("sentence-initial words: anchors %v, %v", d.sentences[0].anchors, d.sentences[1].anchors)
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
