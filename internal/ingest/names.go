package ingest

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

// namesTTL is how long an ingest uses the outlet renames it read before
// reading them again, so that a rename reaches a long-running watcher or
// worker.
const namesTTL = time.Minute

// outletNames attributes an article arriving under an outlet's old name
// to the name an analyst renamed the outlet to (store.RenameOutlet): a
// page still giving the old site name, a --source given as before, or an
// item queued before the rename. It is safe for concurrent use: the
// readers of an ingest and a worker's jobs share one.
type outletNames struct {
	st store.Store
	mu sync.Mutex
	to map[string]string
	at time.Time
}

func newOutletNames(st store.Store) *outletNames { return &outletNames{st: st} }

// resolve returns the name an article attributed to name is stored
// under. A nil outletNames (no store) leaves names as they are. When
// the renames cannot be read, it logs why and uses those it read last
// (none at first), and reads them again at the next article.
func (n *outletNames) resolve(ctx context.Context, name string) string {
	if n == nil || name == "" {
		return name
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.to == nil || time.Since(n.at) >= namesTTL {
		rs, err := n.st.SourceRenames(ctx)
		if err != nil {
			slog.Warn("outlet renames not read; names stay as the input gives them", "err", err)
			return follow(n.to, name)
		}
		n.to, n.at = outletAliases(rs), time.Now()
	}
	return follow(n.to, name)
}

// outletAliases maps each old name of an outlet renamed as a whole to
// the name it was given, in the order the renames were made: a name
// renamed back is a live name again, not an alias, so the map has no
// cycle. Renames of one watched source (source set --name) are not
// aliases: the feed brings its own name, and another outlet may share
// the old one.
func outletAliases(rs []model.SourceRename) map[string]string {
	to := map[string]string{}
	for _, r := range rs {
		if r.Source != 0 {
			continue
		}
		to[r.From] = r.To
		delete(to, r.To)
	}
	return to
}

// follow resolves name through renames made one after another (A to B,
// then B to C).
func follow(to map[string]string, name string) string {
	for range len(to) {
		next, ok := to[name]
		if !ok {
			break
		}
		name = next
	}
	return name
}
