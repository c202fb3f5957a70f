package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

// TestItemsTravel: reading, encoding, parsing elsewhere and writing in
// order gives the same database as Run.
func TestItemsTravel(t *testing.T) {
	dir := t.TempDir()
	inputs := []string{
		write(t, dir, "a.html", []byte(htmlPage("Barrier vote in the council", prose))),
		write(t, dir, "b.txt", []byte("Barrier vote\n\n"+prose+" Text copy.")),
		write(t, dir, "c.jsonl", []byte(`{"url":"https://x.example/1","source":"X","published":"2026-03-14","text":"`+prose+` JSONL."}`+"\nnot json\n")),
		write(t, dir, "d.warc", testWARC(false)),
		write(t, dir, "empty.txt", nil),
	}
	ctx := context.Background()
	direct := newStore(t)
	want, err := Run(ctx, direct, inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var queued [][]byte
	if err := Read(ctx, inputs, Options{}, func(it Item) error {
		b, err := json.Marshal(it)
		queued = append(queued, b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	travelled := newStore(t)
	w := NewWriter(travelled, Options{})
	workerStages := &Stages{} // a queue worker's --timings
	for i, b := range queued {
		var it Item
		if err := json.Unmarshal(b, &it); err != nil {
			t.Fatal(err)
		}
		// Parsed by "another process" (every other one also prepared
		// against the store, as a queue worker does): through JSON once
		// more.
		done := Item{it.it.parse()}
		if i%2 == 1 {
			done = it.Prepare(ctx, travelled, Options{Stages: workerStages})
		}
		b2, _ := json.Marshal(done)
		var parsed Item
		json.Unmarshal(b2, &parsed)
		if i%2 == 1 && parsed.it.page != nil && parsed.it.reason == "" {
			if parsed.it.ahead == nil || parsed.it.ahead.article == nil || len(parsed.it.ahead.terms) == 0 || parsed.it.ahead.link == nil {
				t.Errorf("%s: prepared item lost its work ahead in JSON", parsed.Input())
			}
		}
		if _, err := w.Write(ctx, parsed); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if w.Summary() != want {
		t.Errorf("travelled summary %+v; direct %+v", w.Summary(), want)
	}
	if st := workerStages.Totals(); len(st) != 1 || st[0].Name != "parse" || st[0].Time <= 0 {
		t.Errorf("a worker's Prepare charged %v; want its time under parse", st)
	}
	snapshot := func(st store.Store) string {
		as, _ := st.ListArticles(ctx, store.ListOptions{Limit: 100})
		out := ""
		for _, a := range as {
			out += fmt.Sprintf("%s|%s|%s|%s|%v|%s|%d\n", a.ID, a.Title, a.Source, a.Text, a.Published, a.Lineage, a.Story)
		}
		rs, _ := st.ListRejections(ctx)
		for _, r := range rs {
			out += r.Input + " " + r.Reason + "\n"
		}
		return out
	}
	if a, b := snapshot(direct), snapshot(travelled); a != b {
		t.Errorf("databases differ:\ndirect:\n%s\ntravelled:\n%s", a, b)
	}
}
