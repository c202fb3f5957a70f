package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// goldClaim is one labelled claim.
type goldClaim struct {
	Quantity    string   `json:"quantity"`
	Kind        string   `json:"kind"`
	Noun        string   `json:"noun"`
	Value       float64  `json:"value"`
	Low         *float64 `json:"low"`
	High        *float64 `json:"high"`
	Attribution string   `json:"attribution"`
}

// ClaimSet is a labelled claim set (testdata/claims).
type ClaimSet struct {
	Published time.Time `json:"published"`
	Sentences []struct {
		Text   string      `json:"text"`
		Claims []goldClaim `json:"claims"`
	} `json:"sentences"`
	Stories []struct {
		Name     string `json:"name"`
		Articles []struct {
			ID        string    `json:"id"`
			Source    string    `json:"source"`
			Lineage   string    `json:"lineage"`
			Published time.Time `json:"published"`
			Text      string    `json:"text"`
		} `json:"articles"`
		Groups []struct {
			Kind   string `json:"kind"`
			Noun   string `json:"noun"`
			Status string `json:"status"`
		} `json:"groups"`
	} `json:"stories"`
}

// LoadClaimSet reads the sentence and story files of a labelled claim
// set directory: every sentences-*.json and stories-*.json with prefix.
func LoadClaimSet(dir, prefix string) (*ClaimSet, error) {
	set := &ClaimSet{}
	for _, name := range []string{"sentences-" + prefix + ".json", "stories-" + prefix + ".json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var part ClaimSet
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !part.Published.IsZero() {
			set.Published = part.Published
		}
		set.Sentences = append(set.Sentences, part.Sentences...)
		set.Stories = append(set.Stories, part.Stories...)
	}
	if len(set.Sentences) == 0 {
		return nil, fmt.Errorf("%s: no labelled sentences", dir)
	}
	return set, nil
}

// FieldScore counts one field of the claims.
type FieldScore struct {
	Correct, Predicted, Gold int
}

// P is precision: correct over predicted claims.
func (f FieldScore) P() float64 { return ratio(float64(f.Correct), float64(f.Predicted)) }

// R is recall: correct over gold claims.
func (f FieldScore) R() float64 { return ratio(float64(f.Correct), float64(f.Gold)) }

// ClaimScores are per-field scores of claim extraction and the accuracy
// of group statuses.
type ClaimScores struct {
	Fields        map[string]*FieldScore // detected, kind, noun, bounds, attribution
	StatusCorrect int
	StatusGold    int
	Errors        []string
}

// ClaimFields lists the scored fields in report order.
var ClaimFields = []string{"detected", "kind", "noun", "bounds", "attribution"}

// ScoreClaims runs claim extraction and grouping on a labelled set.
func ScoreClaims(set *ClaimSet) ClaimScores {
	s := ClaimScores{Fields: map[string]*FieldScore{}}
	for _, f := range ClaimFields {
		s.Fields[f] = &FieldScore{}
	}
	pub := set.Published
	for i, sent := range set.Sentences {
		got := claim.Extract(&model.Article{ID: fmt.Sprint(i), Text: sent.Text, Published: &pub})
		used := make([]bool, len(got))
		for _, f := range ClaimFields {
			s.Fields[f].Predicted += len(got)
			s.Fields[f].Gold += len(sent.Claims)
		}
		for _, g := range sent.Claims {
			match := -1
			for k, c := range got {
				if !used[k] && c.Value == g.Value {
					match = k
					break
				}
			}
			if match < 0 {
				s.Errors = append(s.Errors, fmt.Sprintf("missed %q in %q", g.Quantity, sent.Text))
				continue
			}
			used[match] = true
			c := got[match]
			check := func(field string, ok bool, gotV, want any) {
				if ok {
					s.Fields[field].Correct++
				} else {
					s.Errors = append(s.Errors, fmt.Sprintf("%s of %q: got %v, want %v", field, g.Quantity, gotV, want))
				}
			}
			check("detected", true, nil, nil)
			check("kind", c.Kind == g.Kind, c.Kind, g.Kind)
			check("noun", c.Noun == g.Noun, c.Noun, g.Noun)
			check("bounds", sameBound(c.Low, g.Low) && sameBound(c.High, g.High), bstr(c.Low, c.High), bstr(g.Low, g.High))
			check("attribution", normAttr(c.Attribution) == normAttr(g.Attribution), c.Attribution, g.Attribution)
		}
		for k, c := range got {
			if !used[k] {
				s.Errors = append(s.Errors, fmt.Sprintf("spurious %q (%s) in %q", c.Quantity, c.Kind, sent.Text))
			}
		}
	}
	for _, st := range set.Stories {
		var arts []*model.Article
		var claims []model.Claim
		for _, a := range st.Articles {
			p := a.Published
			art := &model.Article{ID: a.ID, Source: a.Source, Lineage: a.Lineage, Published: &p, Text: a.Text}
			arts = append(arts, art)
			claims = append(claims, claim.Extract(art)...)
		}
		sheet := claim.FactSheet(1, arts, claims, nil)
		for _, g := range st.Groups {
			s.StatusGold++
			got := "(none)"
			for _, x := range sheet.Groups {
				if x.Kind == g.Kind && x.Noun == g.Noun {
					got = x.Status
				}
			}
			if got == g.Status {
				s.StatusCorrect++
			} else {
				s.Errors = append(s.Errors, fmt.Sprintf("story %s: %s %s status %s, want %s", st.Name, g.Kind, g.Noun, got, g.Status))
			}
		}
	}
	return s
}

func sameBound(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func bstr(lo, hi *float64) string {
	f := func(x *float64) string {
		if x == nil {
			return "∞"
		}
		return fmt.Sprint(*x)
	}
	return "[" + f(lo) + ", " + f(hi) + "]"
}

// normAttr compares attributions without case or a leading article.
func normAttr(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"the ", "its ", "de ", "het "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}
