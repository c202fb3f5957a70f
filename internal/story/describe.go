package story

import (
	"context"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Summary sizes.
const (
	summarySentences = 3
	leadSentences    = 4 // sentences of each article considered
)

// Description is what a story is called and says, with its members
// grouped by lineage (independent reports).
type Description struct {
	Story *model.Story
	// Title is the headline of the member closest to the story's centroid.
	Title string
	// Summary is a few sentences drawn from different lineages, closest
	// to the centroid first.
	Summary []SummarySentence
	// Lineages groups the members: each group is one independent report
	// and its copies, founder first; groups in order of first appearance.
	Lineages [][]*model.Article
	// Sources are the outlets, in order of first appearance.
	Sources []string
}

// SummarySentence is one extracted sentence and where it comes from.
type SummarySentence struct {
	Text    string `json:"text"`
	Article string `json:"article"`
	Source  string `json:"source"`
}

// Describe loads a story's members and centroid and describes it.
func Describe(ctx context.Context, st store.Store, s *model.Story) (*Description, error) {
	arts, err := st.StoryArticles(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	cents, err := st.StoryCentroids(ctx, []int64{s.ID})
	if err != nil {
		return nil, err
	}
	return describe(s, arts, cents[s.ID]), nil
}

func describe(s *model.Story, arts []*model.Article, centroid map[string]float64) *Description {
	d := &Description{Story: s}
	byLineage := map[string]int{}
	seenSource := map[string]bool{}
	for _, a := range arts {
		lin := a.Lineage
		if lin == "" {
			lin = a.ID
		}
		i, ok := byLineage[lin]
		if !ok {
			i = len(d.Lineages)
			byLineage[lin] = i
			d.Lineages = append(d.Lineages, nil)
		}
		if a.ID == lin {
			d.Lineages[i] = append([]*model.Article{a}, d.Lineages[i]...)
		} else {
			d.Lineages[i] = append(d.Lineages[i], a)
		}
		if !seenSource[a.Source] {
			seenSource[a.Source] = true
			d.Sources = append(d.Sources, a.Source)
		}
	}
	bestTitle := -1.0
	type cand struct {
		text    string
		art     *model.Article
		lineage int
		score   float64
		words   map[string]bool
	}
	var cands []cand
	for li, group := range d.Lineages {
		for _, a := range group {
			if t := strings.TrimSpace(a.Title); t != "" {
				// Copies share their founder's headline; the founder
				// (first in the group) wins ties.
				if sc := score(Terms(t, "", a.Language, nil), centroid); sc > bestTitle+1e-9 {
					bestTitle, d.Title = sc, t
				}
			}
			for _, sent := range lead(a.Text, leadSentences) {
				tf := Terms("", sent, a.Language, nil)
				cands = append(cands, cand{sent, a, li, score(tf, centroid), keys(tf)})
			}
		}
	}
	if d.Title == "" && len(arts) > 0 {
		d.Title = firstWords(arts[0].Text, 12)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	usedLineage := map[int]bool{}
	var picked []cand
	// One sentence per lineage first; then, if the story has fewer
	// lineages than summary sentences, more from the same ones.
	for pass := 0; pass < 2 && len(picked) < summarySentences; pass++ {
		for _, c := range cands {
			if len(picked) == summarySentences {
				break
			}
			if c.score <= 0 || (pass == 0 && usedLineage[c.lineage]) {
				continue
			}
			dup := false
			for _, p := range picked {
				dup = dup || p.text == c.text || words.Jaccard(p.words, c.words) > 0.5
			}
			if dup {
				continue
			}
			usedLineage[c.lineage] = true
			picked = append(picked, c)
		}
	}
	for _, p := range picked {
		d.Summary = append(d.Summary, SummarySentence{Text: p.text, Article: p.art.ID, Source: p.art.Source})
	}
	return d
}

// score is how central a piece of text is to a centroid: its terms'
// centroid weights, normalised so long sentences do not win by length.
//
// Terms are summed in sorted order: a sum in map order differs in its
// last bits from run to run, enough to reorder equally central sentences
// and change a story's summary between two exports of the same database.
func score(tf map[string]float64, centroid map[string]float64) float64 {
	var s, n float64
	for _, t := range slices.Sorted(maps.Keys(tf)) {
		w := tf[t]
		s += w * centroid[t]
		n += w * w
	}
	if n == 0 {
		return 0
	}
	return s / math.Sqrt(n)
}

// lead returns the first n sentences of text that read as sentences:
// long enough, ending in punctuation, not a dateline alone.
func lead(text string, n int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		for _, s := range splitSentences(para) {
			s = strings.TrimSpace(s[datelineEnd(s):])
			if len([]rune(s)) < 40 || len([]rune(s)) > 400 {
				continue
			}
			out = append(out, s)
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// datelineEnd returns where a leading dateline ("MYTILENE, Greece
// (Meridian Wire) — ") ends, or 0: a summary sentence reads without it.
func datelineEnd(s string) int {
	head := s[:min(len(s), 90)]
	for _, sep := range []string{" — ", " – ", " - ", " >> "} {
		i := strings.Index(head, sep)
		if i <= 0 {
			continue
		}
		place := head[:i]
		if p := strings.IndexByte(place, '('); p >= 0 {
			place = place[:p]
		}
		place, _, _ = strings.Cut(place, ",")
		place = strings.TrimSpace(place)
		if len(place) >= 3 && strings.ToUpper(place) == place && strings.ContainsFunc(place, unicode.IsLetter) {
			return i + len(sep)
		}
	}
	return 0
}

// splitSentences splits at ". ", "! ", "? " followed by a capital or a
// quote; good enough for choosing summary sentences.
func splitSentences(p string) []string {
	rs := []rune(p)
	var out []string
	start := 0
	for i := 0; i+2 < len(rs); i++ {
		if strings.ContainsRune(".!?。！？", rs[i]) && rs[i+1] == ' ' && (unicode.IsUpper(rs[i+2]) || strings.ContainsRune("\"“‘", rs[i+2])) {
			if i > 2 && rs[i] == '.' && unicode.IsUpper(rs[i-1]) && (rs[i-2] == ' ' || rs[i-2] == '.') {
				continue // an initial: "J. Smith", "U.S. officials"
			}
			out = append(out, string(rs[start:i+1]))
			start = i + 2
		}
	}
	return append(out, string(rs[start:]))
}

func keys(m map[string]float64) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func firstWords(text string, n int) string {
	f := strings.Fields(text)
	if len(f) > n {
		return strings.Join(f[:n], " ") + "…"
	}
	return strings.Join(f, " ")
}
