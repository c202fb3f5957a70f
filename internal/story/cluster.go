package story

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Defaults, tuned on the MMDS dev set (docs/EVALUATION.md).
const (
	// DefaultThreshold is the similarity an article needs to join a story.
	DefaultThreshold = 0.18
	// DefaultWindow is how far an article's date may be from a story's
	// dated span and still join it: an event is reported within days.
	DefaultWindow = 10 * 24 * time.Hour
	vectorTerms   = 200 // terms kept per article vector
	// queryTerms are the article's heaviest terms used to look up
	// candidate stories: a story must share its most distinctive terms
	// to be considered at all. Fewer terms mean fewer, better candidates
	// (measured on MMDS dev; docs/EVALUATION.md).
	queryTerms    = 4
	maxCandidates = 30
	mentionShare  = 0.75 // a mention scores at least this share of the threshold
	// priorDocs smooths document frequencies as if the corpus held this
	// many more articles without the term: in a young database the terms
	// of its first big story are in most articles, and raw IDF would
	// discount exactly the names that identify the story.
	priorDocs = 20
)

// Clusterer places articles into stories, one at a time, as they arrive.
// It is not safe for concurrent use: the ingest writer owns one.
type Clusterer struct {
	st store.Store
	// Glossary pivots Chinese and Malay to English; nil leaves them to
	// meet other languages on names and numbers only.
	Glossary  *Glossary
	Threshold float64
	Window    time.Duration
	df        dfCache
}

// New returns a clusterer over st with the default settings.
func New(st store.Store, g *Glossary) *Clusterer {
	return &Clusterer{st: st, Glossary: g, Threshold: DefaultThreshold, Window: DefaultWindow}
}

// Assign decides the story of a new article, given the derivations that
// link it to stored articles: a copy joins the story of what it copies;
// anything else joins the closest story above the threshold, or starts
// its own. Nothing is written: the decision travels with the article to
// PutArticle.
func (c *Clusterer) Assign(ctx context.Context, a *model.Article, derivs []model.Derivation) (*store.StoryWrite, error) {
	return c.AssignTerms(ctx, a, Terms(a.Title, a.Text, a.Language, c.Glossary), derivs)
}

// AssignTerms is Assign for an article whose Terms (with the clusterer's
// Glossary) are already known: ingest works them out in parallel.
func (c *Clusterer) AssignTerms(ctx context.Context, a *model.Article, tf map[string]float64, derivs []model.Derivation) (*store.StoryWrite, error) {
	terms := make([]string, 0, len(tf))
	for t := range tf {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	df, n, err := c.termStats(ctx, terms)
	if err != nil {
		return nil, err
	}
	vec := weigh(tf, df, n)
	w := &store.StoryWrite{Vector: vec, Terms: terms, Assignment: model.Assignment{ArticleID: a.ID, Via: model.ViaNew}}

	if s, other, merge, err := c.copied(ctx, a, derivs); err != nil {
		return nil, err
	} else if s != 0 {
		w.Assignment.Story, w.Assignment.Via, w.Assignment.Score, w.Assignment.Copies = s, model.ViaLineage, 1, other
		w.Merge = merge
		return w, nil
	}

	ids, err := c.st.StoryCandidates(ctx, store.StoryQuery{Terms: queryOf(vec, df), Limit: maxCandidates, Around: a.Published, Window: c.Window})
	if err != nil || len(ids) == 0 {
		return w, err
	}
	cents, err := c.st.StoryMatches(ctx, ids, terms)
	if err != nil {
		return nil, err
	}
	type scored struct {
		id    int64
		score float64
	}
	var ss []scored
	for _, id := range ids {
		ss = append(ss, scored{id, similarity(vec, cents[id])})
	}
	sort.Slice(ss, func(i, j int) bool {
		if ss[i].score != ss[j].score {
			return ss[i].score > ss[j].score
		}
		return ss[i].id < ss[j].id
	})
	best := ss[0]
	if best.score >= c.Threshold {
		w.Assignment.Story, w.Assignment.Via, w.Assignment.Score = best.id, model.ViaSimilarity, round(best.score)
		w.Assignment.Shared = shared(vec, cents[best.id], 8)
		ss = ss[1:]
	}
	for _, s := range ss {
		if s.score >= c.Threshold*mentionShare {
			w.Assignment.Mentions = append(w.Assignment.Mentions, model.Mention{Story: s.id, Score: round(s.score)})
		}
	}
	return w, nil
}

// copied returns the story of a stored article the new one copies or is
// copied by, preferring the strongest link, and the other stories its
// full copies (not partial reuse) are in: copies of one report are one
// event, so those stories are to be merged.
func (c *Clusterer) copied(ctx context.Context, a *model.Article, derivs []model.Derivation) (int64, string, []int64, error) {
	if len(derivs) == 0 {
		return 0, "", nil, nil
	}
	ds := slices.Clone(derivs)
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Score > ds[j].Score })
	var others []string
	for _, d := range ds {
		o := d.From
		if o == a.ID {
			o = d.To
		}
		others = append(others, o)
	}
	stories, err := c.st.ArticleStories(ctx, others)
	if err != nil {
		return 0, "", nil, err
	}
	var story int64
	var via string
	var merge []int64
	for i, o := range others {
		s := stories[o]
		switch {
		case s == 0:
		case story == 0:
			story, via = s, o
		case s != story && ds[i].Kind != model.KindPartial && !slices.Contains(merge, s):
			merge = append(merge, s)
		}
	}
	return story, via, merge, nil
}

// queryOf picks the terms that look up candidate stories: the heaviest
// terms that stored articles have (a term seen nowhere else cannot find
// anything), and for Chinese also the heaviest of its glosses, names and
// numbers (its own words only find other Chinese reports).
func queryOf(vec map[string]float64, df map[string]int) []string {
	seen := make(map[string]float64, len(vec))
	for t, w := range vec {
		if df[t] > 0 {
			seen[t] = w
		}
	}
	q := heaviest(seen, queryTerms)
	rest := crossLingual(seen)
	if len(rest) == len(seen) {
		return q
	}
	for _, t := range heaviest(rest, queryTerms) {
		if !slices.Contains(q, t) {
			q = append(q, t)
		}
	}
	return q
}

// crossLingual returns the terms of vec other languages can share: all
// but the Chinese words themselves.
func crossLingual(vec map[string]float64) map[string]float64 {
	rest := make(map[string]float64, len(vec))
	for t, w := range vec {
		if !strings.HasPrefix(t, "zh:") {
			rest[t] = w
		}
	}
	return rest
}

// weigh turns term frequencies into a unit TF-IDF vector of the heaviest
// terms. Document frequencies come from the articles clustered so far;
// the article itself counts as one more.
func weigh(tf map[string]float64, df map[string]int, n int) map[string]float64 {
	v := make(map[string]float64, len(tf))
	for t, f := range tf {
		v[t] = f * math.Log((float64(n)+priorDocs)/float64(df[t]+1))
	}
	keep := heaviest(v, vectorTerms)
	out := make(map[string]float64, len(keep))
	var norm float64
	for _, t := range keep {
		norm += v[t] * v[t]
	}
	norm = math.Sqrt(norm)
	if norm == 0 {
		return out
	}
	for _, t := range keep {
		out[t] = round(v[t] / norm)
	}
	return out
}

// heaviest returns the k terms of v with the largest weights, ties broken
// by term so the choice does not depend on map order.
func heaviest(v map[string]float64, k int) []string {
	ts := make([]string, 0, len(v))
	for t, w := range v {
		if w > 0 {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool {
		if v[ts[i]] != v[ts[j]] {
			return v[ts[i]] > v[ts[j]]
		}
		return ts[i] < ts[j]
	})
	return ts[:min(k, len(ts))]
}

// similarity is the cosine of an article and a story, or, when the
// article has Chinese words of its own ("zh:" terms, which only Chinese
// reports share), the cosine without them if higher: a Chinese report of
// an event is then compared with English and Malay ones on what the
// languages share, its glosses, names and numbers.
func similarity(a map[string]float64, c store.StoryMatch) float64 {
	s := cosine(a, c)
	// Either side may have words the other language lacks: compare what
	// both can share, the article without its Chinese words against the
	// story's length without its own.
	if rest := crossLingual(a); len(rest) > 0 && c.SharedNorm > 0 {
		s = max(s, cosine(rest, store.StoryMatch{Weights: c.Weights, Norm: c.SharedNorm}))
	}
	return s
}

// cosine is the cosine similarity of an article vector and a centroid,
// of which it needs only the weights on the article's terms and the
// length.
func cosine(a map[string]float64, c store.StoryMatch) float64 {
	var dot, na float64
	for t, w := range a {
		dot += w * c.Weights[t]
		na += w * w
	}
	if na == 0 || c.Norm == 0 {
		return 0
	}
	return dot / (math.Sqrt(na) * c.Norm)
}

// shared returns the k terms contributing most to a and c's similarity.
func shared(a map[string]float64, c store.StoryMatch, k int) []string {
	v := map[string]float64{}
	for t, w := range a {
		if c.Weights[t] > 0 {
			v[t] = w * c.Weights[t]
		}
	}
	return heaviest(v, k)
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }
