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
