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
	var dsn, addr, token string
	var watching bool
	var wf watchFlags
	cmd := &cobra.Command{
		Use:   "serve [--db DSN] [--addr 127.0.0.1:8080] [--watch]",
		Short: "Serve the web UI and the JSON API (loopback only by default)",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("CROSSCHECK_AUTH_TOKEN")
			}
			if !web.IsLoopback(addr) && len(token) < 16 {
				return usagef("--addr %s is not a loopback address: give an --auth-token (or CROSSCHECK_AUTH_TOKEN) of at least 16 characters, which every client must then present", addr)
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
			return serve(cmd.Context(), e, st, addr, token)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (beyond loopback only with --auth-token)")
	cmd.Flags().StringVar(&token, "auth-token", "", "require this token of every client: the login form sets a cookie; API clients send Authorization: Bearer TOKEN (env CROSSCHECK_AUTH_TOKEN)")
	cmd.Flags().BoolVar(&watching, "watch", false, "also poll the sources and ingest new items, as `crosscheck watch` does")
	wf.add(cmd)
	return cmd
}

func serve(ctx context.Context, e *env, st store.Store, addr, token string) error {
	srv, err := web.New(st, e.log)
	if err != nil {
		return err
	}
	srv.SetAuthToken(token)
	return srv.Serve(ctx, addr, func(a net.Addr) {
		fmt.Fprintf(e.stdout, "crosscheck is serving on http://%s/ (Ctrl-C to stop)\n", a)
	})
}
