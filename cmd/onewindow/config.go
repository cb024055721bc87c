package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/onewindow/onewindow/config"
)

// Every command's flags come through parse, which also reads them from the
// environment and the configuration file (package config). `config check`
// runs a command's flag definitions through the same path and stops before
// the command does anything.

// flagCommands are the commands whose flags a configuration file may set,
// each with its table in the file.
var flagCommands = [][]string{{"serve"}, {"demo"}, {"migrate"}, {"catalog", "import"}, {"catalog", "export"},
	{"user", "add"}, {"workday", "add"}, {"workday", "is"}, {"workday", "between"}, {"workday", "import"},
	{"audit", "verify"}, {"audit", "keygen"}, {"audit", "checkpoint"}, {"enterprise", "list"},
	{"coverage"}, {"coverage", "plan"}, {"coverage", "roads"}, {"points", "import"}, {"points", "export"},
	{"regions", "load"}, {"regions", "locations"}, {"bench"}, {"backup"}, {"restore"}}

// commandNames lists flagCommands as words: "serve, demo, …, catalog import".
func commandNames() string {
	names := make([]string, len(flagCommands))
	for i, c := range flagCommands {
		names[i] = strings.Join(c, " ")
	}
	return strings.Join(names, ", ")
}

var (
	// collecting, when set, records each command's flags and stops it.
	collecting map[string]*flag.FlagSet
	// checking, when set, prints each command's settings and stops it.
	checking io.Writer
	// known caches every command's flags, by table.
	known map[string]*flag.FlagSet
)

// parse reads a command's flags from the command line, the environment and
// the configuration file, and returns the exit code to use when that stops
// the command: 0 after --help (or a `config check`), 2 on a bad flag or
// configuration; -1 to go on.
func parse(fs *flag.FlagSet, args []string) int { return parseOwn(fs, args) }

// parseOwn is parse for a command whose flags own are read only from the
// command line and its own table of the file (config.Options.Own).
func parseOwn(fs *flag.FlagSet, args []string, own ...string) int {
	config.Prepare(fs)
	table := strings.ReplaceAll(fs.Name(), " ", ".")
	if collecting != nil {
		collecting[table] = fs
		return 0
	}
	settings, err := config.Apply(fs, args, config.Options{Table: table, Known: knownKey, Own: own})
	if err != nil {
		var ce *config.Error
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ce):
			fmt.Fprintf(fs.Output(), "onewindow %s: %v\n", fs.Name(), err)
		}
		return 2
	}
	if checking != nil {
		printSettings(checking, fs.Name(), settings)
		return 0
	}
	return -1
}

// knownKey tells whether table (a command's, or "" for any) has a flag key.
func knownKey(table, key string) bool {
	if known == nil {
		collecting = map[string]*flag.FlagSet{}
		for _, c := range flagCommands {
			run(context.Background(), c, nil, io.Discard, io.Discard)
		}
		known, collecting = collecting, nil
	}
	for t, fs := range known {
		if (table == "" || table == t) && fs.Lookup(key) != nil && key != config.ConfigFlag {
			return true
		}
	}
	return false
}

func printSettings(w io.Writer, command string, settings []config.Setting) {
	fmt.Fprintf(w, "%s:\n", command)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range settings {
		v := s.Shown()
		if v == "" {
			v = `""`
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Flag, strings.ReplaceAll(v, "\n", `\n`), s.Source)
	}
	tw.Flush()
}

const configHelp = `onewindow config check [--config FILE] [COMMAND] [FLAGS]: load the configuration of COMMAND (serve by
default; any command below) from its flags, the environment (ONEWINDOW_NAME, ONEWINDOW_NAME_FILE) and the
file (--config or ONEWINDOW_CONFIG), check every value and every key of the file, and print each flag's
value (secrets masked) and where it came from. Exit code 0 when all is well, 2 otherwise.
The file's format is in docs/DEPLOY.md (Configuration); a command's table is its words joined by dots,
e.g. [audit.verify] or [coverage.plan].

Commands: `

func cmdConfig(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, configHelp+commandNames())
			return 0
		}
		fmt.Fprintln(stderr, configHelp+commandNames())
		return 2
	}
	// onewindow config check [--config FILE] [COMMAND WORDS] [FLAGS OF THE COMMAND…]
	var command, flags []string
	rest := args[1:]
	for len(rest) > 0 {
		a := rest[0]
		switch {
		case a == "--help" || a == "-h":
			fmt.Fprintln(stdout, configHelp+commandNames())
			return 0
		case a == "--config" || a == "-config":
			if len(rest) < 2 {
				fmt.Fprintln(stderr, "config check: --config needs a file")
				return 2
			}
			flags = append(flags, "--config", rest[1])
			rest = rest[2:]
			continue
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			flags = append(flags, a)
		case strings.HasPrefix(a, "-"):
			flags = append(flags, rest...) // the command's own flags, checked as given
			rest = nil
			continue
		default:
			command = append(command, a)
		}
		rest = rest[1:]
	}
	if len(command) == 0 {
		command = []string{"serve"}
	}
	valid := false
	for _, c := range flagCommands {
		if strings.Join(c, " ") == strings.Join(command, " ") {
			valid = true
		}
	}
	if !valid {
		fmt.Fprintf(stderr, "config check: %q takes no configuration; one of: %s\n", strings.Join(command, " "), commandNames())
		return 2
	}
	// Every command's table is checked, so that a wrong value under [demo]
	// shows before the demo runs; the one asked for is printed.
	// A problem of the file shows under every command: say it once.
	code := 0
	said := map[string]bool{}
	for _, c := range flagCommands {
		out := io.Discard
		if strings.Join(c, " ") == strings.Join(command, " ") {
			out = stdout
		}
		var problems bytes.Buffer
		checking = out
		if run(ctx, append(c, configOnly(flags, c, command)...), nil, out, &problems) != 0 {
			code = 2
		}
		checking = nil
		for _, line := range strings.Split(strings.TrimSpace(problems.String()), "\n") {
			if line = strings.TrimPrefix(line, "onewindow "+strings.Join(c, " ")+": "); line != "" && !said[line] {
				said[line] = true
				fmt.Fprintf(stderr, "%s\n", line)
			}
		}
	}
	if code == 0 {
		fmt.Fprintln(stdout, "configuration OK")
	}
	return code
}

// configOnly passes the command asked for all its flags, and the others
// only --config: a flag of serve would be unknown to migrate.
func configOnly(flags []string, c, asked []string) []string {
	if strings.Join(c, " ") == strings.Join(asked, " ") {
		return flags
	}
	var out []string
	for i := 0; i < len(flags); i++ {
		if flags[i] == "--config" && i+1 < len(flags) {
			out = append(out, flags[i], flags[i+1])
			i++
		} else if strings.HasPrefix(flags[i], "--config=") || strings.HasPrefix(flags[i], "-config=") {
			out = append(out, flags[i])
		}
	}
	return out
}
