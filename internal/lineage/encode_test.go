package lineage

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// stored is what the store returns for a, with p's features.
func stored(a *model.Article, p *Prepared) store.CandidateFeatures {
	return store.CandidateFeatures{ID: a.ID, Source: a.Source, Language: a.Language, Published: a.Published,
		Fingerprint: p.Fingerprint, Features: p.Encode()}
}

// TestEncodeRoundTrip: a candidate decoded from its stored features is
// the candidate prepared from its text, field for field, on every
// article of both labelled copy-detection sets (several languages,
// quotes, credit lines, datelines).
func TestEncodeRoundTrip(t *testing.T) {
	n := 0
	for _, a := range labelled(t) {
		want := Prepare(a)
		got, err := decodeFeatures(stored(a, want))
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		if !reflect.DeepEqual(got.doc, want.doc) || got.prose != want.prose || got.Fingerprint != want.Fingerprint ||
			!reflect.DeepEqual(got.credited(), want.credited()) || len(want.credited()) == 0 {
			t.Errorf("%s: decoded features differ from prepared ones", a.ID)
		}
		if g, w := got.Article, a; g.ID != w.ID || g.Source != w.Source || g.Language != w.Language || !sameTime(g.Published, w.Published) {
			t.Errorf("%s: decoded article %+v", a.ID, g)
		}
		n++
	}
	if n < 40 {
		t.Fatalf("only %d articles read", n)
	}
}

// labelled reads the articles of both labelled copy-detection sets
// (several languages, quotes, credit lines, datelines), each with a
// credit line among what cleaning removed.
func labelled(t *testing.T) []*model.Article {
	t.Helper()
	var out []*model.Article
	for _, path := range []string{"../../testdata/lineage/articles.jsonl", "../../testdata/lineage-heldout/articles.jsonl"} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r struct {
				ID, Source, Language, Text string
				Published                  *time.Time
				Removed                    []model.Removal
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			out = append(out, &model.Article{ID: r.ID, Source: r.Source, Language: r.Language, Published: r.Published, Text: r.Text,
				Removed: append(r.Removed, model.Removal{Text: "© Meridian Wire 2026"})})
		}
		f.Close()
	}
	return out
}

// TestCarryRoundTrip: features handed to another process are the ones it
// would make from the same article: bands, fingerprint, encoding and
// everything Compare reads.
func TestCarryRoundTrip(t *testing.T) {
	for _, a := range labelled(t) {
		want := FeaturesOf(a)
		data, err := want.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalFeatures(a, data)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		g, w := got.Prepared, want.Prepared
		if !reflect.DeepEqual(got.Bands, want.Bands) || string(got.Encoded) != string(want.Encoded) || g.Article != a ||
			g.Fingerprint != w.Fingerprint || !reflect.DeepEqual(g.doc, w.doc) || g.prose != w.prose ||
			!reflect.DeepEqual(g.credited(), w.credited()) {
			t.Errorf("%s: carried features differ from those made again", a.ID)
		}
	}
	a := &model.Article{ID: "x", Text: "A ferry capsized off Lesbos on Monday. 12 people died, officials said."}
	good, _ := FeaturesOf(a).MarshalBinary()
	for name, data := range map[string][]byte{
		"empty":             nil,
		"other version":     append([]byte{carryVersion + 1}, good[1:]...),
		"truncated":         good[:len(good)-3],
		"left over":         append(append([]byte{}, good...), 0),
		"no features after": good[:len(good)-len(FeaturesOf(a).Encoded)],
	} {
		if f, err := UnmarshalFeatures(a, data); err == nil {
			t.Errorf("%s: unmarshalled %+v", name, f)
		}
	}
	if _, err := (Features{}).MarshalBinary(); err == nil {
		t.Error("empty Features marshalled")
	}
}

func FuzzUnmarshalFeatures(f *testing.F) {
	for _, text := range []string{"", "One. Two.", "A ferry capsized off Lesbos on Monday (Meridian Wire). 12 people died, “it was awful,” officials said."} {
		b, _ := FeaturesOf(&model.Article{ID: "x", Text: text}).MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := &model.Article{ID: "x"}
		got, err := UnmarshalFeatures(a, data)
		if err != nil {
			return
		}
		// What unmarshals marshals to the same bytes, and compares.
		if b, err := got.MarshalBinary(); err != nil || string(b) != string(data) {
			t.Fatalf("marshalled %x, %v; was %x", b, err, data)
		}
		Compare(got.Prepared, got.Prepared)
	})
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func TestDecodeRejects(t *testing.T) {
	a := &model.Article{ID: "x", Text: "A ferry capsized off Lesbos on Monday. 12 people died, officials said."}
	good := stored(a, Prepare(a))
	for name, data := range map[string][]byte{
		"empty":         nil,
		"other version": append([]byte{featuresVersion + 1}, good.Features[1:]...),
		"truncated":     good.Features[:len(good.Features)-3],
		"left over":     append(append([]byte{}, good.Features...), 0),
		"huge count":    {featuresVersion, 10, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		c := good
		c.Features = data
		if p, err := decodeFeatures(c); err == nil {
			t.Errorf("%s: decoded %+v", name, p)
		}
	}
}

func FuzzDecodeFeatures(f *testing.F) {
	for _, text := range []string{"", "One. Two.", "A ferry capsized off Lesbos on Monday (Meridian Wire). 12 people died, “it was awful,” officials said."} {
		a := &model.Article{ID: "x", Text: text}
		f.Add(Prepare(a).Encode())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodeFeatures(store.CandidateFeatures{ID: "x", Features: data})
		if err != nil {
			return
		}
		// What decodes re-encodes to the same bytes, and compares.
		if got := p.Encode(); string(got) != string(data) {
			t.Fatalf("re-encoded %x; was %x", got, data)
		}
		Compare(p, p)
	})
}
