package story

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite/sqlitetest"
)

// tinyDict is a few CC-CEDICT-shaped entries, written for these tests.
const tinyDict = `[
{"traditional":"颶風","simplified":"飓风","pinyin":"ju4 feng1","english":["hurricane"]},
{"traditional":"委內瑞拉","simplified":"委内瑞拉","pinyin":"Wei3 nei4 rui4 la1","english":["Venezuela"]},
{"traditional":"逮捕","simplified":"逮捕","pinyin":"dai4 bu3","english":["to arrest","an arrest"]},
{"traditional":"王","simplified":"王","pinyin":"Wang2","english":["surname Wang"]},
{"traditional":"王國","simplified":"王国","pinyin":"wang2 guo2","english":["see 國家|国家[guo2 jia1]","kingdom"]}
]`

func testDict(t *testing.T) *Dict {
	t.Helper()
	d, err := ReadDict(strings.NewReader(tinyDict))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStem(t *testing.T) {
	same := [][]string{
		{"strike", "strikes", "striking"}, {"flood", "floods", "flooding", "flooded"}, {"city", "cities"},
		{"ferry", "ferries"}, {"stop", "stopped", "stopping"}, {"bus", "buses"}, {"watch", "watches"},
		{"hurricane", "hurricanes"}, {"arrest", "arrested", "arrests"},
	}
	for _, ws := range same {
		for _, w := range ws[1:] {
			if Stem(w) != Stem(ws[0]) {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q; want equal", w, Stem(w), ws[0], Stem(ws[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"news", "new"}, {"press", "pres"}, {"strike", "street"}, {"minister", "ministry"}} {
		if Stem(pair[0]) == Stem(pair[1]) {
			t.Errorf("Stem(%q) = Stem(%q) = %q; want different", pair[0], pair[1], Stem(pair[0]))
		}
	}
}

func TestTermsAcrossLanguages(t *testing.T) {
	d := testDict(t)
	en := Terms("Hurricane Fiona heads to Bermuda, eight dead", "Hurricane Fiona killed 8 people in Puerto Rico.", "", &Glossary{Chinese: d})
	ms := Terms("Taufan Fiona menuju ke arah Bermuda, lapan maut", "Fiona mengorbankan 8 nyawa di Puerto Rico.", "", &Glossary{Chinese: d})
	zh := Terms("飓风菲奥娜", "委内瑞拉警方逮捕了8人。", "", &Glossary{Chinese: d})
	for _, term := range []string{"fiona", "bermuda", "#8", "puerto", "rico"} {
		if en[term] == 0 || ms[term] == 0 {
			t.Errorf("term %q: en %v, ms %v; want both", term, en[term], ms[term])
		}
	}
	for _, term := range []string{Stem("hurricane"), Stem("venezuela"), Stem("arrest"), "#8", "zh:飓风"} {
		if zh[term] == 0 {
			t.Errorf("Chinese text lacks term %q: %v", term, zh)
		}
	}
	if en[Stem("hurricane")] == 0 {
		t.Errorf("English lacks the stem the Chinese gloss gives: %v", en)
	}
	// Function words are never terms; names weigh more than words.
	for _, stop := range []string{"to", "in", "ke", "di", "arah"} {
		if en[stop] != 0 || ms[stop] != 0 {
			t.Errorf("stopword %q is a term", stop)
		}
	}
	plain := Terms("", "the people were killed", "", nil)
	named := Terms("", "the people met Fiona", "", nil)
	if named["fiona"] <= plain["people"] {
		t.Errorf("a name (%v) should weigh more than a word (%v)", named["fiona"], plain["people"])
	}
	// Without a dictionary, Chinese falls back to character bigrams.
	if bi := Terms("", "委内瑞拉", "", nil); bi["zh:委内"] == 0 || bi[Stem("venezuela")] != 0 {
		t.Errorf("bigram fallback = %v", bi)
	}
}

func TestReadDict(t *testing.T) {
	d := testDict(t)
	if n, g := d.Longest([]rune("委内瑞拉警方")); n != 4 || len(g) != 1 || g[0] != Stem("venezuela") {
		t.Errorf("Longest = %d %v", n, g)
	}
	// Surnames and cross-references are skipped for the next sense;
	// traditional characters gloss like simplified.
	if n, g := d.Longest([]rune("王國")); n != 2 || len(g) != 1 || g[0] != Stem("kingdom") {
		t.Errorf("Longest(王國) = %d %v", n, g)
	}
	if n, _ := d.Longest([]rune("王")); n != 0 {
		t.Errorf("single characters are not glossed")
	}
	for _, bad := range []string{``, `{}`, `[]`, `[{"simplified": 3}]`} {
		if _, err := ReadDict(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadDict(%q) accepted", bad)
		}
	}
	lazy := OpenDict(filepath.Join(t.TempDir(), "missing.json"))
	if tf := Terms("", "委内瑞拉", "", &Glossary{Chinese: lazy}); tf["zh:委内"] == 0 || lazy.Err() == nil {
		t.Errorf("a missing dictionary should fall back to bigrams and say why: %v, %v", tf, lazy.Err())
	}
}

func newStore(t *testing.T) store.Store { return sqlitetest.Temp(t) }

// put clusters and stores one article.
func put(t *testing.T, st store.Store, c *Clusterer, key, title, text string, pub *time.Time, derivs ...model.Derivation) *model.Article {
	t.Helper()
	a := &model.Article{Key: key, ID: model.ArticleID(key), Source: "Outlet " + key, Title: title, Text: text, Published: pub, Language: "en"}
	w, err := c.Assign(context.Background(), a, derivs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutArticle(context.Background(), store.ArticleWrite{Article: a, Story: w, Derivations: derivs}); err != nil {
		t.Fatal(err)
	}
	return a
}

func date(m time.Month, d int) *time.Time {
	t := time.Date(2026, m, d, 9, 0, 0, 0, time.UTC)
	return &t
}

const (
	ferryA = "A passenger ferry capsized off Lesbos on Saturday. The Agia Marina was carrying 86 passengers to Ayvalik when it listed in a storm, the Hellenic Coast Guard said. Divers recovered 12 bodies."
	ferryB = "Twelve people died when the Agia Marina overturned between Lesbos and Ayvalik, the coast guard in Mytilene said. The ferry had 86 passengers on board."
	strike = "Dockworkers in Rotterdam began a 48-hour strike over pay on Monday, halting container terminals at Maasvlakte, the FNV union said."
)

func TestAssign(t *testing.T) {
	st := newStore(t)
	c := New(st, nil)
	a := put(t, st, c, "a", "Ferry capsizes off Lesbos", ferryA, date(3, 14))
	b := put(t, st, c, "b", "Lesbos ferry: 12 dead", ferryB, date(3, 14))
	s := put(t, st, c, "s", "Rotterdam port strike", strike, date(3, 15))
	if a.Story == 0 || b.Story != a.Story || s.Story == a.Story {
		t.Fatalf("stories: a %d b %d strike %d", a.Story, b.Story, s.Story)
	}
	as, err := st.Assignment(context.Background(), b.ID)
	if err != nil || as.Via != model.ViaSimilarity || as.Score < c.Threshold || len(as.Shared) == 0 {
		t.Errorf("b's placement = %+v, %v", as, err)
	}
	// The same cast months later is another event.
	later := put(t, st, c, "later", "Ferry capsizes off Lesbos", ferryA, date(9, 20))
	if later.Story == a.Story {
		t.Errorf("an article six months later joined the March story")
	}
	// A copy joins the story of what it copies, whatever its words.
	d := model.Derivation{From: s.ID, To: model.ArticleID("copy"), Kind: model.KindTranslation, Score: 0.8, Directed: true}
	cp := put(t, st, c, "copy", "Havenstaking", "Havenarbeiders leggen het werk neer.", date(3, 15), d)
	if cp.Story != s.Story {
		t.Errorf("copy went to story %d; want the strike's %d", cp.Story, s.Story)
	}
	if as, _ := st.Assignment(context.Background(), cp.ID); as.Via != model.ViaLineage || as.Copies != s.ID {
		t.Errorf("copy placement = %+v", as)
	}
}

// TestCopyOfTwoStoriesMergesThem: a report copying articles that sit in
// two stories shows they are one event; the older story absorbs the other
// and the merge is recorded.
func TestCopyOfTwoStoriesMergesThem(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	c := New(st, nil)
	a := put(t, st, c, "a", "Ferry capsizes off Lesbos", ferryA, date(3, 14))
	s := put(t, st, c, "s", "Rotterdam port strike", strike, date(3, 15))
	if a.Story == s.Story {
		t.Fatal("setup: the two reports share a story")
	}
	both := []model.Derivation{
		{From: a.ID, To: model.ArticleID("digest"), Kind: model.KindRewrite, Score: 0.7, Directed: true},
		{From: s.ID, To: model.ArticleID("digest"), Kind: model.KindNearDuplicate, Score: 0.9, Directed: true},
	}
	d := put(t, st, c, "digest", "Digest", ferryA+" "+strike, date(3, 15), both...)
	got, _ := st.ArticleStories(ctx, []string{a.ID, s.ID, d.ID})
	if got[a.ID] != a.Story || got[s.ID] != a.Story || got[d.ID] != a.Story {
		t.Errorf("after the digest: stories %v; want all in the older story %d", got, a.Story)
	}
	cs, _ := st.StoryCorrections(ctx, a.Story)
	if len(cs) != 1 || cs[0].Who != "crosscheck" || cs[0].Other != s.Story {
		t.Errorf("merge record = %+v", cs)
	}
	// Partial reuse does not merge: quoting two reports is not copying them.
	p := put(t, st, c, "p", "Rotterdam port strike", strike, date(9, 1))
	q := put(t, st, c, "q", "Ferry capsizes off Lesbos", ferryA, date(9, 2))
	partial := []model.Derivation{
		{From: p.ID, To: model.ArticleID("quotes"), Kind: model.KindPartial, Score: 0.9, Directed: true},
		{From: q.ID, To: model.ArticleID("quotes"), Kind: model.KindPartial, Score: 0.5, Directed: true},
	}
	put(t, st, c, "quotes", "Week in review", "Both.", date(9, 2), partial...)
	got, _ = st.ArticleStories(ctx, []string{p.ID, q.ID})
	if got[p.ID] == got[q.ID] {
		t.Errorf("partial reuse merged two stories")
	}
}

// TestAssignRespectsCorrections: after an analyst merges two stories,
// later reports of either go to the survivor; an article moved by an
// analyst keeps its place while others arrive.
func TestAssignRespectsCorrections(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	c := New(st, nil)
	a := put(t, st, c, "a", "Ferry capsizes off Lesbos", ferryA, date(3, 14))
	s := put(t, st, c, "s", "Rotterdam port strike", strike, date(3, 15))
	if err := st.CorrectStories(ctx, &model.StoryCorrection{Action: model.CorrectMerge, Story: a.Story, Other: s.Story, Who: "t"}); err != nil {
		t.Fatal(err)
	}
	n := put(t, st, c, "n", "Strike continues in Rotterdam", strike+" Talks resume on Wednesday.", date(3, 16))
	if n.Story != a.Story {
		t.Errorf("new strike report went to %d; the merged story lives on as %d", n.Story, a.Story)
	}
	if err := st.CorrectStories(ctx, &model.StoryCorrection{Action: model.CorrectSplit, Story: a.Story, Articles: []string{s.ID, n.ID}}); err != nil {
		t.Fatal(err)
	}
	ss, _ := st.ArticleStories(ctx, []string{s.ID, n.ID})
	m := put(t, st, c, "m", "Rotterdam strike ends", strike+" The union accepted a 6% offer.", date(3, 17))
	if m.Story != ss[s.ID] || m.Story == a.Story {
		t.Errorf("after the split, a strike report went to %d; want the split-off %d", m.Story, ss[s.ID])
	}
	if got, _ := st.ArticleStories(ctx, []string{s.ID}); got[s.ID] != ss[s.ID] {
		t.Errorf("a moved article moved again")
	}
}

// TestAssignBadInput: articles with only a title, no date, no words the
// tokenizer knows, or nothing at all still get a story.
func TestAssignBadInput(t *testing.T) {
	st := newStore(t)
	c := New(st, nil)
	put(t, st, c, "a", "Ferry capsizes off Lesbos", ferryA, date(3, 14))
	for _, tc := range []struct{ key, title, text string }{
		{"title-only", "Ferry capsizes off Lesbos", ""},
		{"undated", "Lesbos ferry", ferryB},
		{"amharic", "", "የመንገደኞች ጀልባ በሌስቦስ አቅራቢያ ተገለበጠ።"},
		{"thai", "", "เรือข้ามฟากล่มนอกเกาะเลสบอส"},
		{"punctuation", "", "… — !!! ???"},
		{"empty", "", ""},
	} {
		a := put(t, st, c, tc.key, tc.title, tc.text, nil)
		if a.Story == 0 {
			t.Errorf("%s: no story", tc.key)
		}
	}
}

func TestDescribe(t *testing.T) {
	arts := []*model.Article{
		{ID: "w", Lineage: "w", Source: "Wire", Title: "Ferry capsizes off Lesbos", Text: ferryA},
		{ID: "c", Lineage: "w", Source: "Copy", Title: "Ferry capsizes off Lesbos", Text: ferryA},
		{ID: "o", Lineage: "o", Source: "Observer", Title: "Seventeen dead in Lesbos ferry disaster", Text: "MYTILENE, Greece (Observer) — Seventeen people died when the Agia Marina overturned between Lesbos and Ayvalik on Saturday, the regional authority said in the evening."},
		{ID: "x", Lineage: "x", Source: "Other", Title: "Opinion: ferries", Text: "Ferries are old and need replacing across the islands of the Aegean."},
	}
	centroid := map[string]float64{}
	for _, a := range arts[:3] {
		for t, w := range Terms(a.Title, a.Text, "", nil) {
			centroid[t] += w
		}
	}
	d := describe(&model.Story{ID: 1}, arts, centroid)
	if d.Title != "Ferry capsizes off Lesbos" {
		t.Errorf("title = %q", d.Title)
	}
	if len(d.Lineages) != 3 || len(d.Lineages[0]) != 2 || d.Lineages[0][0].ID != "w" || len(d.Sources) != 4 {
		t.Errorf("lineages = %v, sources %v", d.Lineages, d.Sources)
	}
	if len(d.Summary) < 2 || d.Summary[0].Article == d.Summary[1].Article {
		t.Fatalf("summary = %+v; want sentences from different lineages", d.Summary)
	}
	from := map[string]bool{}
	for _, s := range d.Summary {
		from[s.Article] = true
	}
	for _, s := range d.Summary {
		if strings.HasPrefix(s.Text, "MYTILENE") {
			t.Errorf("summary sentence keeps its dateline: %q", s.Text)
		}
	}
	if from["w"] && from["c"] {
		t.Errorf("summary takes two sentences from one lineage before others: %+v", d.Summary)
	}
}

// match builds what the store returns for a centroid.
func match(c map[string]float64) store.StoryMatch {
	var n, shared float64
	for t, w := range c {
		n += w * w
		if !strings.HasPrefix(t, "zh:") {
			shared += w * w
		}
	}
	return store.StoryMatch{Weights: c, Norm: math.Sqrt(n), SharedNorm: math.Sqrt(shared)}
}

func TestCosine(t *testing.T) {
	a := map[string]float64{"x": 1}
	if got := cosine(a, match(map[string]float64{"x": 2})); math.Abs(got-1) > 1e-9 {
		t.Errorf("cosine of parallel vectors = %v", got)
	}
	if got := cosine(a, match(map[string]float64{})); got != 0 {
		t.Errorf("cosine with empty = %v", got)
	}
	// Only the article's terms are read; the length stands for the rest.
	full := map[string]float64{"x": 1, "y": 1}
	partial := store.StoryMatch{Weights: map[string]float64{"x": 1}, Norm: math.Sqrt2}
	if math.Abs(cosine(a, match(full))-cosine(a, partial)) > 1e-9 {
		t.Errorf("cosine differs on a partial centroid")
	}
	// A Chinese report is compared on what other languages can share.
	zh := map[string]float64{"zh:飓风": 0.9, "hurrica": 0.3, "#8": 0.3}
	en := match(map[string]float64{"hurrica": 1, "#8": 1})
	if similarity(zh, en) <= cosine(zh, en) {
		t.Errorf("similarity should discount untranslated words")
	}
	// And an English report against a story told so far in Chinese.
	zhStory := match(map[string]float64{"zh:飓风": 2, "hurrica": 0.5, "#8": 0.5})
	english := map[string]float64{"hurrica": 1, "#8": 1}
	if s := similarity(english, zhStory); s < 0.99 || cosine(english, zhStory) > 0.5 {
		t.Errorf("English vs a Chinese story: similarity %.3f (cosine %.3f); want the shared terms to decide", s, cosine(english, zhStory))
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{ferryA, "飓风委内瑞拉 COVID-19 1,300人", "S$500 F-35 3.5% 1.2.3", "Ünïcödé — «quoted» l'Acropole", "\x00\xff"} {
		f.Add(s)
	}
	d, _ := ReadDict(strings.NewReader(tinyDict))
	f.Fuzz(func(t *testing.T, s string) {
		for term, w := range Terms(s, s, "", &Glossary{Chinese: d}) {
			if term == "" || math.IsNaN(w) || math.IsInf(w, 0) || w <= 0 {
				t.Fatalf("term %q weight %v", term, w)
			}
		}
	})
}

func FuzzReadDict(f *testing.F) {
	f.Add(tinyDict)
	f.Add(`[{"simplified":"天气","traditional":"天氣","english":["weather"]}]`)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadDict(strings.NewReader(s))
		if err == nil {
			d.Longest([]rune(s))
		}
	})
}

// freeDict builds a tiny dictd dictionary in FreeDict's layout.
func freeDict(t *testing.T, entries map[string]string) (index, data *bytes.Buffer) {
	t.Helper()
	var body bytes.Buffer
	index = &bytes.Buffer{}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b64 := func(n int) string {
		if n == 0 {
			return "A"
		}
		var s []byte
		for ; n > 0; n /= 64 {
			s = append([]byte{alphabet[n%64]}, s...)
		}
		return string(s)
	}
	heads := make([]string, 0, len(entries))
	for h := range entries {
		heads = append(heads, h)
	}
	sort.Strings(heads)
	for _, h := range heads {
		e := entries[h]
		fmt.Fprintf(index, "%s\t%s\t%s\n", h, b64(body.Len()), b64(len(e)))
		body.WriteString(e)
	}
	data = &bytes.Buffer{}
	zw := gzip.NewWriter(data)
	zw.Write(body.Bytes())
	zw.Close()
	return index, data
}

func TestReadFreeDict(t *testing.T) {
	idx, data := freeDict(t, map[string]string{
		"earthquake": "earthquake /ˈɜːθ.kweɪk/ <n>\ngempa bumi, gempa\nshaking of the ground\n",
		"court":      "court /kɔːt/ <n>\n1. lapangan\nenclosed space\n2. pengadilan, mahkamah 2.\nplace where justice is administered\n 3.\ntribunal\n",
		"the":        "the /ðə/ <art>\nitu\ndefinite article\n",
	})
	lex, err := ReadFreeDict(idx, data)
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]string{"gempa bumi": "earthquak", "gempa": "earthquak", "mahkamah": "court", "pengadilan": "court", "lapangan": "court"} {
		if g := lex.Lookup(w); len(g) != 1 || g[0] != Stem(want) {
			t.Errorf("Lookup(%q) = %v; want [%s]", w, g, Stem(want))
		}
	}
	for _, w := range []string{"itu", "place", "tribunal", "shaking"} {
		if g := lex.Lookup(w); g != nil {
			t.Errorf("Lookup(%q) = %v; function words and English definitions are not translations", w, g)
		}
	}
	ms := Terms("Gempa bumi kuat landa Mexico", "Mahkamah menolak rayuan.", "ms", &Glossary{Malay: lex})
	en := Terms("Strong earthquake hits Mexico", "The court rejected the appeal.", "en", &Glossary{Malay: lex})
	for _, term := range []string{Stem("earthquake"), Stem("court"), "mexico"} {
		if ms[term] == 0 || en[term] == 0 {
			t.Errorf("term %q: ms %v, en %v", term, ms[term], en[term])
		}
	}
	// English text is not glossed as Malay.
	if en2 := Terms("", "The gempa was strong.", "en", &Glossary{Malay: lex}); en2[Stem("earthquake")] != 0 {
		t.Errorf("English text glossed as Malay")
	}
	for name, bad := range map[string][2]string{
		"not gzip":   {"a\tA\tB\n", "plain"},
		"bad offset": {"a\tZZZZ\tB\n", ""},
	} {
		var d bytes.Buffer
		if bad[1] == "" {
			zw := gzip.NewWriter(&d)
			zw.Write([]byte("x"))
			zw.Close()
		} else {
			d.WriteString(bad[1])
		}
		if _, err := ReadFreeDict(strings.NewReader(bad[0]), &d); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestPlaceUnclustered: articles stored before stories existed are placed
// in publication order; a second run has nothing to do.
func TestPlaceUnclustered(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for _, x := range []struct {
		key, title, text string
		pub              *time.Time
	}{
		{"b", "Lesbos ferry: 12 dead", ferryB, date(3, 15)},
		{"s", "Rotterdam port strike", strike, nil},
		{"a", "Ferry capsizes off Lesbos", ferryA, date(3, 14)},
	} {
		a := &model.Article{Key: x.key, ID: model.ArticleID(x.key), Title: x.title, Text: x.text, Published: x.pub, Language: "en"}
		if _, err := st.PutArticle(ctx, store.ArticleWrite{Article: a}); err != nil {
			t.Fatal(err)
		}
	}
	c := New(st, nil)
	n, err := c.PlaceUnclustered(ctx)
	if err != nil || n != 3 {
		t.Fatalf("PlaceUnclustered = %d, %v", n, err)
	}
	got, _ := st.ArticleStories(ctx, []string{model.ArticleID("a"), model.ArticleID("b"), model.ArticleID("s")})
	a, b, s := got[model.ArticleID("a")], got[model.ArticleID("b")], got[model.ArticleID("s")]
	if a == 0 || a != b || s == a || a > s {
		t.Errorf("stories a %d b %d s %d; want the ferry reports together, placed first (earliest published)", a, b, s)
	}
	if as, _ := st.Assignment(ctx, model.ArticleID("a")); as.Via != model.ViaNew {
		t.Errorf("the earliest ferry report should start its story: %+v", as)
	}
	if n, err := c.PlaceUnclustered(ctx); err != nil || n != 0 {
		t.Errorf("second run = %d, %v; want nothing to do", n, err)
	}
	w, _ := c.Assign(ctx, &model.Article{ID: model.ArticleID("a"), Text: ferryA}, nil)
	if err := st.PlaceArticle(ctx, &model.Article{ID: model.ArticleID("a")}, w); err == nil {
		t.Errorf("placing an article that has a story was accepted")
	}
}
