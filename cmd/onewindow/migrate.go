package main

import (
	"context"
	"fmt"
	"io"

	"github.com/onewindow/onewindow/store"
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
	placement, schema, err := db.Placement(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	switch placement {
	case store.PlacementDistributed:
		fmt.Fprintf(stdout, "citus: schema %s is distributed: its tables are single-shard tables together on one worker\n", schema)
	case store.PlacementCoordinator:
		fmt.Fprintf(stdout, "citus: the public schema cannot be distributed: the tables stay on the coordinator (name a schema with search_path=NAME in the URL to distribute it)\n")
	}
	return 0
}
