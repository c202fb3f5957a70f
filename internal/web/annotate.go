package web

import (
	"sort"
	"strings"
)

// mark marks a stretch of an article's text (rune offsets): an entity, a
// place, a time or a claim's sentence.
type mark struct {
	Start, End int
	Class      string // hl-entity, hl-place, hl-date, hl-claim
	Title      string
	Href       string // where the mark leads (an entity page), if anywhere
	ID         string // an anchor (claim-…), if any
}

// piece is a piece of text under the same marks.
type piece struct {
	Text  string
	Class string // space-separated classes, "" for plain text
	Title string
	Href  string
	// IDs are the anchors that start here (claims of one sentence share
	// its first piece).
	IDs []string
}

// annotate cuts text into paragraphs of segments at every mark boundary.
// Spans may nest (a place inside a claim's sentence); bad offsets are
// dropped. The text stays text: templates escape every piece.
func annotate(text string, spans []mark) [][]piece {
	rs := []rune(text)
	var ok []mark
	for _, s := range spans {
		if s.Start >= 0 && s.End <= len(rs) && s.Start < s.End {
			ok = append(ok, s)
		}
	}
	cuts := map[int]bool{0: true, len(rs): true}
	for _, s := range ok {
		cuts[s.Start], cuts[s.End] = true, true
	}
	var points []int
	for p := range cuts {
		points = append(points, p)
	}
	sort.Ints(points)
	var paras [][]piece
	var cur []piece
	broke := false // the last piece ended a paragraph
	anchored := map[string]bool{}
	for i := 0; i+1 < len(points); i++ {
		from, to := points[i], points[i+1]
		var classes []string
		seg := piece{}
		for _, s := range ok {
			if s.Start <= from && to <= s.End {
				classes = append(classes, s.Class)
				if s.Title != "" {
					seg.Title = s.Title
				}
				if s.Href != "" && seg.Href == "" {
					seg.Href = s.Href
				}
				if s.ID != "" && !anchored[s.ID] {
					seg.IDs, anchored[s.ID] = append(seg.IDs, s.ID), true
				}
			}
		}
		seg.Class = strings.Join(classes, " ")
		// Paragraph breaks cut segments.
		parts := strings.Split(string(rs[from:to]), "\n\n")
		broke = len(parts) > 1 && parts[len(parts)-1] == ""
		for k, part := range parts {
			if k > 0 {
				paras = append(paras, cur)
				cur = nil
			}
			if part != "" {
				p := seg
				p.Text = part
				if k > 0 {
					p.IDs = nil
				}
				cur = append(cur, p)
			}
		}
	}
	if len(cur) > 0 || broke {
		paras = append(paras, cur)
	}
	return paras
}
