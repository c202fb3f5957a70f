package entity

import (
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"Zelensky", "Zelenskiy", "Zelinsky", "Zelenskyy", "Zelenskij"},
		{"Gaidai", "Haidai"},
		{"Volodymyr", "Volodimir"},
		{"Syniehubov", "Synegubov"},
		{"Kharkiv", "Harkiv"},
		{"Peskov", "Pjeskov"},
	}
	for _, ws := range same {
		for _, w := range ws[1:] {
			if Skeleton(w) != Skeleton(ws[0]) {
				t.Errorf("Skeleton(%s) = %q, Skeleton(%s) = %q; want equal", w, Skeleton(w), ws[0], Skeleton(ws[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"Zelensky", "Shmyhal"}, {"Peskov", "Putin"}, {"Lianos", "Alexiou"}} {
		if Skeleton(pair[0]) == Skeleton(pair[1]) {
			t.Errorf("Skeleton(%s) = Skeleton(%s)", pair[0], pair[1])
		}
	}
}

func mentions(text string) []model.NameMention {
	ms := Extract(&model.Article{Text: text})
	Resolve(ms, nil, nil)
	return ms
}

func find(ms []model.NameMention, name string) *model.NameMention {
	for i := range ms {
		if ms[i].Name == name {
			return &ms[i]
		}
	}
	return nil
}

func TestExtract(t *testing.T) {
	text := "LYMAN, Ukraine (Meridian Wire) — Kremlin spokesman Dmitry Peskov said the talks had stalled. " +
		"Kharkiv Governor Oleh Syniehubov said one person was killed in Kharkiv. President Volodymyr Zelensky visited the town on Friday. " +
		"Zelenskiy promised more air defence, according to the Associated Press. The Greek coast guard searched off the island of Lesbos, " +
		"coast guard spokesman Nikos Alexiou told reporters. Alexiou said the Agia Marina had sunk."
	ms := mentions(text)
	for _, want := range []struct{ name, role, typ string }{
		{"Dmitry Peskov", "Kremlin spokesman", model.EntityPerson},
		{"Oleh Syniehubov", "Kharkiv Governor", model.EntityPerson},
		{"Volodymyr Zelensky", "President", model.EntityPerson},
		{"Associated Press", "", model.EntityOrg},
		{"Meridian Wire", "", model.EntityOrg},
		{"Lesbos", "", model.EntityPlace},
		{"Kharkiv", "", model.EntityPlace},
		{"Nikos Alexiou", "coast guard spokesman", model.EntityPerson},
		{"Agia Marina", "", model.EntityOther},
	} {
		m := find(ms, want.name)
		if m == nil {
			t.Errorf("no mention %q in %+v", want.name, ms)
			continue
		}
		if m.Role != want.role || m.Type != want.typ {
			t.Errorf("%s: role %q type %s; want %q %s", want.name, m.Role, m.Type, want.role, want.typ)
		}
		if got := []rune(text)[m.Start:m.End]; string(got) != want.name {
			t.Errorf("%s: offsets give %q", want.name, string(got))
		}
	}
	// Transliterations and surnames resolve to the full name.
	if z := find(ms, "Zelenskiy"); z == nil || z.Key != find(ms, "Volodymyr Zelensky").Key {
		t.Errorf("Zelenskiy does not resolve to Volodymyr Zelensky: %+v", z)
	}
	if a := find(ms, "Alexiou"); a == nil || a.Key != find(ms, "Nikos Alexiou").Key {
		t.Errorf("Alexiou does not resolve to Nikos Alexiou: %+v", a)
	}
	// Demonyms, sentence-initial words and numbers are not names.
	for _, not := range []string{"Greek", "The", "Ukraine (Meridian Wire)", "Seventeen"} {
		if find(ms, not) != nil {
			t.Errorf("%q taken for a name", not)
		}
	}
	if find(ms, "Lyman") == nil || find(ms, "Lyman").Type != model.EntityPlace {
		t.Errorf("the dateline place is missing: %+v", find(ms, "Lyman"))
	}
}

func TestResolve(t *testing.T) {
	// A surname alone attaches to the one full name the story knows.
	ms := []model.NameMention{{Name: "Haidai", Type: model.EntityPerson, Key: Key("Haidai", model.EntityPerson)}}
	Resolve(ms, []string{Key("Serhiy Gaidai", model.EntityPerson)}, nil)
	if ms[0].Key != Key("Serhiy Gaidai", model.EntityPerson) {
		t.Errorf("Haidai resolved to %q", ms[0].Key)
	}
	// Two people with the surname: no guess.
	ms = []model.NameMention{{Name: "Klitschko", Type: model.EntityPerson, Key: Key("Klitschko", model.EntityPerson)}}
	Resolve(ms, []string{Key("Vitali Klitschko", model.EntityPerson), Key("Natalia Klitschko", model.EntityPerson)}, nil)
	if strings.Contains(strings.TrimPrefix(ms[0].Key, "p:"), " ") {
		t.Errorf("an ambiguous surname was attached to %q", ms[0].Key)
	}
	// An analyst's alias wins.
	ms = []model.NameMention{{Name: "The Kremlin", Type: model.EntityOrg, Key: Key("Kremlin", model.EntityOrg)}}
	Resolve(ms, nil, map[string]string{"the kremlin": "o:russian presidency"})
	if ms[0].Key != "o:russian presidency" {
		t.Errorf("alias ignored: %q", ms[0].Key)
	}
	if Fold("  Zelénskiy  Volodymyr ") != "zelenskiy volodymyr" {
		t.Errorf("Fold = %q", Fold("  Zelénskiy  Volodymyr "))
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("Kremlin spokesman Dmitry Peskov said. LYMAN, Ukraine — President Zelensky visited Lyman.")
	f.Add("Ünïcödé Ñame of the Bank of England's Governor Andrew Bailey, 68,")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		n := len([]rune(s))
		ms := Extract(&model.Article{Text: s})
		Resolve(ms, nil, nil)
		for _, m := range ms {
			if m.Start < 0 || m.End > n || m.Start >= m.End || m.Name == "" || m.Key == "" {
				t.Fatalf("mention %+v", m)
			}
		}
	})
}
