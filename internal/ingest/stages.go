package ingest

import (
	"sort"
	"sync"
	"time"
)

// Stages sums the time the pipeline spends in each stage: parse (summed
// over parallel workers), clean, lineage, stories, claims, places,
// dates, entities, store, and the writer's own commit (its batches
// committed) and wait (for the readers, with nothing to commit). A nil
// *Stages records nothing.
type Stages struct {
	mu sync.Mutex
	d  map[string]time.Duration
}

// Clock starts timing; each call of the returned func charges the time
// since the previous call (or the start) to a stage; the stage "" charges
// nothing and restarts the clock. Stages outside the ingest pipeline (the
// queue's linker waiting, reading and committing) are charged through it
// too.
func (s *Stages) Clock() func(stage string) {
	if s == nil {
		return func(string) {}
	}
	last := time.Now()
	return func(stage string) {
		now := time.Now()
		if stage == "" { // restart the clock, charging nothing
			last = now
			return
		}
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

// Totals returns the stages in pipeline order (none for a nil *Stages).
func (s *Stages) Totals() []Stage {
	if s == nil {
		return nil
	}
	order := map[string]int{"parse": 0, "wait": 1, "read": 2, "clean": 3, "lineage": 4, "stories": 5, "claims": 6, "places": 7, "dates": 8, "entities": 9, "store": 10, "commit": 11}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stage
	for k, v := range s.d {
		out = append(out, Stage{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Name] < order[out[j].Name] })
	return out
}
