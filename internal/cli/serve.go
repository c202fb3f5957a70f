package cli

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/web"
)

func newServeCmd(e *env) *cobra.Command {
	var dsn, addr string
	var watching bool
	var wf watchFlags
	cmd := &cobra.Command{
		Use:   "serve [--db DSN] [--addr 127.0.0.1:8080] [--watch]",
		Short: "Serve the web UI and the JSON API (loopback only by default)",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !web.IsLoopback(addr) && os.Getenv("CROSSCHECK_ALLOW_PUBLIC") == "" {
				return usagef("--addr %s is not a loopback address: crosscheck has no authentication yet, so it only serves 127.0.0.1 or ::1 (set CROSSCHECK_ALLOW_PUBLIC=1 to override behind your own proxy)", addr)
			}
			st, err := openStore(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			if watching {
				w, closeQueue, err := wf.watcher(cmd.Context(), e, st, dsn)
				if err != nil {
					return err
				}
				defer closeQueue()
				watchInBackground(cmd.Context(), e, w, wf.tick)
			}
			return serve(cmd.Context(), e, st, addr)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&watching, "watch", false, "also poll the sources and ingest new items, as `crosscheck watch` does")
	wf.add(cmd)
	return cmd
}

func serve(ctx context.Context, e *env, st store.Store, addr string) error {
	srv, err := web.New(st, e.log)
	if err != nil {
		return err
	}
	return srv.Serve(ctx, addr, func(a net.Addr) {
		fmt.Fprintf(e.stdout, "crosscheck is serving on http://%s/ (Ctrl-C to stop)\n", a)
	})
}
