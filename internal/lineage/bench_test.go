package lineage_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
)

func randomText(r *rand.Rand, sentences, words int) string {
	vocab := strings.Fields("ferry storm coast guard rescue island port minister said people killed injured missing boat sea wind Lesbos Mytilene Alexiou Kostaki Aegean passengers crew hospital survivors search helicopters")
	var b strings.Builder
	for s := 0; s < sentences; s++ {
		for w := 0; w < words; w++ {
			if w > 0 {
				b.WriteByte(' ')
			}
			if r.Intn(8) == 0 {
				fmt.Fprintf(&b, "%d", r.Intn(500))
			} else {
				b.WriteString(vocab[r.Intn(len(vocab))])
			}
		}
		b.WriteString(". ")
	}
	return b.String()
}

// BenchmarkCompareWorstCase aligns two texts of MaxSentences sentences
// each: the bound on one comparison's cost.
func BenchmarkCompareWorstCase(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	pa := lineage.Prepare(&model.Article{ID: "a", Language: "en", Text: randomText(r, lineage.MaxSentences, 30)})
	pb := lineage.Prepare(&model.Article{ID: "b", Language: "en", Text: randomText(r, lineage.MaxSentences, 30)})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lineage.Compare(pa, pb)
	}
}
