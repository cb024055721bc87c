package audit

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/onewindow/onewindow/store"
)

// RunVerify implements "onewindow audit verify": it prints
// "audit log intact: N records" and the head's hash (worth writing down
// somewhere else: a chain rewritten from the start would still verify, but
// its head would differ), and returns 0; or prints where the chain is broken,
// or why it could not be read, and returns 1.
func RunVerify(ctx context.Context, db *store.DB, stdout, stderr io.Writer) int {
	n, head, err := verify(ctx, db)
	var broken *BreakError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stderr, "%v (%d records before it verified)\n", broken, n)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "audit verify: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "audit log intact: %d records\n", n)
	fmt.Fprintf(stdout, "head hash: %s\n", head)
	return 0
}
