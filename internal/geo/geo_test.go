package geo

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

func gaz(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGazetteer(t *testing.T) {
	g := gaz(t)
	if len(g.Places) < 150000 {
		t.Fatalf("gazetteer has %d places", len(g.Places))
	}
	for name, want := range map[string]string{"Kyiv": "UA", "Ohio": "US", "Russia": "RU", "U.S.": "US", "Lesbos": "GR", "Valencia": "ES"} {
		found := false
		for _, j := range g.Lookup(name) {
			found = found || g.Places[j].Country == want
		}
		if !found {
			t.Errorf("Lookup(%q) has no place in %s", name, want)
		}
	}
	// Transliteration variants GeoNames lacks meet by skeleton.
	for variant, want := range map[string]string{"Shevyerodonetsk": "Sievierodonetsk", "Zaporizhia": "Zaporizhzhya", "Archanhelske": "Arkhanhelske"} {
		ids := g.Lookup(variant)
		if len(ids) == 0 || g.Places[ids[0]].Name != want {
			t.Errorf("Lookup(%q) = %v; want %s", variant, ids, want)
		}
	}
	// Common words do not meet places by skeleton.
	for _, w := range []string{"Another", "Community"} {
		if ids := g.Lookup(w); len(ids) > 0 && Fold(g.Places[ids[0]].Name) != Fold(w) {
			t.Errorf("Lookup(%q) = %s by skeleton", w, g.Places[ids[0]].Name)
		}
	}
	if d := DistanceKm(48.8566, 2.3522, 51.5074, -0.1278); math.Abs(d-344) > 5 {
		t.Errorf("Paris–London = %.0f km", d)
	}
}

func names(ms []Mention) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text+"="+m.Place.Name+"/"+m.Place.Country+"."+m.Place.Admin1)
	}
	return strings.Join(out, "; ")
}

func TestParse(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		text string
		want []string // "text=name/CC.admin1" prefixes, in order
		none []string // texts that must not be places
	}{
		{"Kharkiv Governor Oleh Syniehubov said the strike hit Kharkiv.", []string{"Kharkiv=Kharkiv/UA", "Kharkiv=Kharkiv/UA"}, []string{"Syniehubov"}},
		{"The Gainesville, Ga., man was arrested.", []string{"Gainesville=Gainesville/US.GA", "Ga.=Georgia/US.GA"}, nil},
		{"Alexandria, La., police said the fire spread.", []string{"Alexandria=Alexandria/US.LA"}, nil},
		{"Russian and Ukrainian officials met in Istanbul.", []string{"Istanbul=Istanbul/TR"}, []string{"Russian", "Ukrainian"}},
		{"David Moore told the Washington Post that Paris Hilton visited.", nil, []string{"Moore", "Washington", "Paris"}},
		{"Fighting near Shevyerodonetsk and in Zaporizhia region.", []string{"Shevyerodonetsk=Sievierodonetsk/UA", "Zaporizhia=Zaporizhzhya/UA"}, nil},
		// One sense per name, its own mentions not its context.
		{"Alexandria woman charged. Deputies from Alexandria and Rapides Parish investigated.", []string{"Alexandria=Alexandria/US.LA", "Alexandria=Alexandria/US.LA", "Rapides Parish=Rapides Parish/US.LA"}, nil},
		{"Crowds gathered in Alexandria, Cairo and Giza.", []string{"Alexandria=Alexandria/EG"}, nil},
		// Neighbouring countries settle together.
		{"Russia and Georgia signed a ceasefire.", []string{"Russia=Russian Federation/RU", "Georgia=Georgia/GE"}, nil},
		{"Atlanta and Savannah, in Georgia, braced for the storm.", []string{"Atlanta=Atlanta/US.GA", "Savannah=Savannah/US.GA", "Georgia=Georgia/US.GA"}, nil},
		// A capital before the state of its name, unless "state" says so.
		{"Officials in Washington said the budget would pass.", []string{"Washington=Washington/US.DC"}, nil},
		{"Rain is forecast for Washington state.", []string{"Washington=Washington/US.WA"}, nil},
		// Lyman in Donetsk oblast, Lyman in Wyoming; Kyiv the city.
		{"Russian forces left Lyman in the Donetsk region.", []string{"Lyman=Lyman/UA", "Donetsk=Donetsk/UA"}, []string{"Russian"}},
		{"The rodeo in Lyman, Wyoming, drew crowds.", []string{"Lyman=Lyman/US.WY", "Wyoming=Wyoming/US.WY"}, nil},
		{"Shelling hit Kyiv and Kharkiv.", []string{"Kyiv=Kyiv/UA.12", "Kharkiv=Kharkiv/UA"}, nil},
	}
	for _, tc := range tests {
		ms := g.Parse(tc.text)
		got := names(ms)
		for i, w := range tc.want {
			if i >= len(ms) || !strings.HasPrefix(names(ms[i:i+1]), w) {
				t.Errorf("%q: places %s; want %v", tc.text, got, tc.want)
				break
			}
		}
		for _, n := range tc.none {
			for _, m := range ms {
				if m.Text == n {
					t.Errorf("%q: %q taken for a place (%s)", tc.text, n, got)
				}
			}
		}
		rs := []rune(tc.text)
		for _, m := range ms {
			if string(rs[m.Start:m.End]) != m.Text {
				t.Errorf("%q: offsets %d-%d give %q, not %q", tc.text, m.Start, m.End, string(rs[m.Start:m.End]), m.Text)
			}
		}
	}
}

// TestPrior: a source's earlier articles pull its bare names home.
func TestPrior(t *testing.T) {
	g := gaz(t)
	text := "The festival in Paris drew a crowd."
	if ms := g.Parse(text); len(ms) != 1 || ms[0].Place.Country != "FR" {
		t.Fatalf("Paris alone = %s", names(ms))
	}
	pr := NewPrior()
	for _, earlier := range []string{"Deputies in Lamar County, Texas, arrested two men.", "Palestine, Texas, and Tyler, Texas, schools closed.",
		"Flooding in Athens, Texas.", "Longview, Texas, council met.", "Marshall, Texas, crews helped."} {
		pr.Learn(g.ParseWith(earlier, pr))
	}
	if ms := g.ParseWith(text, pr); len(ms) != 1 || ms[0].Place.Country != "US" || ms[0].Place.Admin1 != "TX" {
		t.Errorf("Paris from a Texas paper = %s", names(ms))
	}
	// A name the text itself places stays where the text puts it.
	if ms := g.ParseWith("Crowds in Paris, France, and Lyon.", pr); len(ms) == 0 || ms[0].Place.Country != "FR" {
		t.Errorf("Paris, France from a Texas paper = %s", names(ms))
	}
}

// TestParseBadInput: no crash and nothing absurd on text without places,
// all-caps text, place names inside words, dates like 24/7 and 9/11, and a
// list of hundreds of places.
func TestParseBadInput(t *testing.T) {
	g := gaz(t)
	for _, text := range []string{"", "no places here at all, only lower case words.", "24/7 coverage since 9/11.",
		"Parisian chefs and Londoners ate Berliners.", "Several of them came. Another came too.", "\x00\xff\u200b"} {
		if ms := g.Parse(text); len(ms) != 0 {
			t.Errorf("%q: places %s", text, names(ms))
		}
	}
	caps := g.Parse("PARIS FRANCE IS THE CAPITAL.")
	if len(caps) > 3 {
		t.Errorf("all-caps text: %s", names(caps))
	}
	var b strings.Builder
	for i := 0; i < 300; i++ {
		b.WriteString("Lyon, Marseille, Toulouse, Nice, Nantes, ")
	}
	if ms := g.Parse(b.String()); len(ms) < 1000 {
		t.Errorf("a list of 1,500 places gave %d", len(ms))
	}
	// Hundreds of different places: each still resolved, each to itself.
	b.Reset()
	var want []string
	for _, p := range g.Places {
		if p.FCode == "PPL" && p.Population > 200000 && len(want) < 600 && strings.IndexFunc(p.Name, func(r rune) bool { return r > 127 || r == ' ' || r == '-' }) < 0 && len(g.Lookup(p.Name)) == 1 {
			want = append(want, p.Name)
			b.WriteString(p.Name + ", ")
		}
	}
	ms := g.Parse(b.String())
	if len(ms) < len(want)*9/10 {
		t.Fatalf("a list of %d different places gave %d", len(want), len(ms))
	}
	for _, m := range ms {
		if m.Place.Name != m.Text {
			t.Errorf("in a list, %q resolved to %s", m.Text, m.Place.Name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("Kharkiv Governor Oleh Syniehubov said the strike hit Kharkiv, Ukraine.")
	f.Add("U.S. W.Va. St. Louis, Mo., and New York City; 9/11")
	f.Add("\x00\xff")
	g, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := len([]rune(s))
		for _, m := range g.Parse(s) {
			if m.Start < 0 || m.End > n || m.Start >= m.End || m.Place == nil {
				t.Fatalf("mention %+v", m)
			}
		}
	})
}

// BenchmarkGeoparse reports throughput in KB/s per core, and the
// gazetteer's load time and heap, against a baseline of scanning the same
// text for capitalised words (the cheapest possible recognizer).
func BenchmarkGeoparse(b *testing.B) {
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	g, err := Read(newReader())
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	text := strings.Repeat("Kharkiv Governor Oleh Syniehubov said Russian forces shelled Kharkiv and Chuhuiv overnight. "+
		"In Gainesville, Ga., police said the fire started near Atlanta. Troops left Lyman in the Donetsk region. ", 50)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	baseStart := time.Now()
	caps := 0
	for i := 0; i < b.N; i++ {
		for _, w := range strings.Fields(text) {
			if w[0] >= 'A' && w[0] <= 'Z' {
				caps++
			}
		}
	}
	base := time.Since(baseStart)
	parseStart := time.Now()
	for i := 0; i < b.N; i++ {
		g.Parse(text)
	}
	parse := time.Since(parseStart)
	b.ReportMetric(float64(len(text)*b.N)/1024/parse.Seconds(), "KB/s")
	b.ReportMetric(parse.Seconds()/base.Seconds(), "time-vs-caps-scan")
	b.ReportMetric(load.Seconds()*1000, "load-ms")
	b.ReportMetric(float64(ms1.HeapAlloc-ms0.HeapAlloc)/(1<<20), "gazetteer-MiB")
	_ = caps
}
