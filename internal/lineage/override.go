package lineage

import (
	"context"
	"fmt"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Override records an analyst's verdict on a pair of articles and applies
// it: "not-copy" removes their link, "copy-of" links B to A as its origin
// (with the alignment's evidence when the texts align, so the analyst
// still sees the passages).
func Override(ctx context.Context, st store.Store, o model.Override) error {
	var d *model.Derivation
	switch o.Verdict {
	case model.VerdictNotCopy:
	case model.VerdictCopyOf:
		a, err := st.GetArticle(ctx, o.A)
		if err != nil {
			return err
		}
		b, err := st.GetArticle(ctx, o.B)
		if err != nil {
			return err
		}
		d = declare(Prepare(a), Prepare(b), o)
	default:
		return fmt.Errorf("unknown verdict %q (want %s or %s)", o.Verdict, model.VerdictNotCopy, model.VerdictCopyOf)
	}
	return st.PutOverride(ctx, o, d)
}

// declare builds the derivation an analyst declared: origin → copy.
func declare(origin, cp *Prepared, o model.Override) *model.Derivation {
	d, _ := Compare(origin, cp)
	if d == nil {
		kind := model.KindRewrite
		if origin.Article.Language != "" && cp.Article.Language != "" && origin.Article.Language != cp.Article.Language {
			kind = model.KindTranslation
		}
		d = &model.Derivation{Kind: kind, Evidence: model.Evidence{Rule: "declared by an analyst; the texts do not align"}}
	} else if d.From != origin.Article.ID {
		d.Evidence.CoverageFrom, d.Evidence.CoverageTo = d.Evidence.CoverageTo, d.Evidence.CoverageFrom
		d.Evidence.Passages = swap(d.Evidence.Passages)
	}
	d.From, d.To, d.Directed, d.Override = origin.Article.ID, cp.Article.ID, true, true
	d.Evidence.Direction = fmt.Sprintf("analyst: %s", o.Who)
	if o.Why != "" {
		d.Evidence.Notes = append(d.Evidence.Notes, "analyst: "+o.Why)
	}
	return d
}
