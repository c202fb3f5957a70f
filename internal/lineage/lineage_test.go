package lineage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/demo/demotest"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

func demo(t *testing.T) (store.Store, map[string]*model.Article) { return demotest.Store(t) }

func TestDemoDerivations(t *testing.T) {
	st, by := demo(t)
	type link struct{ from, to, kind string }
	want := []link{
		{"a01-meridian-ferry.html", "a02-courier-ferry.html", model.KindDuplicate},
		{"a01-meridian-ferry.html", "a05-beacon-ferry.txt", model.KindRewrite},
		{"a01-meridian-ferry.html", "a06-newsstack-ferry.txt", model.KindNearDuplicate},
		{"a01-meridian-ferry.html", "a07-oost-ferry-nl.txt", model.KindTranslation},
		{"b01-meridian-wildfire.html", "b03-signal-wildfire.txt", model.KindPartial},
	}
	for _, w := range want {
		a, b := by[w.from], by[w.to]
		ds, err := st.Derivations(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got *model.Derivation
		for i := range ds {
			if ds[i].From == a.ID && ds[i].To == b.ID {
				got = &ds[i]
			}
		}
		switch {
		case got == nil:
			t.Errorf("%s → %s: no directed derivation; want %s", w.from, w.to, w.kind)
		case got.Kind != w.kind || !got.Directed:
			t.Errorf("%s → %s: %s (directed %v); want directed %s", w.from, w.to, got.Kind, got.Directed, w.kind)
		case !strings.HasPrefix(got.Evidence.Direction, "credit:") || got.Evidence.Rule == "" || len(got.Evidence.Passages) == 0:
			t.Errorf("%s → %s: evidence %+v lacks the credit rule, a rule or passages", w.from, w.to, got.Evidence)
		}
	}
	// Passages point at the same text in both articles.
	ds, _ := st.Derivations(context.Background(), by["a02-courier-ferry.html"].ID)
	for _, d := range ds {
		if d.Kind != model.KindDuplicate {
			continue
		}
		p := d.Evidence.Passages[0]
		from, to := []rune(by["a01-meridian-ferry.html"].Text), []rune(by["a02-courier-ferry.html"].Text)
		if string(from[p.FromStart:p.FromEnd]) != string(to[p.ToStart:p.ToEnd]) {
			t.Errorf("duplicate passage offsets do not select the same text")
		}
	}
}

func TestDemoIndependentSources(t *testing.T) {
	_, by := demo(t)
	wire := by["a01-meridian-ferry.html"].Lineage
	// Copies share the wire's lineage; independent reports have their own.
	for _, f := range []string{"a02-courier-ferry.html", "a05-beacon-ferry.txt", "a06-newsstack-ferry.txt", "a07-oost-ferry-nl.txt"} {
		if by[f].Lineage != wire {
			t.Errorf("%s lineage %s; want the wire's %s", f, by[f].Lineage, wire)
		}
	}
	for _, f := range []string{"a03-observer-ferry.html", "a04-meridian-ferry-toll.html", "a08-civic-ledger.jsonl#1", "a08-civic-ledger.jsonl#2", "c02-courier-strike.html", "c03-oost-strike-nl.txt", "b02-levante-wildfire.html"} {
		a := by[f]
		if a == nil {
			t.Fatalf("no article %s", f)
		}
		if a.Lineage != a.ID {
			t.Errorf("%s (independent reporting) joined lineage %s", f, a.Lineage)
		}
	}
	// The travel piece reuses wire passages but adds its own reporting: the
	// link is kept, the lineages are not merged.
	if by["b03-signal-wildfire.txt"].Lineage == by["b01-meridian-wildfire.html"].Lineage {
		t.Errorf("a partial reuse merged lineages")
	}
	if by["c01-meridian-strike.html"].Lineage == by["c03-oost-strike-nl.txt"].Lineage {
		t.Errorf("the Dutch strike report, written independently with the same figures, was linked to the wire")
	}
}

func TestNoLinksFromThinContent(t *testing.T) {
	mk := func(id, lang, text string) *lineage.Prepared {
		return lineage.Prepare(&model.Article{ID: id, Language: lang, Text: text})
	}
	tests := []struct{ name, a, b string }{
		{"headline only", "Ferry capsizes off Lesbos, at least 12 dead", "Ferry capsizes off Lesbos, at least 12 dead in storm"},
		{"numbers list", "12, 71, 86, 9, 23, 4, 2026, 14, 10, 95.", "12, 71, 86, 9, 23, 4, 2026, 14, 10, 95, 7."},
		{"mostly quotes", strings.Repeat(`“We are doing everything we can to find the missing, but the sea is very difficult and the wind is strong,” Alexiou said. `, 4),
			strings.Repeat(`“We are doing everything we can to find the missing, but the sea is very difficult and the wind is strong,” the spokesman said. `, 4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, note := lineage.Compare(mk("a", "en", tc.a), mk("b", "en", tc.b))
			if d != nil {
				t.Errorf("linked as %s: %s", d.Kind, d.Evidence.Rule)
			}
			if !strings.Contains(note, "too little content") {
				t.Errorf("note = %q; want the content threshold named", note)
			}
		})
	}
}

func FuzzCompare(f *testing.F) {
	f.Add("A ferry capsized off Lesbos. 12 died.", "Een veerboot kapseisde. 12 doden.", "en", "nl")
	f.Add("", "x", "", "")
	f.Add(strings.Repeat("Mr. A. B. said “x.” ", 30), strings.Repeat("4,5 and 200,000 — “", 30), "en", "en")
	f.Fuzz(func(t *testing.T, a, b, la, lb string) {
		pa := lineage.Prepare(&model.Article{ID: "a", Language: la, Text: a})
		pb := lineage.Prepare(&model.Article{ID: "b", Language: lb, Text: b})
		lineage.Signature(pa)
		d, _ := lineage.Compare(pa, pb)
		if d == nil {
			return
		}
		ra, rb := len([]rune(a)), len([]rune(b))
		for _, p := range d.Evidence.Passages {
			fromLen, toLen := ra, rb
			if d.From == "b" {
				fromLen, toLen = rb, ra
			}
			if p.FromStart < 0 || p.FromEnd > fromLen || p.FromStart > p.FromEnd || p.ToStart < 0 || p.ToEnd > toLen || p.ToStart > p.ToEnd {
				t.Fatalf("passage %+v out of range (%d, %d)", p, fromLen, toLen)
			}
		}
	})
}

// TestLinkFallsBackToText: a candidate stored without features (by a
// version before the features table) or with features that do not
// decode is prepared from its text, and linked as before.
func TestLinkFallsBackToText(t *testing.T) {
	ctx := context.Background()
	text := "A ferry carrying 86 passengers capsized off Lesbos on Monday, the Hellenic Coast Guard said, and 12 people were missing. " +
		"Divers from Mytilene searched the wreck through the night while Alexiou Marina staff sheltered 40 survivors in Petra. " +
		"The Agia Marina left Ayvalik at 9 a.m. and sank four miles from the coast in winds of 70 kilometres an hour, officials said. " +
		"Turkey's disaster agency AFAD sent two boats to help the Greek search near Molyvos, according to the Kalloni harbour master."
	for _, tc := range []struct {
		name     string
		features []byte
	}{{"none", nil}, {"damaged", []byte{1, 0xff}}} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := sqlite.Open(ctx, t.TempDir()+"/x.db")
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			orig := &model.Article{ID: "o-" + tc.name, Key: "o-" + tc.name, Source: "Meridian Wire", Language: "en", Text: text}
			f := lineage.FeaturesOf(orig)
			if _, err := st.PutArticle(ctx, store.ArticleWrite{Article: orig, Fingerprint: f.Prepared.Fingerprint, Bands: f.Bands, Features: tc.features}); err != nil {
				t.Fatal(err)
			}
			cp := &model.Article{ID: "c-" + tc.name, Key: "c-" + tc.name, Source: "Courier", Language: "en", Text: text}
			w, err := lineage.NewLinker(st).Link(ctx, cp)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Derivations) != 1 || w.Derivations[0].Kind != model.KindDuplicate || w.Features == nil {
				t.Errorf("derivations %+v, features %d bytes; want one duplicate, and the copy's features", w.Derivations, len(w.Features))
			}
		})
	}
}

// TestReorientKeepsDecisions: with the roles as they were when the demo
// was linked (none), deciding every source's copies again changes
// nothing: the stored features give the same credit lines, times and
// containment as the texts did.
func TestReorientKeepsDecisions(t *testing.T) {
	st, by := demo(t)
	ctx := context.Background()
	sources := map[string]bool{}
	for _, a := range by {
		sources[a.Source] = true
	}
	links := 0
	for s := range sources {
		ds, err := st.SourceDerivations(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		links += len(ds)
		if n, err := lineage.Reorient(ctx, st, s); err != nil || n != 0 {
			t.Errorf("Reorient(%s) = %d, %v; want nothing changed", s, n, err)
		}
	}
	if links == 0 {
		t.Fatal("the demo has no links to decide again")
	}
}

// TestCorrectSource: what correcting a source stores, and when it decides
// the direction of stored copies again (a role votes on it): when the
// role changes, when a source with a role is renamed, and whenever asked,
// but not for a rename without a role or any other correction.
func TestCorrectSource(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		fix        func(*model.Source)
		reorient   bool
		moved      bool
		reoriented bool
	}{
		{"nothing changed", func(*model.Source) {}, false, false, false},
		{"nothing changed, asked to decide again", func(*model.Source) {}, true, false, true},
		{"a homepage", func(s *model.Source) { s.Home = "https://newsstack.example/" }, false, false, false},
		{"a role", func(s *model.Source) { s.Role = model.RoleAggregator }, false, false, true},
		{"a name, no role", func(s *model.Source) { s.Name = "Newsstack Daily" }, false, true, false},
		{"a name and a role", func(s *model.Source) { s.Name, s.Role = "Newsstack Daily", model.RoleAggregator }, false, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, by := demo(t)
			name := by["a06-newsstack-ferry.txt"].Source
			id, _, err := st.AddSource(ctx, &model.Source{Name: name, FeedURL: "https://newsstack.example/feed", Every: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			was, err := st.GetSource(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			now := *was
			tc.fix(&now)
			c, err := lineage.CorrectSource(ctx, st, *was, now, tc.reorient)
			if err != nil {
				t.Fatal(err)
			}
			if c.Reoriented != tc.reoriented || (c.Moved > 0) != tc.moved {
				t.Errorf("correction = %+v; want reoriented %v, articles moved %v", c, tc.reoriented, tc.moved)
			}
			got, err := st.GetSource(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != now.Name || got.Role != now.Role || got.Home != now.Home {
				t.Errorf("stored %q %q %q; want %q %q %q", got.Name, got.Role, got.Home, now.Name, now.Role, now.Home)
			}
		})
	}
}
