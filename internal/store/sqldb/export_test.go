package sqldb

import "context"

// CountTerms exposes countTerms to the package's external tests.
func CountTerms(ctx context.Context, tx *Tx, terms []string) error { return countTerms(ctx, tx, terms) }
