package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/eval"
	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

func newEvalCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure accuracy on public labelled datasets (results: docs/EVALUATION.md)",
	}
	var baseline bool
	ex := &cobra.Command{
		Use:   "extract DIR",
		Short: "Score text extraction on the Scrapinghub benchmark (4-gram shingle P/R/F1)",
		Long: `Score text extraction on a directory laid out like the Scrapinghub
article-extraction benchmark (ground-truth.json and html/<id>.html.gz):
4-gram shingle precision and recall per page, normalised per page, summed
over pages; F1 from those. With --baseline, go-trafilatura alone is scored
in the same run for comparison.`,
		Args: argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvalExtract(cmd.Context(), e, args[0], baseline)
		},
	}
	ex.Flags().BoolVar(&baseline, "baseline", true, "also score go-trafilatura alone")
	cmd.AddCommand(ex)
	var verbose bool
	lin := &cobra.Command{
		Use:   "lineage DIR",
		Short: "Score copy detection on a labelled set (testdata/lineage): P/R per kind, hard negatives, direction",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvalLineage(e, args[0], verbose)
		},
	}
	lin.Flags().BoolVar(&verbose, "errors", false, "list every mistake")
	cmd.AddCommand(lin)
	return cmd
}

func runEvalLineage(e *env, dir string, verbose bool) error {
	set, err := eval.LoadLineageSet(dir)
	if err != nil {
		return err
	}
	s := eval.ScoreLineage(set)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "kind\tsupport\tprecision\trecall\tF1\n")
	for _, k := range []string{model.KindDuplicate, model.KindNearDuplicate, model.KindRewrite, model.KindTranslation, model.KindPartial} {
		c := s.PerKind[k]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\n", k, c.TP+c.FN, c.P(), c.R(), c.F1())
	}
	fmt.Fprintf(tw, "any copy\t%d\t%.3f\t%.3f\t%.3f\n", s.Linked.TP+s.Linked.FN, s.Linked.P(), s.Linked.R(), s.Linked.F1())
	fmt.Fprintf(tw, "any copy, MinHash-only baseline (3-shingle Jaccard ≥ %.2f, best for it)\t%d\t%.3f\t%.3f\t%.3f\n", s.MinHashThreshold, s.MinHash.TP+s.MinHash.FN, s.MinHash.P(), s.MinHash.R(), s.MinHash.F1())
	tw.Flush()
	fmt.Fprintf(e.stdout, "hard negatives: %d, falsely linked: %d\n", s.HardNegatives, s.HardNegativeLinks)
	fmt.Fprintf(e.stdout, "direction of found copies: %d correct, %d wrong, %d unknown\n", s.DirCorrect, s.DirWrong, s.DirUnknown)
	if verbose {
		for _, m := range s.Errors {
			fmt.Fprintln(e.stdout, "  "+m)
		}
	}
	return nil
}

func runEvalExtract(ctx context.Context, e *env, dir string, baseline bool) error {
	pages, err := eval.LoadScrapinghub(dir)
	if err != nil {
		return err
	}
	type row struct {
		name string
		ex   eval.Extractor
	}
	rows := []row{{"crosscheck", func(page []byte, url string) (string, error) {
		r, err := extract.HTML(page, extract.Options{URL: url})
		if err != nil {
			return "", err
		}
		return r.Text, nil
	}}}
	if baseline {
		rows = append(rows, row{"go-trafilatura alone", extract.Baseline})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "extractor\tpages\tprecision\trecall\tF1\n")
	for _, r := range rows {
		m, err := eval.ScoreExtraction(ctx, pages, r.ex)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\n", r.name, m.N, m.Precision(), m.Recall(), m.F1())
	}
	return tw.Flush()
}
