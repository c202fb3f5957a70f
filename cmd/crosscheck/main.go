// Command crosscheck ingests news articles, finds copies and stories, and
// shows which claims independent sources corroborate or dispute.
package main

import (
	"os"

	"github.com/crosscheck-news/crosscheck/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
