package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

func newMarkCmd(e *env) *cobra.Command {
	var dsn, why, by string
	cmd := &cobra.Command{
		Use:   "mark",
		Short: "Correct a copy decision: mark two articles as not copies, or one as a copy of the other",
		Long: `Record an analyst's decision on a pair of articles. It is applied at once
(links and lineages are recomputed) and kept with who, when and why; the
article and lineage pages show it as an override.`,
	}
	user := os.Getenv("USER")
	notCopy := &cobra.Command{
		Use:   "not-copy ID1 ID2",
		Short: "The two articles are independent: remove their link",
		Args:  argsCheck(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMark(cmd.Context(), e, dsn, model.Override{A: args[0], B: args[1], Verdict: model.VerdictNotCopy, Who: by, Why: why})
		},
	}
	copyOf := &cobra.Command{
		Use:   "copy ORIGIN_ID COPY_ID",
		Short: "COPY_ID copies ORIGIN_ID: link them with that direction",
		Args:  argsCheck(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMark(cmd.Context(), e, dsn, model.Override{A: args[0], B: args[1], Verdict: model.VerdictCopyOf, Who: by, Why: why})
		},
	}
	for _, c := range []*cobra.Command{notCopy, copyOf} {
		dbFlag(c, &dsn)
		c.Flags().StringVar(&why, "why", "", "the reason, kept with the decision")
		c.Flags().StringVar(&by, "by", user, "who decides (default: $USER)")
		cmd.AddCommand(c)
	}
	return cmd
}

func runMark(ctx context.Context, e *env, dsn string, o model.Override) error {
	if o.A == o.B {
		return usagef("the two article IDs are the same")
	}
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := lineage.Override(ctx, st, o); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "marked %s %s %s\n", o.A, o.Verdict, o.B)
	return nil
}
