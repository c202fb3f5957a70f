// Package cli implements crosscheck's sub-commands. Each is a thin
// run<Cmd>(ctx, opts) over the internal packages; Run maps errors to exit
// codes in one place: 0 success, 1 some inputs rejected, 2 usage or fatal.
package cli
