package main

import (
	"context"
	"fmt"
	"io"
)

// cmdMigrate is `onewindow migrate`.

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCLI("migrate", "onewindow migrate [--db DSN]: create or update the schema (safe to run again).", stdout, stderr).withDB("")
	if code := c.parse(args); code >= 0 {
		return code
	}
	db, ok := c.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema up to date: %s\n", db.Location)
	return 0
}
