package dates

import (
	"testing"
	"time"
)

// Saturday 14 March 2026.
var pub = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func TestFind(t *testing.T) {
	tests := []struct {
		text, expr, value, precision string
	}{
		{"The ferry sank on Tuesday.", "Tuesday", "2026-03-10", Day},
		{"It happened yesterday.", "yesterday", "2026-03-13", Day},
		{"Shelling continued over the weekend.", "the weekend", "2026-03-14", Week},
		{"The town fell two weeks ago.", "two weeks ago", "2026-02-28", Week},
		{"Talks began 3 days ago.", "3 days ago", "2026-03-11", Day},
		{"Prices rose last month.", "last month", "2026-02-01", Month},
		{"Talks are set for March 20.", "March 20", "2026-03-20", Day},
		{"Troops entered on December 20.", "December 20", "2025-12-20", Day},
		{"The invasion began on 24 February.", "24 February", "2026-02-24", Day},
		{"The bridge has been closed since May.", "May", "2025-05-01", Month},
		{"It was built in 2014.", "in 2014", "2014-01-01", Year},
		{"Elections were held on 4 October 2022.", "4 October 2022", "2022-10-04", Day},
		{"Two days later the town fell.", "Two days later", "", ""},
		{"A month on, nothing has changed.", "A month on", "", ""},
	}
	for _, tc := range tests {
		ms := Find(tc.text, &pub)
		if len(ms) != 1 {
			t.Errorf("%q: %d expressions %+v; want 1", tc.text, len(ms), ms)
			continue
		}
		m := ms[0]
		got := ""
		if m.Value != nil {
			got = m.Value.Format("2006-01-02")
		}
		if m.Text != tc.expr || got != tc.value || m.Precision != tc.precision {
			t.Errorf("%q: %q → %q (%s); want %q → %q (%s)", tc.text, m.Text, got, m.Precision, tc.expr, tc.value, tc.precision)
		}
		if []rune(tc.text)[m.Start] != []rune(m.Text)[0] {
			t.Errorf("%q: offsets %d-%d", tc.text, m.Start, m.End)
		}
	}
}

// TestNotDates: 24/7, 9/11, modal "may", "mar", and no publication date.
func TestNotDates(t *testing.T) {
	for _, text := range []string{"Open 24/7 since 9/11.", "Officials may resign.", "Clouds mar the view.", "The march was peaceful."} {
		for _, m := range Find(text, &pub) {
			if m.Value != nil {
				t.Errorf("%q: resolved %q to %v", text, m.Text, m.Value)
			}
		}
	}
	// Without a publication date, relative expressions stay unresolved;
	// a date with its own year is still resolved.
	for _, m := range Find("The ferry sank on Tuesday, two weeks ago, on 4 October 2022.", nil) {
		if (m.Value != nil) != (m.Text == "4 October 2022") {
			t.Errorf("undated article: %q → %v", m.Text, m.Value)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add("on Tuesday, 24 February 2022, two weeks ago, 24/7, in 2014, May 5th")
	f.Add("\x00 31 February march May 99999")
	f.Fuzz(func(t *testing.T, s string) {
		n := len([]rune(s))
		for _, m := range Find(s, &pub) {
			if m.Start < 0 || m.End > n || m.Start >= m.End {
				t.Fatalf("mention %+v", m)
			}
		}
	})
}

// TestFindLang: other languages through go-dateparser, ISO dates in any,
// and the same refusals of bare numbers.
func TestFindLang(t *testing.T) {
	tests := []struct {
		lang, text string
		want       map[string]string // expression → value (precision day unless noted)
	}{
		{"ms", "Kapal itu tenggelam pada 10 Mac 2026, kata pegawai semalam.", map[string]string{"10 Mac 2026": "2026-03-10", "semalam": "2026-03-13"}},
		{"nl", "Het schip zonk op 10 maart 2026, zei de politie gisteren.", map[string]string{"10 maart 2026": "2026-03-10", "gisteren": "2026-03-13"}},
		{"nl", "Open 24/7 sinds 9/11, met 17 doden.", map[string]string{}},
		{"en", "The count rose on 2026-03-12, then on Tuesday.", map[string]string{"2026-03-12": "2026-03-12", "Tuesday": "2026-03-10"}},
		{"", "Updated 2026-02-30 and 2026-03-01.", map[string]string{"2026-03-01": "2026-03-01"}},
	}
	for _, tc := range tests {
		ms := FindLang(tc.text, tc.lang, &pub)
		got := map[string]string{}
		for _, m := range ms {
			v := ""
			if m.Value != nil {
				v = m.Value.Format("2006-01-02")
			}
			got[m.Text] = v
			if string([]rune(tc.text)[m.Start:m.End]) != m.Text {
				t.Errorf("%q: offsets %d-%d do not give %q", tc.text, m.Start, m.End, m.Text)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s %q: %v; want %v", tc.lang, tc.text, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s %q: %q → %q; want %q", tc.lang, tc.text, k, got[k], v)
			}
		}
	}
	// Without a publication date, only dates with their own year.
	for _, m := range FindLang("Kapal itu tenggelam pada 10 Mac 2026, kata pegawai semalam.", "ms", nil) {
		if m.Text == "semalam" && m.Value != nil {
			t.Errorf("undated: semalam resolved to %v", m.Value)
		}
	}
}

func FuzzFindLang(f *testing.F) {
	f.Add("pada 10 Mac 2026, semalam, 24/7, 2026-03-01", "ms")
	f.Add("op 10 maart 2026, gisteren, 9/11", "nl")
	f.Add("\x00 2026-13-45 31 février", "fr")
	f.Fuzz(func(t *testing.T, s, lang string) {
		n := len([]rune(s))
		for _, m := range FindLang(s, lang, &pub) {
			if m.Start < 0 || m.End > n || m.Start >= m.End || string([]rune(s)[m.Start:m.End]) != m.Text {
				t.Fatalf("mention %+v", m)
			}
		}
	})
}
