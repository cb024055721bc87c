// Package config lets every command-line flag also come from the
// environment and from a configuration file, so that a server is set up the
// way containers and service managers expect: flag > environment > file >
// default. Secrets can be read from files (as container secrets are mounted).
//
// The file is a small subset of TOML: `key = value` lines, where the key is
// a flag's name ("addr", "log-format") and the value a "quoted string", a
// 'literal string', a number or true/false; `#` starts a comment; keys under
// a table header apply to one command only, named by its words joined by
// dots ([serve], [catalog.import], [audit.verify]), keys before any header
// to every command that has the flag (a command may keep a flag to its own
// table: Options.Own). A key no command has is an error naming the
// file and line, as is a value a flag refuses.
//
// A flag NAME also comes from the variable ONEWINDOW_NAME (upper case, "-"
// as "_"): ONEWINDOW_LOG_FORMAT=json. A secret flag (the database and SMTP
// addresses, and any flag whose name says password, secret or token) may be read from
// a file instead: --NAME-file PATH, ONEWINDOW_NAME_FILE=PATH or the key
// NAME-file; the file's content, without its trailing newline, is the value.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// EnvPrefix starts the name of every environment variable a flag is read from.
const EnvPrefix = "ONEWINDOW_"

// ConfigFlag is the flag (and ONEWINDOW_CONFIG the variable) naming the file.
const ConfigFlag = "config"

// EnvName is the environment variable of a flag: ONEWINDOW_LOG_FORMAT for log-format.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// secretFlags hold addresses that may carry a password in their user part:
// the database's and the SMTP server's.
var secretFlags = []string{"db", "database-url", "smtp-url"}

// Secret reports whether a flag holds a secret: it is masked when shown and
// may be read from a file.
func Secret(flag string) bool {
	if slices.Contains(secretFlags, flag) {
		return true
	}
	for _, w := range []string{"password", "secret", "token"} {
		if strings.Contains(flag, w) {
			return true
		}
	}
	return false
}

// File is a parsed configuration file.
type File struct {
	Path    string
	Entries []Entry
}

// Entry is one key = value line.
type Entry struct {
	Table string // "" before any header, else the header's name ("serve", "catalog.import")
	Key   string
	Value string
	Line  int
}

// Where names the line of an entry: "onewindow.toml:7".
func (f *File) Where(e Entry) string { return fmt.Sprintf("%s:%d", f.Path, e.Line) }

// Load reads and parses the file at path.
func Load(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer fh.Close()
	return Parse(path, fh)
}

// Parse reads a configuration file; path names it in errors.
func Parse(path string, r io.Reader) (*File, error) {
	f := &File{Path: path}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	table := ""
	seen := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
		}
		if strings.HasPrefix(text, "[") {
			name, rest, ok := strings.Cut(text[1:], "]")
			rest = strings.TrimSpace(rest)
			name = strings.TrimSpace(name)
			if !ok || (rest != "" && !strings.HasPrefix(rest, "#")) || !validName(name, true) {
				return nil, bad("a table header is [command], e.g. [serve] or [catalog.import]")
			}
			table = name
			continue
		}
		key, raw, ok := strings.Cut(text, "=")
		key = strings.TrimSpace(key)
		if !ok || !validName(key, false) {
			return nil, bad("expected key = value, with a flag's name as the key")
		}
		value, err := parseValue(strings.TrimSpace(raw))
		if err != nil {
			return nil, bad("%s: %v", key, err)
		}
		id := table + "\x00" + key
		if first, dup := seen[id]; dup {
			return nil, bad("%s is set again (first on line %d)", key, first)
		}
		seen[id] = line
		f.Entries = append(f.Entries, Entry{Table: table, Key: key, Value: value, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

func validName(s string, dotted bool) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || dotted && c == '.') {
			return false
		}
	}
	return true
}

// parseValue reads a TOML basic string ("…" with \" \\ \n \t \uXXXX), a
// literal string ('…'), an integer, a float or a boolean, with an optional
// comment after it; the value is returned as a flag would take it.
func parseValue(raw string) (string, error) {
	switch {
	case raw == "":
		return "", errors.New("the value is missing (write \"\" for an empty one)")
	case raw[0] == '"':
		end := 1
		for ; end < len(raw); end++ {
			if raw[end] == '\\' {
				end++
				continue
			}
			if raw[end] == '"' {
				break
			}
		}
		if end >= len(raw) {
			return "", errors.New("the string has no closing quote")
		}
		if err := trailing(raw[end+1:]); err != nil {
			return "", err
		}
		v, err := strconv.Unquote(raw[:end+1])
		if err != nil {
			return "", fmt.Errorf("the string is not valid: %v", err)
		}
		return v, nil
	case raw[0] == '\'':
		end := strings.IndexByte(raw[1:], '\'')
		if end < 0 {
			return "", errors.New("the string has no closing quote")
		}
		if err := trailing(raw[end+2:]); err != nil {
			return "", err
		}
		return raw[1 : end+1], nil
	}
	v, _, _ := strings.Cut(raw, "#")
	v = strings.TrimSpace(v)
	if v == "true" || v == "false" {
		return v, nil
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil {
		return strings.ReplaceAll(v, "_", ""), nil
	}
	return "", fmt.Errorf("%s is neither a number nor true/false: put text in quotes", v)
}

func trailing(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return fmt.Errorf("unexpected %q after the value", rest)
	}
	return nil
}

// Tables lists the table names a file uses.
func (f *File) Tables() []string {
	var out []string
	for _, e := range f.Entries {
		if e.Table != "" && !slices.Contains(out, e.Table) {
			out = append(out, e.Table)
		}
	}
	return out
}
