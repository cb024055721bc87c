package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onewindow/onewindow/store"
)

// cmdBackup is `onewindow backup [--db DSN] FILE`.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow backup [--db DSN] FILE: write a consistent copy of a running SQLite database to FILE (which must not exist).\n" +
		"The servers keep running. For PostgreSQL use pg_dump (docs/RELIABILITY.md)."
	c := newCLI("backup", help, stdout, stderr).withDB("SQLite file (env ONEWINDOW_DB)")
	if code := c.parseAnywhere(args); code >= 0 {
		return code
	}
	if c.NArg() != 1 {
		fmt.Fprintln(stderr, "backup: name one file to write\n\n"+help)
		return 2
	}
	dsn, file := *c.dsn, c.Arg(0)
	if store.IsPostgresDSN(dsn) {
		fmt.Fprintln(stderr, "backup: this is a PostgreSQL database: back it up with pg_dump --format=custom (see docs/RELIABILITY.md)")
		return 2
	}
	if _, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	defer db.Close()
	if err := db.Backup(ctx, file); err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "backup of %s written to %s\n", db.Location, file)
	return 0
}

// cmdRestore is `onewindow restore FILE [--db DSN] [--force]`.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow restore FILE [--db DSN] [--force]: replace the SQLite database with a backup made by `onewindow backup`.\n" +
		"Stop the servers first. A database that already holds tables is replaced only with --force.\n" +
		"For PostgreSQL use pg_restore (docs/RELIABILITY.md)."
	c := newCLI("restore", help, stdout, stderr).withDB("SQLite file to restore into (env ONEWINDOW_DB)")
	force := c.Bool("force", false, "replace a database that is not empty")
	if code := c.parseAnywhere(args); code >= 0 {
		return code
	}
	if c.NArg() != 1 {
		fmt.Fprintln(stderr, "restore: name one backup file\n\n"+help)
		return 2
	}
	dsn, file := *c.dsn, c.Arg(0)
	if store.IsPostgresDSN(dsn) {
		fmt.Fprintln(stderr, "restore: this is a PostgreSQL database: restore it with pg_restore (see docs/RELIABILITY.md)")
		return 2
	}
	if err := store.Restore(ctx, file, dsn, *force); err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		if errors.Is(err, store.ErrNotEmpty) {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", file, strings.TrimPrefix(dsn, "sqlite:"))
	return 0
}
