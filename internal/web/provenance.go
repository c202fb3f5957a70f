package web

import (
	"context"
	"sort"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

// link is a derivation seen from one article, with the other article.
type link struct {
	model.Derivation
	Other *model.Article
}

// provenance is an article's copy relations, grouped for display.
type provenance struct {
	Copies     []link // this copies them
	CopiedBy   []link // they copy this
	Undirected []link // linked, origin unknown
	Lineage    []*model.Article
}

func (s *Server) provenance(ctx context.Context, a *model.Article) (*provenance, error) {
	ds, err := s.store.Derivations(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	p := &provenance{}
	for _, d := range ds {
		other := d.From
		if other == a.ID {
			other = d.To
		}
		o, err := s.store.GetArticle(ctx, other)
		if err != nil {
			return nil, err
		}
		l := link{Derivation: d, Other: o}
		switch {
		case !d.Directed:
			p.Undirected = append(p.Undirected, l)
		case d.To == a.ID:
			p.Copies = append(p.Copies, l)
		default:
			p.CopiedBy = append(p.CopiedBy, l)
		}
	}
	for _, ls := range [][]link{p.Copies, p.CopiedBy, p.Undirected} {
		sort.Slice(ls, func(i, j int) bool { return ls[i].Score > ls[j].Score })
	}
	if a.Lineage != "" {
		if p.Lineage, err = s.store.LineageArticles(ctx, a.Lineage); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// segment is a piece of an article's text, marked when it is part of an
// aligned passage.
type segment struct {
	Text  string
	Mark  bool
	Score float64
}

// segments cuts text at the passages' rune offsets.
func segments(text string, spans []span) []segment {
	rs := []rune(text)
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []segment
	at := 0
	for _, sp := range spans {
		start, end := max(sp.start, at), min(sp.end, len(rs))
		if start >= end {
			continue
		}
		if start > at {
			out = append(out, segment{Text: string(rs[at:start])})
		}
		out = append(out, segment{Text: string(rs[start:end]), Mark: true, Score: sp.score})
		at = end
	}
	if at < len(rs) {
		out = append(out, segment{Text: string(rs[at:])})
	}
	return out
}

type span struct {
	start, end int
	score      float64
}
