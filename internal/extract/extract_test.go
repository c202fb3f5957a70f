package extract

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

func TestHTMLMetadataAndChrome(t *testing.T) {
	page, err := os.ReadFile("../demo/corpus/a01-meridian-ferry.html")
	if err != nil {
		t.Fatal(err)
	}
	r, err := HTML(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Title != "Ferry capsizes off Lesbos, at least 12 dead" {
		t.Errorf("Title = %q", r.Title)
	}
	if r.Site != "Meridian Wire" || r.Author != "Anna Pappas" || r.Language != "en" {
		t.Errorf("Site, Author, Language = %q, %q, %q", r.Site, r.Author, r.Language)
	}
	if r.URL != "https://meridianwire.example/world/2026/03/14/lesbos-ferry-capsizes" {
		t.Errorf("URL = %q; want the canonical link", r.URL)
	}
	if want := time.Date(2026, 3, 14, 8, 40, 0, 0, time.UTC); r.Published == nil || !r.Published.Equal(want) {
		t.Errorf("Published = %v; want %v (with the time of day)", r.Published, want)
	}
	for _, chrome := range []string{"Subscribe", "Related stories", "All rights reserved", "Privacy"} {
		if strings.Contains(r.Text, chrome) {
			t.Errorf("text keeps chrome %q", chrome)
		}
	}
	if !strings.Contains(r.Text, "Rescuers pulled 71 people from the water") || len(strings.Split(r.Text, "\n\n")) < 6 {
		t.Errorf("text lost article paragraphs:\n%s", r.Text)
	}
}

func TestDecodeLegacyCharsets(t *testing.T) {
	const russian = "Российские войска отошли от города Лиман, сообщили в понедельник военные."
	tests := []struct {
		name    string
		enc     *charmap.Charmap
		declare bool
	}{
		{"windows-1251 declared", charmap.Windows1251, true},
		{"koi8-r declared", charmap.KOI8R, true},
		{"windows-1251 undeclared", charmap.Windows1251, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := tc.enc.NewEncoder().String("<p>" + russian + "</p><p>" + russian + "</p>")
			head := "<html><head><title>x</title>"
			if tc.declare {
				head += `<meta charset="` + strings.ToLower(tc.name[:strings.Index(tc.name, " ")]) + `">`
			}
			got, err := DecodeHTML([]byte(head+"</head><body>"+body+"</body></html>"), "")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, russian) {
				t.Errorf("DecodeHTML = %.200q; want it to contain the Russian sentence", got)
			}
		})
	}
}

func TestHTMLCyrillicEndToEnd(t *testing.T) {
	p := "Российские войска отошли от города Лиман в Донецкой области, сообщили в понедельник представители армии Украины. "
	body, _ := charmap.Windows1251.NewEncoder().String("<article><h1>Лиман</h1><p>" + strings.Repeat(p, 3) + "</p><p>" + strings.Repeat(p, 2) + "</p></article>")
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>Лиман</title></head><body>` + body + `</body></html>`
	r, err := HTML([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "Российские войска") || r.Language != "ru" {
		t.Errorf("text %.80q, language %q; want decoded Russian", r.Text, r.Language)
	}
}

// TestHTMLLanguage: an HTML page's language is go-trafilatura's
// classification of its body, with the orthographic rule for Cyrillic
// applied to it (whatlanggo alone confuses Ukrainian, Russian and
// Bulgarian): the same as DetectLanguage gives for its text, whatever the
// page declares.
func TestHTMLLanguage(t *testing.T) {
	tests := []struct {
		name, declared, title, text, want string
	}{
		{"English declared French", "fr", "Ferry", "The vessel was carrying 86 passengers and nine crew when it listed sharply about four nautical miles from shore, the coast guard said on Monday.", "en"},
		{"Dutch", "", "Veerboot", "Het schip had 86 passagiers en negen bemanningsleden aan boord en voer van Mytilene naar de Turkse haven, meldde de kustwacht maandag.", "nl"},
		{"Ukrainian", "ru", "Лиман", "Українські війська звільнили місто Лиман у Донецькій області, повідомили у понеділок представники армії. Вони заявили, що бої тривають.", "uk"},
		{"Bulgarian", "", "Пожар", "Българските власти съобщиха, че пожарът е бил овладян след няколко часа. Те казаха, че към селото са изпратени още екипи.", "bg"},
		{"Russian", "uk", "Лиман", "Российские войска отошли от города Лиман в Донецкой области, сообщили в понедельник представители армии. Они заявили, что бои продолжаются.", "ru"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lang := ""
			if tc.declared != "" {
				lang = ` lang="` + tc.declared + `"`
			}
			page := `<html` + lang + `><head><title>` + tc.title + `</title></head><body><article><h1>` + tc.title + `</h1><p>` + tc.text + `</p><p>` + tc.text + `</p></article></body></html>`
			r, err := HTML([]byte(page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Language != tc.want {
				t.Errorf("language %q; want %q (text %.60q)", r.Language, tc.want, r.Text)
			}
			if d := DetectLanguage(strings.TrimSpace(r.Title + "\n" + r.Text)); d != r.Language {
				t.Errorf("language %q; DetectLanguage of the same text gives %q", r.Language, d)
			}
		})
	}
}

func TestNoContent(t *testing.T) {
	for _, page := range []string{"<html><body></body></html>", "<html><body><nav><a href=/>Home</a></nav></body></html>", "<p>Menu</p>"} {
		if _, err := HTML([]byte(page), Options{}); !errors.Is(err, ErrNoContent) {
			t.Errorf("HTML(%q) error = %v; want ErrNoContent", page, err)
		}
	}
	if _, err := Text("  \n\n ", Options{}); !errors.Is(err, ErrNoContent) {
		t.Errorf("Text(blank) error = %v; want ErrNoContent", err)
	}
	r, err := Text("Headline only, nothing else", Options{})
	if err != nil || r.Title == "" || r.Text == "" {
		t.Errorf("Text(headline) = %+v, %v; want the headline kept as title and text", r, err)
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := map[string]string{
		"The vessel was carrying 86 passengers and nine crew when it listed sharply about four nautical miles from shore.": "en",
		"Het schip had 86 passagiers en 9 bemanningsleden aan boord en voer van Mytilene naar de Turkse haven.":            "nl",
		"Российские войска отошли от города, сообщили в понедельник представители армии.":                                  "ru",
		"Українські війська звільнили місто Лиман, повідомили у понеділок представники армії.":                             "uk",
		"Българските власти съобщиха, че пожарът е бил овладян след няколко часа.":                                         "bg",
		"ok": "",
	}
	for text, want := range tests {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%.30q) = %q; want %q", text, got, want)
		}
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{"", "<html>", "<p>text</p>", "<html><head><meta charset=koi8-r></head><body><article><p>Привет мир это тест</p></article></body></html>", "<table><tr><td>" + strings.Repeat("<div>", 300)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := HTML(b, Options{})
		if err == nil && strings.TrimSpace(r.Text) == "" {
			t.Fatalf("no error but empty text for %q", b)
		}
	})
}

func FuzzDecodeHTML(f *testing.F) {
	f.Add([]byte("<meta charset=windows-1251>\xcf\xf0\xe8"), "")
	f.Add([]byte("\xff\xfe<\x00h\x00"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		out, err := DecodeHTML(b, ct)
		if err == nil && !utf8.ValidString(out) {
			t.Fatalf("DecodeHTML(%q, %q) returned invalid UTF-8", b, ct)
		}
	})
}

// TestPageTravelsWithItsCleaning: a page cleaned in one process and sent
// as JSON to another is not cleaned again there against the same
// repeated lines, and is against different ones.
func TestPageTravelsWithItsCleaning(t *testing.T) {
	raw, err := os.ReadFile("../demo/corpus/a01-meridian-ferry.html")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseHTML(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var repeated string
	opts := func(lines ...string) Options {
		return Options{Source: "Meridian Wire", Repeated: func(_ string, candidates []string) map[string]bool {
			rep := map[string]bool{}
			for _, l := range lines {
				rep[l] = true
			}
			if repeated == "" && len(candidates) > 0 {
				repeated = candidates[0]
			}
			return rep
		}}
	}
	want, err := p.Clean(opts())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Page
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.last == nil {
		t.Fatal("the page's cleaning did not travel")
	}
	kept := q.last
	got, err := q.Clean(opts())
	if err != nil {
		t.Fatal(err)
	}
	if q.last != kept {
		t.Error("the page was cleaned again against the same repeated lines")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("travelled cleaning differs:\n got %+v\nwant %+v", got, want)
	}
	if _, err := q.Clean(opts(repeated)); err != nil {
		t.Fatal(err)
	}
	if q.last == kept {
		t.Errorf("the page was not cleaned again when line %q became repeated", repeated)
	}
}
