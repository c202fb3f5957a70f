package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/feed"
	"github.com/crosscheck-news/crosscheck/internal/fetch"
	"github.com/crosscheck-news/crosscheck/internal/lineage"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/queue"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/watch"
)

// sourceFlags are what a user may say about a source.
type sourceFlags struct {
	name, role, language string
	every                time.Duration
}

func (f *sourceFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "name", "", "the outlet's name (default: the feed's title)")
	cmd.Flags().StringVar(&f.role, "role", "", "what the outlet does: wire, aggregator or outlet (used by provenance)")
	cmd.Flags().StringVar(&f.language, "language", "", "the outlet's language, ISO 639-1 (default: the feed's)")
	cmd.Flags().DurationVar(&f.every, "every", 30*time.Minute, "how often to poll the feed")
}

func (f *sourceFlags) check() error {
	if !model.ValidRole(f.role) {
		return usagef("--role %q: want one of %s", f.role, strings.Join(model.Roles, ", "))
	}
	if f.every < time.Minute {
		return usagef("--every %s: poll at most once a minute", f.every)
	}
	if f.name != "" {
		if err := model.CheckSourceName(f.name); err != nil {
			return usagef("--name: %v", err)
		}
	}
	return nil
}

// fetchFlags configure the polite client.
type fetchFlags struct {
	allowPrivate bool
	userAgent    string
	hostDelay    time.Duration
}

func (f *fetchFlags) add(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.allowPrivate, "allow-private", false, "allow fetching private, loopback and link-local addresses")
	cmd.Flags().StringVar(&f.userAgent, "user-agent", "", "User-Agent to fetch with (default: crosscheck's, with a contact URL)")
	cmd.Flags().DurationVar(&f.hostDelay, "host-delay", time.Second,
		"least time between two requests to one host; robots.txt Crawl-delay raises it (0: none — only for servers you run)")
}

func (f *fetchFlags) client() *fetch.Client {
	delay := f.hostDelay
	if delay <= 0 {
		delay = -1 // fetch.Options: none
	}
	return fetch.New(fetch.Options{AllowPrivate: f.allowPrivate, UserAgent: f.userAgent, HostDelay: delay})
}

func newSourceCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "source",
		Short: "Manage the feeds crosscheck watches and the outlets it names: add, import, export, list, items, set, rename, renames, remove",
	}
	cmd.AddCommand(newSourceAddCmd(e), newSourceImportCmd(e), newSourceExportCmd(e), newSourceListCmd(e), newSourceItemsCmd(e), newSourceSetCmd(e), newSourceRenameCmd(e), newSourceRenamesCmd(e), newSourceRemoveCmd(e))
	return cmd
}

func newSourceAddCmd(e *env) *cobra.Command {
	var dsn string
	var sf sourceFlags
	var ff fetchFlags
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Add a feed, or a page whose feed is found by autodiscovery",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sf.check(); err != nil {
				return err
			}
			s, others, err := watch.Discover(cmd.Context(), ff.client(), args[0])
			if err != nil {
				return err
			}
			if sf.name != "" {
				s.Name = sf.name
			}
			if sf.language != "" {
				s.Language = sf.language
			}
			s.Role, s.Every = sf.role, sf.every
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				id, added, err := st.AddSource(cmd.Context(), s)
				if err != nil {
					return err
				}
				if !added {
					fmt.Fprintf(e.stdout, "source %d already watches %s (correct it with `crosscheck source set %d`)\n", id, s.FeedURL, id)
					return nil
				}
				fmt.Fprintf(e.stdout, "added source %d: %s (%s), polled every %s\n", id, s.Name, s.FeedURL, s.Every)
				for _, o := range others {
					fmt.Fprintf(e.stdout, "  the page also offers %s (add it with `crosscheck source add %s`)\n", o, o)
				}
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	sf.add(cmd)
	ff.add(cmd)
	return cmd
}

func newSourceImportCmd(e *env) *cobra.Command {
	var dsn string
	var sf sourceFlags
	cmd := &cobra.Command{
		Use:   "import FILE.opml",
		Short: "Add every feed of an OPML subscription list (folders become categories; a list from source export keeps roles and intervals)",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sf.check(); err != nil {
				return err
			}
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			subs, skipped, err := feed.ParseOPML(b)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				added, present := 0, 0
				for _, sub := range subs {
					name := sub.Title
					if name == "" {
						name = sub.FeedURL
					}
					lang := sub.Language
					if sf.language != "" {
						lang = sf.language
					}
					// A list crosscheck exported says each source's role and
					// interval; the flags, when given, say them for all.
					role, every := sub.Role, sub.Every
					if cmd.Flags().Changed("role") {
						role = sf.role
					} else if !model.ValidRole(role) {
						fmt.Fprintf(e.stderr, "%s: %s: role %q is not one of %s; imported without a role\n", args[0], sub.FeedURL, role, strings.Join(model.Roles, ", "))
						role = ""
					}
					if cmd.Flags().Changed("every") || every < time.Minute {
						every = sf.every
					}
					_, isNew, err := st.AddSource(cmd.Context(), &model.Source{Name: name, FeedURL: sub.FeedURL, Home: sub.Home,
						Language: lang, Role: role, Category: sub.Category, Every: every})
					if err != nil {
						return err
					}
					if isNew {
						added++
					} else {
						present++
					}
				}
				fmt.Fprintf(e.stdout, "%s: added %d sources, %d already present, %d outlines without a feed URL skipped\n", args[0], added, present, skipped)
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	sf.add(cmd)
	cmd.Flags().Lookup("name").Hidden = true
	return cmd
}

func newSourceExportCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "export > FILE.opml",
		Short: "Write every source as an OPML subscription list (categories as folders, with roles and intervals), for another reader or crosscheck",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				ss, err := st.Sources(cmd.Context())
				if err != nil {
					return err
				}
				subs := make([]feed.Subscription, len(ss))
				for i, s := range ss {
					subs[i] = feed.Subscription{Title: s.Name, FeedURL: s.FeedURL, Home: s.Home, Language: s.Language, Category: s.Category,
						Role: s.Role, Every: s.Every}
				}
				return feed.WriteOPML(e.stdout, "crosscheck sources", subs)
			})
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

func newSourceListCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List sources with their role, schedule, last poll and last error",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				ss, err := st.Sources(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "id\tname\trole\tlanguage\tevery\tlast poll\tstatus\tfeed")
				for _, s := range ss {
					last, status := "never", "ok"
					if s.LastPoll != nil {
						last = s.LastPoll.Format("2006-01-02 15:04")
					}
					if t := s.PollTrouble("2006-01-02 15:04"); t != "" {
						status = "error: " + t
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, dash(s.Role), dash(s.Language), s.Every, last, status, s.FeedURL)
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// sourceID reads a source ID argument.
func sourceID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return 0, usagef("%q is not a source ID (see `crosscheck source list`)", arg)
	}
	return id, nil
}

func newSourceItemsCmd(e *env) *cobra.Command {
	var dsn string
	var limit int
	cmd := &cobra.Command{
		Use:   "items ID",
		Short: "A source's most recent feed items: what became of each (ingested, skipped, rejected, queued, retry), its article or reason",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := sourceID(args[0])
			if err != nil {
				return err
			}
			if limit <= 0 {
				return usagef("--limit must be positive")
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				if _, err := st.GetSource(cmd.Context(), id); err != nil {
					return err
				}
				items, err := st.SourceItems(cmd.Context(), id, limit)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "seen\toutcome\tattempts\tarticle\turl\treason")
				for _, it := range items {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", it.SeenAt.UTC().Format("2006-01-02 15:04"), it.Outcome, it.Attempts,
						dash(it.ArticleID), it.URL, it.Reason)
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().IntVar(&limit, "limit", 50, "how many items, newest first")
	return cmd
}

func newSourceSetCmd(e *env) *cobra.Command {
	var dsn, name, role, language, home, category string
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "set ID [--name N] [--role R] [--language L] [--home URL] [--category C] [--every D]",
		Short: "Correct what is said about a source: its name, role, language, homepage, category or poll interval",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := sourceID(args[0])
			if err != nil {
				return err
			}
			changed := func(flag string) bool { return cmd.Flags().Changed(flag) }
			if !slices.ContainsFunc([]string{"name", "role", "language", "home", "category", "every"}, changed) {
				return usagef("nothing to change: give --name, --role, --language, --home, --category or --every")
			}
			if role == "none" {
				role = ""
			}
			if changed("role") && !model.ValidRole(role) {
				return usagef("--role %q: want one of %s, or none", role, strings.Join(model.Roles, ", "))
			}
			if changed("every") && every < time.Minute {
				return usagef("--every %s: poll at most once a minute", every)
			}
			if changed("name") {
				if err := model.CheckSourceName(name); err != nil {
					return usagef("--name: %v", err)
				}
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				s, err := st.GetSource(cmd.Context(), id)
				if err != nil {
					return err
				}
				var said []string
				set := func(flag string, field *string, v string) {
					if changed(flag) && *field != v {
						said = append(said, fmt.Sprintf("%s %s → %s", flag, dash(*field), dash(v)))
						*field = v
					}
				}
				was := *s
				set("name", &s.Name, strings.TrimSpace(name))
				set("role", &s.Role, role)
				set("language", &s.Language, language)
				set("home", &s.Home, home)
				set("category", &s.Category, category)
				if changed("every") && s.Every != every {
					said = append(said, fmt.Sprintf("every %s → %s", s.Every, every))
					s.Every = every
				}
				// Whenever --role is given, even unchanged, the direction
				// of copies is decided again, so that a run cut short
				// before that point can be completed (docs/lineage.md).
				c, err := lineage.CorrectSource(cmd.Context(), st, was, *s, changed("role"))
				if err != nil {
					return err
				}
				if len(said) == 0 {
					fmt.Fprintf(e.stdout, "source %d unchanged\n", id)
				} else {
					fmt.Fprintf(e.stdout, "source %d: %s\n", id, strings.Join(said, "; "))
				}
				if s.Name != was.Name {
					fmt.Fprintf(e.stdout, "  stored articles now attributed to %q, with the boilerplate learnt from them: %d\n", s.Name, c.Moved)
				}
				if c.Reoriented {
					fmt.Fprintf(e.stdout, "  the role votes on the direction of copies: %d stored links changed direction\n", c.Turned)
				}
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&name, "name", "", "the outlet's name, as articles fetched from it are attributed")
	cmd.Flags().StringVar(&role, "role", "", "what the outlet does: wire, aggregator or outlet (used by provenance); none to clear")
	cmd.Flags().StringVar(&language, "language", "", "the outlet's language, ISO 639-1 (empty to clear)")
	cmd.Flags().StringVar(&home, "home", "", "the outlet's homepage")
	cmd.Flags().StringVar(&category, "category", "", "a folder, as OPML import sets it (\"Wires/Europe\")")
	cmd.Flags().DurationVar(&every, "every", 0, "how often to poll the feed (at least 1m; a shorter interval brings the next poll forward)")
	return cmd
}

func newSourceRenameCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename an outlet: every stored article under the name OLD, and every watched source so named, takes the name NEW",
		Long: `Rename an outlet by name, for articles whose outlet was named by their pages
or by --source (files, WARC, JSONL) as much as for watched feeds. Every stored
article attributed to OLD moves to NEW, with the boilerplate learnt from it,
and every watched source named OLD is renamed. Renaming into a name in use
joins the two: corroboration counts outlets by name, so one outlet under two
names would corroborate itself. The rename is recorded (source renames).`,
		Args: argsCheck(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to := strings.TrimSpace(args[0]), strings.TrimSpace(args[1])
			if from == "" {
				return usagef("source rename: which outlet to rename is missing")
			}
			if err := model.CheckSourceName(to); err != nil {
				return usagef("source rename: %q: %v", to, err)
			}
			if from == to {
				return usagef("source rename: %q is already the name", from)
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				c, err := lineage.RenameOutlet(cmd.Context(), st, from, to)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "outlet %q renamed %q: %d stored articles moved, with the boilerplate learnt from them\n", from, to, c.Moved)
				fmt.Fprintf(e.stdout, "  the role votes on the direction of copies: %d stored links changed direction\n", c.Turned)
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

func newSourceRenamesCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "renames",
		Short: "List the renames of outlets and watched sources, oldest first",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				rs, err := st.SourceRenames(cmd.Context())
				if err != nil {
					return err
				}
				if len(rs) == 0 {
					fmt.Fprintln(e.stdout, "no renames")
					return nil
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tWHEN\tFROM\tTO\tSOURCE\tMOVED")
				for _, r := range rs {
					src := "outlet"
					if r.Source > 0 {
						src = strconv.FormatInt(r.Source, 10)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", r.ID, r.At.Format(time.RFC3339), r.From, r.To, src, r.Moved)
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

func newSourceRemoveCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "remove ID",
		Short: "Stop watching a source (its articles stay)",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := sourceID(args[0])
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				if err := st.RemoveSource(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "removed source %d\n", id)
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

// watchFlags configure polling.
type watchFlags struct {
	fetchFlags
	tick     time.Duration
	maxItems int
	queue    bool
}

func (f *watchFlags) add(cmd *cobra.Command) {
	f.fetchFlags.add(cmd)
	cmd.Flags().DurationVar(&f.tick, "tick", time.Minute, "how often to look for sources that are due")
	cmd.Flags().IntVar(&f.maxItems, "max-items", 100, "new items taken from one feed per poll (the rest wait for the next)")
	cmd.Flags().BoolVar(&f.queue, "queue", false, "PostgreSQL only: hand fetched pages to `crosscheck worker` processes instead of ingesting them here")
}

// watcher makes the watcher the flags describe; close releases the work
// queue when there is one.
func (f *watchFlags) watcher(ctx context.Context, e *env, st store.Store, dsn string) (w *watch.Watcher, close func(), err error) {
	opts := watch.Options{Client: f.client(), MaxItems: f.maxItems, Log: e.log}
	opts.Ingest.Glossary = glossary(e)
	close = func() {}
	if f.queue {
		if !isPostgres(dsn) {
			return nil, nil, usagef("--queue needs PostgreSQL: --db postgres://…")
		}
		q, err := queue.Open(ctx, dsn)
		if err != nil {
			return nil, nil, err
		}
		opts.Enqueue, close = q.Enqueue, q.Close
	}
	return watch.New(st, opts), close, nil
}

func newWatchCmd(e *env) *cobra.Command {
	var dsn string
	var wf watchFlags
	var once bool
	cmd := &cobra.Command{
		Use:   "watch [--once]",
		Short: "Poll every source on its schedule and ingest new items (--once: one round, for cron)",
		Args:  argsCheck(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				w, closeQueue, err := wf.watcher(cmd.Context(), e, st, dsn)
				if err != nil {
					return err
				}
				defer closeQueue()
				if !once {
					fmt.Fprintf(e.stdout, "watching sources (checking every %s; Ctrl-C to stop)\n", wf.tick)
					return w.Run(cmd.Context(), wf.tick)
				}
				polls, err := w.Round(cmd.Context())
				printPolls(e, polls)
				if err != nil {
					return err
				}
				for _, p := range polls {
					if p.Err != nil || p.Rejected > 0 {
						return errRejected
					}
				}
				return nil
			})
		},
	}
	dbFlag(cmd, &dsn)
	wf.add(cmd)
	cmd.Flags().BoolVar(&once, "once", false, "poll the sources that are due once, then exit")
	return cmd
}

func printPolls(e *env, polls []watch.Poll) {
	if len(polls) == 0 {
		fmt.Fprintln(e.stdout, "no source is due")
		return
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "source\titems\tnew\tingested\tqueued\tskipped\trejected\tdeferred\tretrying\tnote")
	for _, p := range polls {
		note := ""
		switch {
		case p.Err != nil:
			note = p.Err.Error()
		case p.NotModified:
			note = "not modified"
		case p.Dropped["no link"] > 0:
			note = fmt.Sprintf("%d items without a link", p.Dropped["no link"])
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", p.Source, p.Items, p.New, p.Ingested, p.Queued, p.Skipped, p.Rejected, p.Deferred, p.Retrying, note)
	}
	tw.Flush()
}

// watchInBackground runs a watcher next to the server; its failure is
// logged, and the server goes on.
func watchInBackground(ctx context.Context, e *env, w *watch.Watcher, tick time.Duration) {
	go func() {
		if err := w.Run(ctx, tick); err != nil && !errors.Is(err, context.Canceled) {
			e.log.Error("watch stopped", "error", err)
		}
	}()
}
