package web

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAnnotate(t *testing.T) {
	text := "Kharkiv was hit on Tuesday.\n\nGovernor Oleh Syniehubov said 3 died."
	spans := []mark{
		{Start: 0, End: 7, Class: "hl-place"},
		{Start: 19, End: 26, Class: "hl-date"},
		{Start: 29, End: 66, Class: "hl-claim", ID: "claim-x-1"},
		{Start: 29, End: 66, Class: "hl-claim", ID: "claim-x-2"},
		{Start: 38, End: 53, Class: "hl-entity", Href: "/entities/4"},
		{Start: 50, End: 999, Class: "hl-bad"}, // past the end: dropped
	}
	paras := annotate(text, spans)
	var got []string
	for _, p := range paras {
		var b strings.Builder
		for _, s := range p {
			if s.Class == "" {
				b.WriteString(s.Text)
			} else {
				fmt.Fprintf(&b, "[%s|%s%s]", s.Text, s.Class, strings.Join(append([]string{""}, s.IDs...), "#"))
			}
		}
		got = append(got, b.String())
	}
	want := []string{
		"[Kharkiv|hl-place] was hit on [Tuesday|hl-date].",
		"[Governor |hl-claim hl-claim#claim-x-1#claim-x-2][Oleh Syniehubov|hl-claim hl-claim hl-entity][ said 3 died.|hl-claim hl-claim]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("annotate =\n%q\nwant\n%q", got, want)
	}
	// Rebuilt, the paragraphs are the text.
	var all []string
	for _, p := range paras {
		var b strings.Builder
		for _, s := range p {
			b.WriteString(s.Text)
		}
		all = append(all, b.String())
	}
	if strings.Join(all, "\n\n") != text {
		t.Errorf("segments do not rebuild the text")
	}
	if len(annotate("", nil)) != 0 {
		t.Errorf("empty text gave paragraphs")
	}
}

func FuzzAnnotate(f *testing.F) {
	f.Add("Kharkiv was hit.\n\nThree died.", 0, 7, 20, 25)
	f.Add("\n\nx\n\n", 1, 3, 0, 6)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		if !utf8.ValidString(text) {
			return
		}
		paras := annotate(text, []mark{{Start: a, End: b, Class: "x"}, {Start: c, End: d, Class: "y"}})
		var all []string
		for _, p := range paras {
			var sb strings.Builder
			for _, s := range p {
				sb.WriteString(s.Text)
			}
			all = append(all, sb.String())
		}
		if got := strings.Join(all, "\n\n"); got != text {
			t.Fatalf("pieces rebuild %q; want %q", got, text)
		}
	})
}
