package cli

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/export"
)

func newExportCmd(e *env) *cobra.Command {
	var dsn, format string
	cmd := &cobra.Command{
		Use:   "export [--db DSN] --format json|jsonl|csv|geojson",
		Short: "Export the whole analysed state (schema: docs/export.md)",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(export.Formats, format) {
				return usagef("--format %q: want one of %s", format, strings.Join(export.Formats, ", "))
			}
			return runExport(cmd.Context(), e, dsn, format)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&format, "format", "json", "json, jsonl, csv (articles) or geojson (places)")
	return cmd
}

func runExport(ctx context.Context, e *env, dsn, format string) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return export.Write(ctx, e.stdout, st, format)
}
