package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/geo"
)

func newGeoparseCmd(e *env) *cobra.Command {
	var jsonl bool
	cmd := &cobra.Command{
		Use:   "geoparse [FILE|-]",
		Short: "Find and resolve the places a text names: JSON lines {start, end, text, name, geonames_id, lat, lon, country, admin1, precision}",
		Long: `Read plain text (a file, or standard input with - or no argument) and print
one JSON object per place found, with code-point offsets into the input.
With --jsonl, each input line is {"id", "text"} and every output line
carries that id, so large batches run in one process; a line may also
name its "source" (the outlet), and then ambiguous names resolve towards
where that source's earlier lines were (a local paper's "Paris, Texas").
Places come from GeoNames (CC BY 4.0, geonames.org).`,
		Args: argsCheck(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := e.stdin
			name := "standard input"
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in, name = f, args[0]
			}
			return runGeoparse(cmd.Context(), e, in, name, jsonl)
		},
	}
	cmd.Flags().BoolVar(&jsonl, "jsonl", false, `input lines are {"id", "text"} (and optionally "source")`)
	return cmd
}

type geoRecord struct {
	ID         string  `json:"id,omitempty"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Name       string  `json:"name"`
	GeonamesID int64   `json:"geonames_id"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Country    string  `json:"country"`
	Admin1     string  `json:"admin1"`
	Precision  string  `json:"precision"`
}

func runGeoparse(ctx context.Context, e *env, in io.Reader, name string, jsonl bool) error {
	g, err := geo.Default()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	priors := geo.Priors{}
	emit := func(id, source, text string) error {
		prior := priors.For(source)
		ms := g.ParseWith(text, prior)
		prior.Learn(ms)
		for _, m := range ms {
			p := m.Place
			if err := enc.Encode(geoRecord{ID: id, Start: m.Start, End: m.End, Text: m.Text, Name: p.Name, GeonamesID: p.GeonamesID(),
				Lat: p.Lat, Lon: p.Lon, Country: p.Country, Admin1: p.Admin1, Precision: p.Precision()}); err != nil {
				return err
			}
		}
		return nil
	}
	if !jsonl {
		b, err := io.ReadAll(io.LimitReader(in, 64<<20))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return emit("", "", string(b))
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 16<<20)
	bad := 0
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var rec struct {
			ID     string `json:"id"`
			Source string `json:"source"`
			Text   string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			fmt.Fprintf(e.stderr, "%s:%d: not an {id, text} record: %v\n", name, n, err)
			bad++
			continue
		}
		if err := emit(rec.ID, rec.Source, rec.Text); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if bad > 0 {
		return errRejected
	}
	return nil
}
