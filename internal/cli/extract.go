package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/ingest"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

func newExtractCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "extract [--format json] FILE...",
		Short: "Extract clean text and metadata, without a database; one JSON object per line",
		Long: `Extract clean text and metadata from files (as ingest reads them) and print
one JSON object per line with path, title, text, published, author, site,
language, url and removed. Nothing is stored. Exit status as for ingest.`,
		Args: argsCheck(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" {
				return usagef("--format %q: only json is supported", format)
			}
			return runExtract(cmd.Context(), e, args)
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "output format (json: one object per line)")
	return cmd
}

// extractRecord is one line of `crosscheck extract` output.
type extractRecord struct {
	Path      string          `json:"path"`
	Title     string          `json:"title"`
	Text      string          `json:"text"`
	Published *string         `json:"published"`
	Author    string          `json:"author"`
	Site      string          `json:"site"`
	Language  string          `json:"language"`
	URL       string          `json:"url"`
	Removed   []model.Removal `json:"removed"`
}

func runExtract(ctx context.Context, e *env, inputs []string) error {
	enc := json.NewEncoder(e.stdout)
	rejected := 0
	err := ingest.Extract(ctx, inputs, ingest.Options{}, func(r ingest.Result, a *model.Article) error {
		if a == nil {
			rejected++
			fmt.Fprintf(e.stderr, "rejected %s: %s\n", r.Input, r.Reason)
			return nil
		}
		rec := extractRecord{Path: a.Path, Title: a.Title, Text: a.Text, Author: a.Author, Site: a.Site,
			Language: a.Language, URL: a.URL, Removed: a.Removed}
		if rec.Removed == nil {
			rec.Removed = []model.Removal{}
		}
		if a.Published != nil {
			p := a.Published.UTC().Format("2006-01-02T15:04:05Z07:00")
			rec.Published = &p
		}
		return enc.Encode(rec)
	})
	if err != nil {
		return err
	}
	if rejected > 0 {
		return errRejected
	}
	return nil
}
