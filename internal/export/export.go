// Package export writes crosscheck's analysed state as JSON, JSONL or CSV.
// The field names are a public contract documented in docs/export.md:
// fields and top-level arrays may be added, never renamed or removed.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// Formats lists the accepted --format values.
var Formats = []string{"json", "jsonl", "csv"}

// FormatVersion is bumped when fields are added.
const FormatVersion = 1

// Article is the exported form of an article.
type Article struct {
	ID         string          `json:"id"`
	Source     string          `json:"source"`
	URL        string          `json:"url"`
	Path       string          `json:"path"`
	Format     string          `json:"format"`
	Title      string          `json:"title"`
	Author     string          `json:"author"`
	Site       string          `json:"site"`
	Published  *string         `json:"published"`
	Language   string          `json:"language"`
	Text       string          `json:"text"`
	Removed    []model.Removal `json:"removed"`
	IngestedAt string          `json:"ingested_at"`
}

// Rejection is the exported form of a rejected input.
type Rejection struct {
	Input  string `json:"input"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// FromArticle converts a stored article to its exported form.
func FromArticle(a *model.Article) Article {
	out := Article{
		ID: a.ID, Source: a.Source, URL: a.URL, Path: a.Path, Format: a.Format, Title: a.Title,
		Author: a.Author, Site: a.Site, Language: a.Language, Text: a.Text, Removed: a.Removed,
		IngestedAt: a.IngestedAt.UTC().Format(time.RFC3339),
	}
	if out.Removed == nil {
		out.Removed = []model.Removal{}
	}
	if a.Published != nil {
		p := a.Published.UTC().Format(time.RFC3339)
		out.Published = &p
	}
	return out
}

// FromRejection converts a stored rejection to its exported form.
func FromRejection(r model.Rejection) Rejection {
	return Rejection{Input: r.Input, Reason: r.Reason, At: r.At.UTC().Format(time.RFC3339)}
}

// Write writes the whole state of st to w in format.
func Write(ctx context.Context, w io.Writer, st store.Store, format string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "json":
		err = writeJSON(ctx, bw, st)
	case "jsonl":
		err = writeJSONL(ctx, bw, st)
	case "csv":
		err = writeCSV(ctx, bw, st)
	default:
		return fmt.Errorf("unknown export format %q (want json, jsonl or csv)", format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSON streams one object, article by article, so memory stays flat
// however large the database.
func writeJSON(ctx context.Context, w *bufio.Writer, st store.Store) error {
	fmt.Fprintf(w, "{\n\"version\": %d,\n\"articles\": [", FormatVersion)
	first := true
	err := st.EachArticle(ctx, func(a *model.Article) error {
		b, err := json.Marshal(FromArticle(a))
		if err != nil {
			return err
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n")
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteString("\n],\n\"rejections\": ")
	rs, err := st.ListRejections(ctx)
	if err != nil {
		return err
	}
	out := make([]Rejection, 0, len(rs))
	for _, r := range rs {
		out = append(out, FromRejection(r))
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Write(b)
	_, err = w.WriteString("\n}\n")
	return err
}

// writeJSONL writes one record per line, each with a "type" field.
func writeJSONL(ctx context.Context, w *bufio.Writer, st store.Store) error {
	enc := json.NewEncoder(w)
	err := st.EachArticle(ctx, func(a *model.Article) error {
		return enc.Encode(struct {
			Type string `json:"type"`
			Article
		}{"article", FromArticle(a)})
	})
	if err != nil {
		return err
	}
	rs, err := st.ListRejections(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := enc.Encode(struct {
			Type string `json:"type"`
			Rejection
		}{"rejection", FromRejection(r)}); err != nil {
			return err
		}
	}
	return nil
}

// CSVHeader is the column list of the CSV export.
var CSVHeader = []string{"id", "source", "url", "path", "format", "title", "author", "site", "published", "language", "removed_lines", "text"}

func writeCSV(ctx context.Context, w *bufio.Writer, st store.Store) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err := st.EachArticle(ctx, func(a *model.Article) error {
		e := FromArticle(a)
		pub := ""
		if e.Published != nil {
			pub = *e.Published
		}
		return cw.Write([]string{e.ID, e.Source, e.URL, e.Path, e.Format, safeCell(e.Title), safeCell(e.Author), safeCell(e.Site), pub, e.Language, strconv.Itoa(len(e.Removed)), safeCell(e.Text)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses spreadsheet formula injection: article text is
// untrusted, and a cell starting with = + - @ runs as a formula when an
// analyst opens the CSV in a spreadsheet.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
