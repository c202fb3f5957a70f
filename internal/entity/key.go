package entity

import (
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Skeleton reduces a word to what survives transliteration: folded,
// lower-cased, with transliteration variants unified (kh/h, g/h, zh/z,
// ts/c, ph/f, ck/k, final iy/yi/ii/yy/ij → y, y → i), then its first
// letter and its consonants with repeats collapsed. Zelensky, Zelenskiy,
// Zelinsky and Zelenskyy all give "zlnsk"; Gaidai and Haidai "hd".
func Skeleton(w string) string {
	w = words.Fold(strings.ToLower(w))
	for _, suf := range []string{"iy", "yi", "ii", "yy", "ij"} {
		if strings.HasSuffix(w, suf) {
			w = strings.TrimSuffix(w, suf) + "y"
			break
		}
	}
	r := strings.NewReplacer("kh", "h", "zh", "z", "ts", "c", "tz", "c", "sch", "s", "ph", "f", "ck", "k", "g", "h", "y", "i", "w", "v", "j", "i", "q", "k", "x", "ks")
	w = r.Replace(w)
	if w == "" {
		return ""
	}
	var b strings.Builder
	rs := []rune(w)
	b.WriteRune(rs[0])
	last := rs[0]
	for _, c := range rs[1:] {
		if strings.ContainsRune("aeiou", c) || c == last || c == '-' || c == '\'' || c == '’' {
			if !strings.ContainsRune("aeiou", c) {
				last = c
			}
			continue
		}
		b.WriteRune(c)
		last = c
	}
	return b.String()
}

// Key is the identity of a name of a type. A person is their first
// initial and surname skeleton ("v zlnsk"), a one-word person name their
// surname alone ("zlnsk"); anything else its folded words.
func Key(name, typ string) string {
	parts := strings.Fields(name)
	if len(parts) == 0 {
		return ""
	}
	if typ == model.EntityPerson {
		last := Skeleton(parts[len(parts)-1])
		if len(parts) == 1 {
			return "p:" + last
		}
		first := Skeleton(parts[0])
		return "p:" + first[:1] + " " + last
	}
	var fs []string
	for _, p := range parts {
		fs = append(fs, words.Fold(strings.ToLower(p)))
	}
	prefix := map[string]string{model.EntityOrg: "o:", model.EntityPlace: "l:"}[typ]
	if prefix == "" {
		prefix = "x:"
	}
	return prefix + strings.Join(fs, " ")
}

// surname returns the surname skeleton of a person key.
func surname(key string) string {
	k := strings.TrimPrefix(key, "p:")
	if _, s, ok := strings.Cut(k, " "); ok {
		return s
	}
	return k
}

// Resolve settles the keys of an article's mentions: a spelling an
// analyst has aliased goes to that entity; a surname alone (or a
// one-word name) goes to the one full-named person of the story (or of
// the article) with the same surname; full names keep their own key, which
// already unifies transliterations. known maps keys of entities stored
// for the story; aliases maps folded spellings to entity keys.
func Resolve(ms []model.NameMention, known []string, aliases map[string]string) {
	persons := map[string][]string{} // surname → full-name keys
	add := func(k string) {
		if strings.HasPrefix(k, "p:") && strings.Contains(k, " ") {
			s := surname(k)
			for _, x := range persons[s] {
				if x == k {
					return
				}
			}
			persons[s] = append(persons[s], k)
		}
	}
	for _, k := range known {
		add(k)
	}
	for _, m := range ms {
		add(m.Key)
	}
	for i := range ms {
		m := &ms[i]
		if k, ok := aliases[Fold(m.Name)]; ok {
			m.Key = k
			continue
		}
		if m.Type == model.EntityPerson || m.Type == model.EntityPlace && len(strings.Fields(m.Name)) == 1 {
			s := Skeleton(lastWord(m.Name))
			if full := persons[s]; len(full) == 1 && (!strings.Contains(strings.TrimPrefix(m.Key, "p:"), " ") || m.Key == full[0]) {
				m.Key, m.Type = full[0], model.EntityPerson
			}
		}
	}
}

func lastWord(s string) string {
	f := strings.Fields(s)
	return f[len(f)-1]
}

// Fold is how spellings are compared in the alias table.
func Fold(name string) string { return words.FoldName(name) }
