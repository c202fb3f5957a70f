package ingest

import (
	"context"
	"testing"
	"time"
)

func TestStagesClock(t *testing.T) {
	var s Stages
	lap := s.Clock()
	time.Sleep(5 * time.Millisecond)
	lap("") // restarts: the 5 ms are charged to nobody
	lap("read")
	lap("wait")
	time.Sleep(2 * time.Millisecond)
	lap("commit")
	got := map[string]time.Duration{}
	var order []string
	for _, st := range s.Totals() {
		got[st.Name] = st.Time
		order = append(order, st.Name)
	}
	if _, ok := got[""]; ok {
		t.Errorf("the empty stage was charged: %v", got)
	}
	if got["read"] >= 5*time.Millisecond {
		t.Errorf("read = %v: the time before the restart was charged to it", got["read"])
	}
	if got["commit"] < 2*time.Millisecond {
		t.Errorf("commit = %v; want at least the 2 ms slept", got["commit"])
	}
	if want := []string{"wait", "read", "commit"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("order = %v; want %v", order, want)
	}
	var none *Stages
	none.Clock()("parse") // a nil *Stages records nothing and does not panic
	if len(none.Totals()) != 0 {
		t.Error("nil Stages has totals")
	}
}

// TestIngestStages: an ingest with Stages charges its writer's commits
// and the stages of each stored article, so `ingest --timings` accounts
// for the writer's time.
func TestIngestStages(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "one.txt", []byte("First title\n\n"+prose))
	write(t, dir, "two.html", []byte(htmlPage("Two", prose+" Two.")))
	stages := &Stages{}
	if _, err := Run(context.Background(), newStore(t), []string{dir}, Options{Workers: 1, Stages: stages}); err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Duration{}
	for _, st := range stages.Totals() {
		got[st.Name] = st.Time
	}
	for _, name := range []string{"parse", "clean", "lineage", "store", "commit"} {
		if got[name] <= 0 {
			t.Errorf("stage %s = %v; want it charged (stages: %v)", name, got[name], got)
		}
	}
}
