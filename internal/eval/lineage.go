package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// LineageSet is a labelled copy-detection set (testdata/lineage).
type LineageSet struct {
	Articles []*model.Article
	// Labels maps an unordered pair to its kind ("none" for hard
	// negatives); Origins maps a labelled copy pair to its origin.
	Labels  map[[2]string]string
	Origins map[[2]string]string
}

func pairOf(a, b string) [2]string {
	if a < b {
		return [2]string{a, b}
	}
	return [2]string{b, a}
}

// LoadLineageSet reads articles.jsonl and labels.tsv from dir.
func LoadLineageSet(dir string) (*LineageSet, error) {
	f, err := os.Open(filepath.Join(dir, "articles.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("lineage set: %w", err)
	}
	defer f.Close()
	set := &LineageSet{Labels: map[[2]string]string{}, Origins: map[[2]string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	for n := 1; sc.Scan(); n++ {
		var r struct{ ID, Source, Published, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("articles.jsonl:%d: %w", n, err)
		}
		a := &model.Article{ID: r.ID, Source: r.Source, Text: r.Text, Language: extract.DetectLanguage(r.Text)}
		if t, err := time.Parse(time.RFC3339, r.Published); err == nil {
			a.Published = &t
		}
		set.Articles = append(set.Articles, a)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		return nil, fmt.Errorf("lineage set: %w", err)
	}
	for n, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("labels.tsv:%d: want origin, copy, kind", n+1)
		}
		p := pairOf(f[0], f[1])
		set.Labels[p] = f[2]
		if f[2] != "none" {
			set.Origins[p] = f[0]
		}
	}
	return set, nil
}

// LineageScores are the results of scoring a lineage set.
type LineageScores struct {
	PerKind map[string]*Counts
	// Linked scores "is a copy" regardless of kind.
	Linked Counts
	// HardNegatives counts labelled independent pairs, and how many were linked.
	HardNegatives, HardNegativeLinks int
	// Direction of correctly linked labelled copies.
	DirCorrect, DirWrong, DirUnknown int
	// Errors lists each mistake, for reading.
	Errors []string
	// MinHash is the MinHash-only baseline on the same pairs: a pair is a
	// copy when the Jaccard similarity of its word 3-shingles reaches
	// MinHashThreshold, chosen as the best for the baseline on this set.
	MinHash          Counts
	MinHashThreshold float64
}

// Counts are true positives, false positives and false negatives.
type Counts struct{ TP, FP, FN int }

// P is precision (1 when nothing was predicted).
func (c Counts) P() float64 { return ratioOr1(c.TP, c.TP+c.FP) }

// R is recall (1 when nothing was expected).
func (c Counts) R() float64 { return ratioOr1(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of P and R.
func (c Counts) F1() float64 { return ratio(2*c.P()*c.R(), c.P()+c.R()) }

func ratioOr1(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// ScoreLineage compares every pair of the set's articles. Pairs of two
// copies of one origin are skipped (their relation is not labelled);
// every other unlabelled pair should not be linked.
func ScoreLineage(set *LineageSet) *LineageScores {
	s := &LineageScores{PerKind: map[string]*Counts{}}
	for _, k := range []string{model.KindDuplicate, model.KindNearDuplicate, model.KindRewrite, model.KindTranslation, model.KindPartial} {
		s.PerKind[k] = &Counts{}
	}
	copiesOf := map[string]string{}
	for p, origin := range set.Origins {
		cp := p[0]
		if cp == origin {
			cp = p[1]
		}
		copiesOf[cp] = origin
	}
	type scored struct {
		jaccard float64
		copy    bool
	}
	var baseline []scored
	prepared := make([]*lineage.Prepared, len(set.Articles))
	for i, a := range set.Articles {
		prepared[i] = lineage.Prepare(a)
	}
	for i := range prepared {
		for j := i + 1; j < len(prepared); j++ {
			a, b := set.Articles[i].ID, set.Articles[j].ID
			p := pairOf(a, b)
			want, labelled := set.Labels[p]
			if !labelled {
				if oa, ob := copiesOf[a], copiesOf[b]; (oa != "" && oa == ob) || (oa != "" && copiesOf[oa] == b) || (ob != "" && copiesOf[ob] == a) {
					continue // siblings
				}
				want = "none"
			}
			baseline = append(baseline, scored{lineage.ShingleJaccard(set.Articles[i].Text, set.Articles[j].Text), want != "none"})
			d, _ := lineage.Compare(prepared[i], prepared[j])
			got := "none"
			if d != nil {
				got = d.Kind
			}
			if want == "none" && labelled {
				s.HardNegatives++
				if got != "none" {
					s.HardNegativeLinks++
				}
			}
			switch {
			case want != "none" && got != "none":
				s.Linked.TP++
			case want == "none" && got != "none":
				s.Linked.FP++
			case want != "none":
				s.Linked.FN++
			}
			if want == got {
				if want != "none" {
					s.PerKind[want].TP++
				}
			} else {
				if want != "none" {
					s.PerKind[want].FN++
				}
				if got != "none" {
					s.PerKind[got].FP++
				}
				s.Errors = append(s.Errors, fmt.Sprintf("%s–%s: want %s, got %s", a, b, want, got))
			}
			if origin := set.Origins[p]; origin != "" && d != nil {
				switch {
				case !d.Directed:
					s.DirUnknown++
				case d.From == origin:
					s.DirCorrect++
				default:
					s.DirWrong++
					s.Errors = append(s.Errors, fmt.Sprintf("%s–%s: origin %s, got %s", a, b, origin, d.From))
				}
			}
		}
	}
	sort.Strings(s.Errors)
	for thr := 0.05; thr < 0.96; thr += 0.05 {
		var c Counts
		for _, b := range baseline {
			switch got := b.jaccard >= thr; {
			case got && b.copy:
				c.TP++
			case got:
				c.FP++
			case b.copy:
				c.FN++
			}
		}
		if s.MinHashThreshold == 0 || c.F1() > s.MinHash.F1() {
			s.MinHash, s.MinHashThreshold = c, thr
		}
	}
	return s
}
