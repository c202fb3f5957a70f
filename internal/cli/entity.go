package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

func newEntityCmd(e *env) *cobra.Command {
	var dsn, to string
	cmd := &cobra.Command{
		Use:   "entity",
		Short: "Show a person, organisation or place, or correct the alias table",
		Long: `Names are resolved to entities as articles arrive: transliterations of one
name share an entity (Zelensky, Zelenskiy, Zelinsky), and a surname alone
goes to the full name its story gives. Correct what that gets wrong:
"alias" makes a spelling belong to an entity (stored mentions so spelled
move, later ones follow); "merge" folds one entity into another.`,
	}
	show := &cobra.Command{
		Use:   "show ENTITY",
		Short: "An entity's name, type, spellings, roles and articles",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := entityID(args[0])
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				x, err := st.GetEntity(cmd.Context(), id)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "entity %d: %s (%s)\nspellings: %v\nroles: %v\narticles: %v\n", x.ID, x.Name, x.Type, x.Aliases, x.Roles, x.Articles)
				return nil
			})
		},
	}
	alias := &cobra.Command{
		Use:   "alias SPELLING --to ENTITY",
		Short: "Make a spelling an alias of an entity",
		Args:  argsCheck(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := entityID(to)
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				if err := st.SetAlias(cmd.Context(), args[0], id); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%q is now entity %d\n", args[0], id)
				return nil
			})
		},
	}
	alias.Flags().StringVar(&to, "to", "", "the entity the spelling belongs to")
	merge := &cobra.Command{
		Use:   "merge ENTITY OTHER",
		Short: "Merge OTHER into ENTITY: its mentions and spellings move",
		Args:  argsCheck(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			keep, err := entityID(args[0])
			if err != nil {
				return err
			}
			other, err := entityID(args[1])
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), dsn, func(st store.Store) error {
				if err := st.MergeEntities(cmd.Context(), keep, other); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "merged entity %d into entity %d\n", other, keep)
				return nil
			})
		},
	}
	for _, c := range []*cobra.Command{show, alias, merge} {
		dbFlag(c, &dsn)
		cmd.AddCommand(c)
	}
	return cmd
}

func entityID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not an entity ID (a positive number)", s)
	}
	return id, nil
}
