package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

// ClusterDoc is one article of a clustering benchmark with its gold
// label.
type ClusterDoc struct {
	ID    string
	Title string
	Text  string
	Label string
}

// LoadMMDS reads the MMDS2025 clustering format: {"articles": [{ID,
// title, sentences: [{content}]}], "clusters": [label per article]}.
// Only the title and the sentences are read: the other fields are
// annotations a system must not see.
func LoadMMDS(path string) ([]ClusterDoc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Articles []struct {
			ID        json.Number `json:"ID"`
			Title     string      `json:"title"`
			Sentences []struct {
				Content string `json:"content"`
			} `json:"sentences"`
		} `json:"articles"`
		Clusters []json.Number `json:"clusters"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw.Articles) != len(raw.Clusters) {
		return nil, fmt.Errorf("%s: %d articles but %d cluster labels", path, len(raw.Articles), len(raw.Clusters))
	}
	if len(raw.Articles) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	docs := make([]ClusterDoc, len(raw.Articles))
	for i, a := range raw.Articles {
		var sents []string
		for _, s := range a.Sentences {
			sents = append(sents, strings.TrimSpace(s.Content))
		}
		id := a.ID.String()
		if id == "" {
			id = strconv.Itoa(i)
		}
		docs[i] = ClusterDoc{ID: fmt.Sprintf("%d-%s", i, id), Title: a.Title, Text: strings.Join(sents, " "), Label: raw.Clusters[i].String()}
	}
	return docs, nil
}

// BCubed returns B-cubed precision, recall and F1 of a clustering against
// gold labels (Bagga and Baldwin 1998): per item, the share of its
// predicted cluster that shares its gold label, and the share of its gold
// cluster that shares its predicted cluster, averaged over items.
func BCubed(gold, pred []string) (p, r, f float64) {
	n := len(gold)
	if n == 0 {
		return 0, 0, 0
	}
	t := tabulate(gold, pred)
	for i := range gold {
		k := float64(t.both[[2]string{gold[i], pred[i]}])
		p += k / float64(t.pred[pred[i]])
		r += k / float64(t.gold[gold[i]])
	}
	p, r = p/float64(n), r/float64(n)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// ARI is the adjusted Rand index of a clustering against gold labels
// (Hubert and Arabie 1985): 1 for identical partitions, about 0 for
// chance.
func ARI(gold, pred []string) float64 {
	t := tabulate(gold, pred)
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var index, a, b float64
	for _, n := range t.both {
		index += c2(n)
	}
	for _, n := range t.gold {
		a += c2(n)
	}
	for _, n := range t.pred {
		b += c2(n)
	}
	expected := a * b / c2(len(gold))
	maxIndex := (a + b) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}

// contingency counts items per gold cluster, per predicted cluster and
// per pair of the two.
type contingency struct {
	both       map[[2]string]int
	gold, pred map[string]int
}

func tabulate(gold, pred []string) contingency {
	t := contingency{both: map[[2]string]int{}, gold: map[string]int{}, pred: map[string]int{}}
	for i := range gold {
		t.both[[2]string{gold[i], pred[i]}]++
		t.gold[gold[i]]++
		t.pred[pred[i]]++
	}
	return t
}

// ClusterScore is one run of the clusterer over a benchmark in one order.
type ClusterScore struct {
	Seed          uint64
	P, R, F1, ARI float64
	Stories       int
	// Pred is each document's story, in document order.
	Pred []string
}

// Singletons relabels every document carrying label as its own cluster:
// for benchmarks whose "other" bucket groups unrelated articles.
func Singletons(docs []ClusterDoc, label string) []ClusterDoc {
	out := make([]ClusterDoc, len(docs))
	for i, d := range docs {
		if d.Label == label {
			d.Label = "single:" + d.ID
		}
		out[i] = d
	}
	return out
}

// RunClustering ingests docs in a seeded random order into a fresh SQLite
// store in dir, through the same ingest path as any input (lineage, then
// clustering), and scores the stories against the gold labels.
func RunClustering(ctx context.Context, docs []ClusterDoc, seed uint64, dir string, opts ingest.Options) (ClusterScore, error) {
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	input := filepath.Join(dir, fmt.Sprintf("order-%d.jsonl", seed))
	f, err := os.Create(input)
	if err != nil {
		return ClusterScore{}, err
	}
	enc := json.NewEncoder(f)
	for _, i := range order {
		d := docs[i]
		// Each article its own outlet and URL: the benchmark has no
		// outlets, and one source would make sentences it repeats look
		// like source boilerplate.
		rec := map[string]string{"url": "https://bench.invalid/" + d.ID, "source": "outlet-" + d.ID, "title": d.Title, "text": d.Text}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return ClusterScore{}, err
		}
	}
	if err := f.Close(); err != nil {
		return ClusterScore{}, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprintf("order-%d.db", seed)))
	if err != nil {
		return ClusterScore{}, err
	}
	defer st.Close()
	var rejected []string
	opts.Workers = 1
	opts.Report = func(r ingest.Result) {
		if r.Outcome == ingest.Rejected {
			rejected = append(rejected, r.Input+": "+r.Reason)
		}
	}
	_, err = ingest.Run(ctx, st, []string{input}, opts)
	if err != nil {
		return ClusterScore{}, err
	}
	if len(rejected) > 0 {
		return ClusterScore{}, fmt.Errorf("%d documents rejected, first: %s", len(rejected), rejected[0])
	}
	stories := map[string]string{}
	if err := st.EachArticle(ctx, func(a *model.Article) error {
		stories[strings.TrimPrefix(a.URL, "https://bench.invalid/")] = strconv.FormatInt(a.Story, 10)
		return nil
	}); err != nil {
		return ClusterScore{}, err
	}
	gold := make([]string, len(docs))
	pred := make([]string, len(docs))
	distinct := map[string]bool{}
	for i, d := range docs {
		gold[i] = d.Label
		s, ok := stories[d.ID]
		if !ok || s == "0" {
			return ClusterScore{}, fmt.Errorf("document %s was not placed in a story", d.ID)
		}
		pred[i] = s
		distinct[s] = true
	}
	p, r, f1 := BCubed(gold, pred)
	return ClusterScore{Seed: seed, P: p, R: r, F1: f1, ARI: ARI(gold, pred), Stories: len(distinct), Pred: pred}, nil
}

// ClusterErrors lists, per gold cluster that the stories split or share,
// its documents with the story each went to.
func ClusterErrors(docs []ClusterDoc, pred []string) []string {
	byGold := map[string][]int{}
	var labels []string
	storySize := map[string]int{}
	for i, d := range docs {
		if byGold[d.Label] == nil {
			labels = append(labels, d.Label)
		}
		byGold[d.Label] = append(byGold[d.Label], i)
		storySize[pred[i]]++
	}
	var out []string
	for _, l := range labels {
		idx := byGold[l]
		clean := storySize[pred[idx[0]]] == len(idx)
		for _, i := range idx {
			clean = clean && pred[i] == pred[idx[0]]
		}
		if clean {
			continue
		}
		out = append(out, "gold "+l+":")
		for _, i := range idx {
			t := []rune(docs[i].Title)
			out = append(out, fmt.Sprintf("  story %-5s (of %d) %s", pred[i], storySize[pred[i]], string(t[:min(len(t), 80)])))
		}
	}
	return out
}
