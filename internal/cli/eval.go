package cli

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/eval"
	"github.com/crosscheck-news/crosscheck/internal/extract"
	"github.com/crosscheck-news/crosscheck/internal/geo"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
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
	var claimErrors bool
	var claimSet string
	cc := &cobra.Command{
		Use:   "claims DIR",
		Short: "Score claim extraction per field, and claim-group status, on a labelled set (testdata/claims)",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvalClaims(e, args[0], claimSet, claimErrors)
		},
	}
	cc.Flags().BoolVar(&claimErrors, "errors", false, "list every mistake")
	cc.Flags().StringVar(&claimSet, "set", "dev", "which files: sentences-SET.json and stories-SET.json")
	cmd.AddCommand(cc)
	var geoErrors bool
	gc := &cobra.Command{
		Use:   "geo FILE",
		Short: "Score toponym recognition (P/R) and resolution (Acc@161, mean error km) on an LGL-format XML file",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvalGeo(e, args[0], geoErrors)
		},
	}
	gc.Flags().BoolVar(&geoErrors, "errors", false, "list resolutions more than 161 km off")
	cmd.AddCommand(gc)
	var noise string
	var orders int
	var threshold float64
	var clErrors bool
	cl := &cobra.Command{
		Use:   "cluster FILE",
		Short: "Score story clustering on an MMDS-format file: B-cubed P/R/F1 and ARI over several input orders",
		Long: `Score story clustering on a file in the MMDS2025 format ({"articles":
[{ID, title, sentences: [{content}]}], "clusters": [...]}). Each run
shuffles the articles with its own seed, ingests them one by one into a
fresh SQLite database through the normal ingest path (lineage, then
clustering), and scores the stories: B-cubed precision, recall and F1,
and the adjusted Rand index. Several orders show how much the online
clustering depends on arrival order.

--noise names a label that marks unrelated articles rather than an event
(MMDS dev: 166); each article with it is then its own gold cluster.`,
		Args: argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if orders < 1 {
				return usagef("--orders must be at least 1")
			}
			return runEvalCluster(cmd.Context(), e, args[0], noise, orders, threshold, clErrors)
		},
	}
	cl.Flags().StringVar(&noise, "noise", "", "gold label of unrelated articles, scored as singletons")
	cl.Flags().BoolVar(&clErrors, "errors", false, "list the gold clusters the first order got wrong")
	cl.Flags().IntVar(&orders, "orders", 3, "input orders (seeds 1..N) to run")
	cl.Flags().Float64Var(&threshold, "threshold", 0, "similarity needed to join a story (default: the clusterer's)")
	cmd.AddCommand(cl)
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

func runEvalCluster(ctx context.Context, e *env, file, noise string, orders int, threshold float64, verbose bool) error {
	docs, err := eval.LoadMMDS(file)
	if err != nil {
		return err
	}
	if noise != "" {
		docs = eval.Singletons(docs, noise)
	}
	g := glossary(e)
	dir, err := os.MkdirTemp("", "crosscheck-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "order (seed)\tstories\tB3 precision\tB3 recall\tB3 F1\tARI\n")
	var sum eval.ClusterScore
	for i := 1; i <= orders; i++ {
		s, err := eval.RunClustering(ctx, docs, uint64(i), dir, ingest.Options{Glossary: g, StoryThreshold: threshold})
		if err != nil {
			return fmt.Errorf("order %d: %w", i, err)
		}
		fmt.Fprintf(tw, "%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", i, s.Stories, s.P, s.R, s.F1, s.ARI)
		if verbose && i == 1 {
			defer func() {
				for _, l := range eval.ClusterErrors(docs, s.Pred) {
					fmt.Fprintln(e.stdout, l)
				}
			}()
		}
		sum.P, sum.R, sum.F1, sum.ARI = sum.P+s.P, sum.R+s.R, sum.F1+s.F1, sum.ARI+s.ARI
	}
	n := float64(orders)
	fmt.Fprintf(tw, "mean\t\t%.3f\t%.3f\t%.3f\t%.3f\n", sum.P/n, sum.R/n, sum.F1/n, sum.ARI/n)
	return tw.Flush()
}

func runEvalClaims(e *env, dir, set string, verbose bool) error {
	cs, err := eval.LoadClaimSet(dir, set)
	if err != nil {
		return err
	}
	s := eval.ScoreClaims(cs)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "field\tgold\tpredicted\tcorrect\tprecision\trecall\n")
	for _, f := range eval.ClaimFields {
		x := s.Fields[f]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\n", f, x.Gold, x.Predicted, x.Correct, x.P(), x.R())
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "group status: %d of %d correct\n", s.StatusCorrect, s.StatusGold)
	if verbose {
		for _, m := range s.Errors {
			fmt.Fprintln(e.stdout, "  "+m)
		}
	}
	return nil
}

func runEvalGeo(e *env, file string, verbose bool) error {
	docs, err := eval.LoadLGL(file)
	if err != nil {
		return err
	}
	g, err := geo.Default()
	if err != nil {
		return err
	}
	alone := eval.ScoreGeo(g, docs, false)
	s := eval.ScoreGeo(g, docs, true)
	fmt.Fprintf(e.stdout, "articles %d, gold toponyms with coordinates %d, predicted %d\n", len(docs), s.Gold, s.Predicted)
	fmt.Fprintf(e.stdout, "recognition: precision %.3f, recall %.3f\n", s.P(), s.R())
	fmt.Fprintf(e.stdout, "resolution of %d matched toponyms: Acc@161 %.3f, mean error %.0f km\n", s.Matched, s.Acc161(), s.MeanKm())
	fmt.Fprintf(e.stdout, "  each article alone, without its outlet's earlier articles: Acc@161 %.3f, mean error %.0f km\n", alone.Acc161(), alone.MeanKm())
	if verbose {
		for _, m := range s.Errors {
			fmt.Fprintln(e.stdout, "  "+m)
		}
	}
	return nil
}
