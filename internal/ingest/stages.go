package ingest

import (
	"sort"
	"sync"
	"time"
)

// Stages sums the time the pipeline spends in each stage: parse (summed
// over parallel workers), clean, lineage, stories, claims, places,
// dates, entities, store. A nil *Stages records nothing.
type Stages struct {
	mu sync.Mutex
	d  map[string]time.Duration
}

// clock starts timing; each call of the returned func charges the time
// since the previous call (or the start) to a stage.
func (s *Stages) clock() func(stage string) {
	if s == nil {
		return func(string) {}
	}
	last := time.Now()
	return func(stage string) {
		now := time.Now()
		s.mu.Lock()
		if s.d == nil {
			s.d = map[string]time.Duration{}
		}
		s.d[stage] += now.Sub(last)
		s.mu.Unlock()
		last = now
	}
}

// Stage is one stage's total.
type Stage struct {
	Name string
	Time time.Duration
}

// Totals returns the stages in pipeline order.
func (s *Stages) Totals() []Stage {
	order := map[string]int{"parse": 0, "clean": 1, "lineage": 2, "stories": 3, "claims": 4, "places": 5, "dates": 6, "entities": 7, "store": 8}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stage
	for k, v := range s.d {
		out = append(out, Stage{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Name] < order[out[j].Name] })
	return out
}
