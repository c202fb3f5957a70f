package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/claim"
	"github.com/crosscheck-news/crosscheck/internal/demo"
	"github.com/crosscheck-news/crosscheck/internal/export"
	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/story"
)

func newDemoCmd(e *env) *cobra.Command {
	var addr string
	var noServe bool
	cmd := &cobra.Command{
		Use:   "demo [--addr 127.0.0.1:8080]",
		Short: "Ingest the embedded demo corpus into a temporary database and serve it",
		Long: `Write the embedded demo corpus (fictional outlets and events, written for
crosscheck) to a temporary directory, ingest it into a temporary SQLite
database and serve the UI, printing its URL. Everything is removed on exit.`,
		Args: argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), e, addr, noServe)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to serve on (loopback)")
	cmd.Flags().BoolVar(&noServe, "no-serve", false, "ingest and print the summary, then exit")
	return cmd
}

func runDemo(ctx context.Context, e *env, addr string, noServe bool) error {
	dir, err := os.MkdirTemp("", "crosscheck-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	corpus := filepath.Join(dir, "corpus")
	if err := demo.WriteCorpus(corpus); err != nil {
		return err
	}
	st, err := openStore(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := ingest.Run(ctx, st, []string{corpus}, ingest.Options{
		Report: func(r ingest.Result) {
			if r.Outcome == ingest.Rejected {
				fmt.Fprintf(e.stderr, "rejected %s: %s\n", r.Input, r.Reason)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo corpus: %s\n", sum)
	if err := printStories(ctx, e, st); err != nil {
		return err
	}
	if noServe {
		return nil
	}
	return serve(ctx, e, st, addr, "")
}

// printStories sums up the stories: size, independent reports, and the
// conflicting figures.
func printStories(ctx context.Context, e *env, st store.Store) error {
	ss, err := st.ListStories(ctx, store.StoryListOptions{Order: store.BySources, Limit: 20})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d stories, most independent reports first:\n", len(ss))
	for _, s := range ss {
		d, err := story.Describe(ctx, st, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "  story %d: %s — %d articles, %d independent\n", s.ID, d.Title, s.Articles, s.Lineages)
		sheet, _, err := export.Sheet(ctx, st, s.ID)
		if err != nil {
			return err
		}
		for _, g := range sheet.Groups {
			if g.Status == claim.Conflicting {
				fmt.Fprintf(e.stdout, "    conflict over %s: %s\n", g.Kind, strings.TrimPrefix(g.Rule, "conflict: "))
			}
		}
	}
	return nil
}
