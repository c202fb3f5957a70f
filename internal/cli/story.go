package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

func newStoriesCmd(e *env) *cobra.Command {
	var dsn, order string
	var limit int
	cmd := &cobra.Command{
		Use:   "stories",
		Short: "List stories: recent first, or with --order sources, most independent reports first",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if order != store.ByRecency && order != store.BySources {
				return usagef("--order must be %s or %s", store.ByRecency, store.BySources)
			}
			return runStories(cmd.Context(), e, dsn, store.StoryListOptions{Limit: limit, Order: order})
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&order, "order", store.ByRecency, "recent (last seen first) or sources (most lineages first)")
	cmd.Flags().IntVar(&limit, "limit", 50, "how many stories")
	return cmd
}

func runStories(ctx context.Context, e *env, dsn string, opts store.StoryListOptions) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ss, err := st.ListStories(ctx, opts)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "story\tarticles\tlineages\toutlets\tlast seen\ttitle\n")
	for _, s := range ss {
		d, err := story.Describe(ctx, st, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\n", s.ID, s.Articles, s.Lineages, s.Sources, s.LastSeen.UTC().Format("2006-01-02 15:04"), d.Title)
	}
	return tw.Flush()
}

func newStoryCmd(e *env) *cobra.Command {
	var dsn, why, by string
	var to int64
	cmd := &cobra.Command{
		Use:   "story",
		Short: "Show a story, or correct the grouping: move articles, merge two stories, split one",
		Long: `Show a story with its articles grouped by lineage and why each article is
in it, or correct the grouping. Corrections are applied at once, kept with
who, when and why, and respected by later runs: moved articles stay where
an analyst put them, a merged story's articles and later copies of them go
to the surviving (older) story, and copies of split-off articles follow
them.`,
	}
	user := os.Getenv("USER")
	show := &cobra.Command{
		Use:   "show STORY",
		Short: "Title, summary, span and articles by lineage, with the evidence for each placement",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := storyID(args[0])
			if err != nil {
				return err
			}
			return runStoryShow(cmd.Context(), e, dsn, id)
		},
	}
	move := &cobra.Command{
		Use:   "move ARTICLE... --to STORY",
		Short: "Move articles into a story",
		Args:  argsCheck(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to <= 0 {
				return usagef("--to STORY is required")
			}
			return runCorrect(cmd.Context(), e, dsn, &model.StoryCorrection{Action: model.CorrectMove, Story: to, Articles: args, Who: by, Why: why})
		},
	}
	move.Flags().Int64Var(&to, "to", 0, "the story to move the articles into")
	merge := &cobra.Command{
		Use:   "merge STORY OTHER",
		Short: "Merge two stories about the same event (the older ID survives)",
		Args:  argsCheck(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := storyID(args[0])
			if err != nil {
				return err
			}
			b, err := storyID(args[1])
			if err != nil {
				return err
			}
			return runCorrect(cmd.Context(), e, dsn, &model.StoryCorrection{Action: model.CorrectMerge, Story: a, Other: b, Who: by, Why: why})
		},
	}
	split := &cobra.Command{
		Use:   "split STORY ARTICLE...",
		Short: "Split articles out of a story into a new one",
		Args:  argsCheck(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := storyID(args[0])
			if err != nil {
				return err
			}
			return runCorrect(cmd.Context(), e, dsn, &model.StoryCorrection{Action: model.CorrectSplit, Story: id, Articles: args[1:], Who: by, Why: why})
		},
	}
	dbFlag(show, &dsn)
	cmd.AddCommand(show)
	for _, c := range []*cobra.Command{move, merge, split} {
		dbFlag(c, &dsn)
		c.Flags().StringVar(&why, "why", "", "the reason, kept with the correction")
		c.Flags().StringVar(&by, "by", user, "who corrects (default: $USER)")
		cmd.AddCommand(c)
	}
	return cmd
}

func storyID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a story ID (a positive number)", s)
	}
	return id, nil
}

func runCorrect(ctx context.Context, e *env, dsn string, c *model.StoryCorrection) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CorrectStories(ctx, c); err != nil {
		return err
	}
	switch c.Action {
	case model.CorrectMove:
		fmt.Fprintf(e.stdout, "moved %d article(s) to story %d\n", len(c.Articles), c.Story)
	case model.CorrectMerge:
		fmt.Fprintf(e.stdout, "merged story %d into story %d\n", c.Other, c.Story)
	case model.CorrectSplit:
		fmt.Fprintf(e.stdout, "split %d article(s) from story %d into new story %d\n", len(c.Articles), c.Story, c.Other)
	}
	return nil
}

func runStoryShow(ctx context.Context, e *env, dsn string, id int64) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.GetStory(ctx, id)
	if err != nil {
		return err
	}
	if s.MergedInto != 0 {
		fmt.Fprintf(e.stdout, "story %d was merged into story %d\n", s.ID, s.MergedInto)
		return nil
	}
	d, err := story.Describe(ctx, st, s)
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "story %d: %s\n", s.ID, d.Title)
	fmt.Fprintf(w, "%s — %s · %d articles · %d lineages · %d outlets\n\n", s.FirstSeen.UTC().Format("2006-01-02 15:04"), s.LastSeen.UTC().Format("2006-01-02 15:04"), s.Articles, s.Lineages, s.Sources)
	for _, sent := range d.Summary {
		fmt.Fprintf(w, "  %s (%s)\n", sent.Text, sent.Source)
	}
	for i, g := range d.Lineages {
		fmt.Fprintf(w, "\nlineage %d:\n", i+1)
		for _, a := range g {
			as, err := st.Assignment(ctx, a.ID)
			why := ""
			switch {
			case err != nil:
				why = "(no assignment recorded)"
			case as.Via == model.ViaLineage:
				why = "copy link with " + as.Copies
			case as.Via == model.ViaSimilarity:
				why = fmt.Sprintf("similarity %.2f, shared %v", as.Score, as.Shared)
			default:
				why = as.Via
			}
			fmt.Fprintf(w, "  %s  %-20s %s  [%s]\n", a.ID, a.Source, a.Title, why)
		}
	}
	sheet, _, err := export.Sheet(ctx, st, id)
	if err != nil {
		return err
	}
	if len(sheet.Groups) > 0 {
		fmt.Fprintf(w, "\nfacts:\n")
	}
	for _, g := range sheet.Groups {
		noun := g.Kind
		if g.Noun != "" {
			noun += " (" + g.Noun + ")"
		}
		fmt.Fprintf(w, "  %-13s %-22s %d independent · %s\n", strings.ToUpper(g.Status), noun, g.IndependentSources, g.Rule)
		for _, v := range g.Values {
			fmt.Fprintf(w, "      %-14s %s\n", v.Quantity, strings.Join(v.Sources, ", "))
		}
	}
	cs, err := st.StoryCorrections(ctx, id)
	if err != nil {
		return err
	}
	for _, c := range cs {
		fmt.Fprintf(w, "\ncorrection: %s story %d other %d articles %v by %s at %s: %s\n", c.Action, c.Story, c.Other, c.Articles, c.Who, c.At.UTC().Format("2006-01-02 15:04"), c.Why)
	}
	return nil
}

func newClusterCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Place articles that have no story yet (stored before stories existed) into stories",
		Long: `Ingest places every new article in a story as it arrives. Articles stored
by an older crosscheck have none; this places them, in publication order,
as if they were arriving now. Running it again does nothing.`,
		Args: argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openStore(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := story.New(st, glossary(e)).PlaceUnclustered(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "placed %d article(s) in stories\n", n)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}
