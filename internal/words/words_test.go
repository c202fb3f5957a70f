package words

import "testing"

func TestNumber(t *testing.T) {
	for in, want := range map[string]string{"200,000": "200000", "4,5": "4.5", "4.5": "4.5", "1,234,567": "1234567", "2026": "2026", "7": "7"} {
		if got, ok := Number(in); !ok || got != want {
			t.Errorf("Number(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "12a", "a12", "1-2"} {
		if got, ok := Number(in); ok {
			t.Errorf("Number(%q) = %q, true; want not a number", in, got)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Llíria": "lliria", "Athènes": "athenes", "ŁÓDŹ": "łodz", "Kyiv": "kyiv"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentences(t *testing.T) {
	text := "The ferry sank. J. Smith said 4.5 knots. “It rolled,” he said! Twelve died\nNew line? 12 more.一艘船沉没。第二句"
	var got []string
	rs := []rune(text)
	for _, s := range Sentences(text) {
		got = append(got, string(rs[s[0]:s[1]]))
	}
	want := []string{"The ferry sank.", "J. Smith said 4.5 knots.", "“It rolled,” he said!", "Twelve died", "New line?", "12 more.", "一艘船沉没。", "第二句"}
	if len(got) != len(want) {
		t.Fatalf("Sentences = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d = %q, want %q", i, got[i], want[i])
		}
	}
}
