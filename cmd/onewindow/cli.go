package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/config"
	"github.com/onewindow/onewindow/store"
)

// cli is what every command shares: a flag set whose flags are read from
// the command line, ONEWINDOW_* variables and the configuration file (parse),
// the --db flag, opening the database, and reporting errors.
type cli struct {
	*flag.FlagSet
	stdout, stderr io.Writer
	dsn            *string
}

// dbUsage is the --db flag's text.
const dbUsage = "SQLite file or postgres:// URL (env ONEWINDOW_DB)"

// defaultDBPath is the database when neither --db, ONEWINDOW_DB(_FILE) nor
// the configuration file names one.
var defaultDBPath = filepath.Join("data", "onewindow.db")

// newCLI starts a command's flags; name is its words ("audit verify"),
// which also name its table in the configuration file ([audit.verify]).
func newCLI(name, help string, stdout, stderr io.Writer) *cli {
	return &cli{FlagSet: newFlags(name, help, stderr), stdout: stdout, stderr: stderr}
}

func newFlags(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", help)
		fs.PrintDefaults()
	}
	return fs
}

// withDB adds --db with the given text (dbUsage when empty).
func (c *cli) withDB(usage string) *cli {
	if usage == "" {
		usage = dbUsage
	}
	c.dsn = c.String("db", defaultDBPath, usage)
	return c
}

// parse reads the flags (see parse in config.go): it returns the exit code
// when that ends the command (0 after --help, 2 on a bad flag), else -1.
func (c *cli) parse(args []string) int { return parse(c.FlagSet, args) }

// parseAnywhere is parse for commands whose flags may also follow their
// arguments ("restore FILE --db X"). An argument that looks like a
// negative number is an argument.
func (c *cli) parseAnywhere(args []string) int {
	config.Prepare(c.FlagSet) // --config and the -file twins take values too
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if !strings.HasPrefix(a, "-") || name == "" || !isLetter(name[0]) {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		name, _, hasValue := strings.Cut(name, "=")
		if f := c.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return c.parse(append(append(flags, "--"), words...))
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// noArgs refuses arguments after the flags.
func (c *cli) noArgs() bool {
	if c.NArg() > 0 {
		fmt.Fprintf(c.stderr, "onewindow %s: unexpected argument %q\n", c.Name(), c.Arg(0))
		return false
	}
	return true
}

// open opens the database --db names and brings its schema up to date;
// a failure is reported, and the command should exit 1.
func (c *cli) open(ctx context.Context) (*store.DB, bool) {
	return openDB(ctx, *c.dsn, store.Options{}, c.stderr)
}

func openDB(ctx context.Context, dsn string, o store.Options, stderr io.Writer) (*store.DB, bool) {
	db, err := store.OpenWith(ctx, dsn, o)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return nil, false
	}
	if err := db.Migrate(ctx); err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		db.Close()
		return nil, false
	}
	return db, true
}

// fail reports a failure of the command as "onewindow NAME: …" and returns
// code.
func (c *cli) fail(code int, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "onewindow %s: %s\n", c.Name(), fmt.Sprintf(format, args...))
	return code
}

// printAppError writes an application error with its field errors, one
// per line.
func printAppError(w io.Writer, err error) {
	fmt.Fprintf(w, "onewindow: %s\n", describe(err))
}

// describe renders an error with its field errors, one per line.
func describe(err error) string {
	ae := apperr.As(err)
	var b strings.Builder
	b.WriteString(ae.Message.ZH + " / " + ae.Message.EN)
	for _, f := range ae.Fields {
		b.WriteString("\n  " + f.Field + ": " + f.Message.ZH + " / " + f.Message.EN)
	}
	if ae.Code == apperr.Internal && ae.Err != nil {
		b.WriteString("\n  " + ae.Err.Error())
	}
	return b.String()
}

// isHelp tells whether an argument asks for help.
func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// subcommand checks that args start with one of a command's subcommands.
// When they do not, it writes help (to stdout when help was asked for, with
// exit code 0; to stderr otherwise, code 2) and returns false with the code.
func subcommand(args []string, help string, stdout, stderr io.Writer, names ...string) (int, bool) {
	if len(args) > 0 && slices.Contains(names, args[0]) {
		return 0, true
	}
	if len(args) > 0 && (isHelp(args[0]) || args[0] == "help") {
		fmt.Fprintln(stdout, help)
		return 0, false
	}
	fmt.Fprintln(stderr, help)
	return 2, false
}

// fileExists tells whether an SQLite database file is there.
func fileExists(path string) bool {
	_, err := os.Stat(strings.TrimPrefix(path, "sqlite:"))
	return err == nil
}
