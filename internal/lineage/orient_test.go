package lineage

import (
	"testing"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

func TestOrientBySourceRoles(t *testing.T) {
	noon := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := noon.Add(d); return &t }
	side := func(source, role string, published *time.Time, credits ...string) *Prepared {
		return &Prepared{Article: &model.Article{ID: source, Source: source, Published: published},
			credited: func() []string { return credits }, role: role}
	}
	const (
		wire, agg, outlet, none = model.RoleWire, model.RoleAggregator, model.RoleOutlet, ""
	)
	tests := []struct {
		name           string
		a, b           *Prepared
		kind           string
		cov            [2]float64
		origin, direct string // origin "" means unknown
	}{
		{"aggregator copies a wire published the same minute",
			side("Meridian Wire", wire, at(0)), side("NewsStack", agg, at(time.Minute)), model.KindDuplicate, [2]float64{},
			"Meridian Wire", "role: Meridian Wire is a wire service, NewsStack an aggregator"},
		{"order of the pair does not matter",
			side("NewsStack", agg, at(0)), side("Meridian Wire", wire, at(0)), model.KindDuplicate, [2]float64{},
			"Meridian Wire", "role: Meridian Wire is a wire service, NewsStack an aggregator"},
		{"an aggregator copies a source whose role is not said",
			side("NewsStack", agg, nil), side("Harbour Courier", none, nil), model.KindNearDuplicate, [2]float64{},
			"Harbour Courier", "role: Harbour Courier is not labelled, NewsStack an aggregator"},
		{"a wire originates what an outlet rewrites",
			side("Beacon", outlet, at(2*time.Minute)), side("Meridian Wire", wire, at(0)), model.KindRewrite, [2]float64{},
			"Meridian Wire", "role: Meridian Wire is a wire service, Beacon an outlet"},
		{"time and role agree",
			side("Meridian Wire", wire, at(0)), side("NewsStack", agg, at(time.Hour)), model.KindDuplicate, [2]float64{},
			"Meridian Wire", "time: published earlier; role: Meridian Wire is a wire service, NewsStack an aggregator"},
		{"time and role disagree: unknown, never guessed",
			side("Meridian Wire", wire, at(time.Hour)), side("NewsStack", agg, at(0)), model.KindDuplicate, [2]float64{},
			"", "unknown: publication time and the sources' roles disagree (Meridian Wire is a wire service, NewsStack an aggregator)"},
		{"containment and role disagree",
			side("Meridian Wire", wire, nil), side("NewsStack", agg, nil), model.KindPartial, [2]float64{0.3, 0.9},
			"", "unknown: containment and the sources' roles disagree (Meridian Wire is a wire service, NewsStack an aggregator)"},
		{"a credit line outranks the roles",
			side("Meridian Wire", wire, at(0)), side("NewsStack", agg, at(0), "meridian wire"), model.KindDuplicate, [2]float64{},
			"Meridian Wire", "credit: NewsStack credits Meridian Wire"},
		{"a credit line against the roles still decides",
			side("Meridian Wire", wire, at(0), "newsstack"), side("NewsStack", agg, at(0)), model.KindDuplicate, [2]float64{},
			"NewsStack", "credit: Meridian Wire credits NewsStack"},
		{"two wires say nothing",
			side("Meridian Wire", wire, at(0)), side("Pacifica Press", wire, at(0)), model.KindDuplicate, [2]float64{},
			"", "unknown: no credit line and published within 5 minutes of each other"},
		{"an outlet against an unlabelled source says nothing",
			side("Beacon", outlet, nil), side("Harbour Courier", none, at(0)), model.KindRewrite, [2]float64{},
			"", "unknown: no credit line and a publication time is missing"},
		{"the same source's two articles say nothing",
			side("NewsStack", agg, at(0)), side("NewsStack", agg, at(0)), model.KindDuplicate, [2]float64{},
			"", "unknown: no credit line and published within 5 minutes of each other"},
		{"no roles: as before",
			side("Meridian Wire", none, at(0)), side("NewsStack", none, at(time.Hour)), model.KindDuplicate, [2]float64{},
			"Meridian Wire", "time: published earlier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin, how := orient(tt.a, tt.b, tt.kind, model.Evidence{CoverageFrom: tt.cov[0], CoverageTo: tt.cov[1]})
			got := ""
			if origin != nil {
				got = origin.Article.Source
			}
			if got != tt.origin || how != tt.direct {
				t.Errorf("orient = %q, %q; want %q, %q", got, how, tt.origin, tt.direct)
			}
		})
	}
}
