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
	for in, want := range map[string]string{"200,000": "200000", "4,5": "4.5", "4.5": "4.5", "1,234,567": "1234567", "2026": "2026", "7": "7"} {
		if got, ok := number(in); !ok || got != want {
			t.Errorf("number(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	en := features([]rune("The vessel, the Agia Marina, was carrying 86 passengers and nine crew to Ayvalik, four miles away."))
	nl := features([]rune("Het schip, de Agia Marina, had 86 passagiers en negen bemanningsleden aan boord naar Ayvalik, vier mijl verderop."))
	for _, a := range []string{"agia", "marina", "86", "9", "ayvalik", "4"} {
		if !en.anchors[a] || !nl.anchors[a] {
			t.Errorf("anchor %q: en %v, nl %v", a, en.anchors[a], nl.anchors[a])
		}
	}
	if en.anchors["the"] || nl.anchors["het"] {
		t.Errorf("a capitalised function word counted as a name")
	}
	q := features([]rune(`“We are doing everything we can to find the missing, but the sea is very difficult,” Alexiou said.`))
	if !q.quoted {
		t.Errorf("a sentence that is mostly a quote is not marked quoted")
	}
}
