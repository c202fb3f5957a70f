package web

import (
	"net/http"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

// comparison is two articles side by side with what aligns between them.
type comparison struct {
	Left, Right         *model.Article
	LeftSegs            []segment
	RightSegs           []segment
	Derivation          *model.Derivation
	Stored              bool   // the derivation is the stored decision
	Note                string // why nothing was decided, when so
	LeftAdds, RightAdds int    // share (%) of each text outside aligned passages
}

func (s *Server) compare(r *http.Request) (*comparison, error) {
	ctx := r.Context()
	left, err := s.store.GetArticle(ctx, r.PathValue("a"))
	if err != nil {
		return nil, err
	}
	right, err := s.store.GetArticle(ctx, r.PathValue("b"))
	if err != nil {
		return nil, err
	}
	c := &comparison{Left: left, Right: right}
	ds, err := s.store.Derivations(ctx, left.ID)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if ds[i].From == right.ID || ds[i].To == right.ID {
			c.Derivation, c.Stored = &ds[i], true
		}
	}
	if c.Derivation == nil {
		// Not linked: show what the comparison finds anyway.
		c.Derivation, c.Note = lineage.Compare(lineage.Prepare(left), lineage.Prepare(right))
	}
	var ls, rs []span
	if d := c.Derivation; d != nil {
		for _, p := range d.Evidence.Passages {
			from, to := span{p.FromStart, p.FromEnd, p.Score}, span{p.ToStart, p.ToEnd, p.Score}
			if d.From == left.ID {
				ls, rs = append(ls, from), append(rs, to)
			} else {
				ls, rs = append(ls, to), append(rs, from)
			}
		}
	}
	c.LeftSegs, c.RightSegs = segments(left.Text, ls), segments(right.Text, rs)
	c.LeftAdds, c.RightAdds = unmarkedShare(c.LeftSegs), unmarkedShare(c.RightSegs)
	return c, nil
}

func unmarkedShare(segs []segment) int {
	total, free := 0, 0
	for _, s := range segs {
		n := len([]rune(s.Text))
		total += n
		if !s.Mark {
			free += n
		}
	}
	if total == 0 {
		return 0
	}
	return free * 100 / total
}

func (s *Server) compareShow(r *http.Request) (*pageData, error) {
	c, err := s.compare(r)
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "compare", Title: "Compare", Data: c}, nil
}

func (s *Server) apiCompareShow(r *http.Request) (any, error) {
	c, err := s.compare(r)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"left": c.Left.ID, "right": c.Right.ID, "stored": c.Stored, "note": c.Note, "derivation": nil}
	if c.Derivation != nil {
		out["derivation"] = export.FromDerivation(*c.Derivation)
	}
	return out, nil
}
