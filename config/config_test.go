package config_test

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/config"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseValuesAndErrors(t *testing.T) {
	f, err := config.Parse("ow.toml", strings.NewReader("\ufeff# comment\naddr = \"0.0.0.0:80\" # inline\n"+
		"raw = 'C:\\data\\ow.db'\nmax-in-flight = 1_000\nv = true\n\n[catalog.import]\npublish = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []config.Entry{{"", "addr", "0.0.0.0:80", 2}, {"", "raw", `C:\data\ow.db`, 3}, {"", "max-in-flight", "1000", 4},
		{"", "v", "true", 5}, {"catalog.import", "publish", "false", 8}}
	if len(f.Entries) != len(want) {
		t.Fatalf("entries %+v", f.Entries)
	}
	for i := range want {
		if f.Entries[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, f.Entries[i], want[i])
		}
	}
	for _, c := range []struct{ name, text, want string }{
		{"bare text", "a = 1\naddr = localhost\n", "ow.toml:2: addr: localhost is neither a number nor true/false: put text in quotes"},
		{"no value", "addr =\n", "ow.toml:1: addr: the value is missing"},
		{"no equals", "addr\n", "ow.toml:1: expected key = value"},
		{"open quote", "addr = \"x\n", "ow.toml:1: addr: the string has no closing quote"},
		{"junk after", "addr = \"x\" y\n", `ow.toml:1: addr: unexpected "y" after the value`},
		{"twice", "addr = \"a\"\n\naddr = \"b\"\n", "ow.toml:3: addr is set again (first on line 1)"},
		{"bad header", "[serve\n", "ow.toml:1: a table header is [command]"},
		{"capital key", "Addr = \"a\"\n", "ow.toml:1: expected key = value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse("ow.toml", strings.NewReader(c.text))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// flags defines a command's flags as cmd/onewindow does.
type flags struct {
	fs                    *flag.FlagSet
	addr, db, logFormat   *string
	maxInFlight           *int
	every                 *time.Duration
	verbose               *bool
	smtpPassword, dataDir *string
}

func newFlags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &flags{fs: fs,
		addr:         fs.String("addr", "127.0.0.1:8080", ""),
		db:           fs.String("db", "data/onewindow.db", ""),
		logFormat:    fs.String("log-format", "text", ""),
		maxInFlight:  fs.Int("max-in-flight", 256, ""),
		every:        fs.Duration("scan-interval", time.Minute, ""),
		verbose:      fs.Bool("v", false, ""),
		smtpPassword: fs.String("smtp-password", "", ""),
		dataDir:      fs.String("data", "data", ""),
	}
	config.Prepare(fs)
	return f
}

func env(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

func sourceOf(settings []config.Setting, name string) string {
	for _, s := range settings {
		if s.Flag == name {
			return s.Source
		}
	}
	return "(none)"
}

func TestPrecedenceFlagEnvFileDefault(t *testing.T) {
	dbSecret := writeFile(t, "db", "postgres://ow:s3cret@db:5432/ow\n")
	mailSecret := writeFile(t, "smtp", "hunter2\n")
	file := writeFile(t, "ow.toml", "log-format = \"json\"\naddr = \"0.0.0.0:1\"\nmax-in-flight = 10\nsmtp-password-file = \""+
		filepath.ToSlash(mailSecret)+"\"\n[serve]\naddr = \"0.0.0.0:2\"\n[migrate]\nv = true\n")
	f := newFlags("serve")
	settings, err := config.Apply(f.fs, []string{"--max-in-flight", "5", "--config", file}, config.Options{Table: "serve",
		Getenv: env(map[string]string{"ONEWINDOW_MAX_IN_FLIGHT": "7", "ONEWINDOW_LOG_FORMAT": "", "ONEWINDOW_SCAN_INTERVAL": "30s",
			"ONEWINDOW_DB_FILE": dbSecret}),
		Known: func(table, key string) bool { return table == "migrate" && key == "v" }})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name, got, want, source string
	}{
		{"max-in-flight", f.fs.Lookup("max-in-flight").Value.String(), "5", "flag"}, // flag beats env and file
		{"scan-interval", f.every.String(), "30s", "env ONEWINDOW_SCAN_INTERVAL"},   // env beats default
		{"log-format", *f.logFormat, "json", file + ":1"},                           // an empty variable is unset: the file
		{"addr", *f.addr, "0.0.0.0:2", file + ":6"},                                 // the command's table beats the top level
		{"db", *f.db, "postgres://ow:s3cret@db:5432/ow", "file " + dbSecret + " (ONEWINDOW_DB_FILE)"},
		{"smtp-password", *f.smtpPassword, "hunter2", "file " + filepath.ToSlash(mailSecret) + " (" + file + ":4)"},
		{"v", f.fs.Lookup("v").Value.String(), "false", "default"}, // [migrate] is another command's
		{"data", *f.dataDir, "data", "default"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
		if got := sourceOf(settings, c.name); got != c.source {
			t.Errorf("%s came from %q, want %q", c.name, got, c.source)
		}
	}
	if *f.maxInFlight != 5 || *f.verbose {
		t.Errorf("max-in-flight %d, v %v", *f.maxInFlight, *f.verbose)
	}
	for _, s := range settings {
		if strings.Contains(s.Shown(), "s3cret") || strings.Contains(s.Shown(), "hunter2") {
			t.Errorf("%s shown as %q", s.Flag, s.Shown())
		}
		if s.Flag == "db" && s.Shown() != "postgres://ow:***@db:5432/ow" {
			t.Errorf("db shown as %q", s.Shown())
		}
	}
}

// An own flag is read from the command line and the command's own table
// only: not from its variable, its _FILE variable, or a top-level key.
func TestOwnFlagsSkipTheEnvironmentAndTheTopLevel(t *testing.T) {
	dbSecret := writeFile(t, "db", "postgres://ow:s3cret@db:5432/ow\n")
	vars := env(map[string]string{"ONEWINDOW_DB": "server.db", "ONEWINDOW_DB_FILE": dbSecret, "ONEWINDOW_ADDR": "0.0.0.0:3"})
	top := writeFile(t, "ow.toml", "db = \"top.db\"\n")
	f := newFlags("bench")
	settings, err := config.Apply(f.fs, []string{"--config", top}, config.Options{Table: "bench", Getenv: vars, Own: []string{"db"}})
	if err != nil {
		t.Fatal(err)
	}
	if *f.db != "data/onewindow.db" || sourceOf(settings, "db") != "default" {
		t.Errorf("db = %q from %s, want the default", *f.db, sourceOf(settings, "db"))
	}
	if *f.addr != "0.0.0.0:3" { // other flags still come from the environment
		t.Errorf("addr = %q, want the variable's", *f.addr)
	}
	own := writeFile(t, "own.toml", "db = \"top.db\"\n[bench]\ndb = \"bench.db\"\n")
	f = newFlags("bench")
	settings, err = config.Apply(f.fs, []string{"--config", own}, config.Options{Table: "bench", Getenv: vars, Own: []string{"db"}})
	if err != nil || *f.db != "bench.db" || sourceOf(settings, "db") != own+":3" {
		t.Errorf("db = %q from %s (%v), want bench.db from its table", *f.db, sourceOf(settings, "db"), err)
	}
	f = newFlags("bench")
	if _, err := config.Apply(f.fs, []string{"--db", "line.db"}, config.Options{Table: "bench", Getenv: vars, Own: []string{"db"}}); err != nil || *f.db != "line.db" {
		t.Errorf("db = %q (%v), want the command line's", *f.db, err)
	}
}

func TestApplyNamesWhatIsWrong(t *testing.T) {
	for _, c := range []struct {
		name, file string
		args       []string
		env        map[string]string
		want       []string
	}{
		{"unknown key", "adr = \"x\"\n", nil, nil, []string{`:1: unknown key "adr": no command has a flag --adr`}},
		{"unknown key in the command's table", "[serve]\nverbose = true\n", nil, nil, []string{`:2: unknown key "verbose": [serve] has no flag --verbose`}},
		{"unknown table", "[srve]\naddr = \"x\"\n", nil, nil, []string{`:2: unknown key "addr" in [srve]`}},
		{"bad value in the file", "max-in-flight = \"many\"\n", nil, nil, []string{`--max-in-flight (from `, `:1): invalid value "many"`}},
		{"bad value in the environment", "", nil, map[string]string{"ONEWINDOW_SCAN_INTERVAL": "soon"},
			[]string{`--scan-interval (from env ONEWINDOW_SCAN_INTERVAL): invalid value "soon"`}},
		{"missing secret file", "", nil, map[string]string{"ONEWINDOW_DB_FILE": "/no/such/secret"}, []string{"secret file:", "/no/such/secret"}},
		{"missing config file", "", []string{"--config", "/no/such/ow.toml"}, nil, []string{"config file:", "/no/such/ow.toml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if c.file != "" {
				args = append(args, "--config", writeFile(t, "ow.toml", c.file))
			}
			_, err := config.Apply(newFlags("serve").fs, args, config.Options{Table: "serve", Getenv: env(c.env),
				Known: func(table, key string) bool { return false }})
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a configuration error", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// A bad command-line flag is the flag package's to report.
	if _, err := config.Apply(newFlags("serve").fs, []string{"--nope"}, config.Options{Getenv: env(nil)}); err == nil {
		t.Error("an unknown flag was accepted")
	} else if ce := (*config.Error)(nil); errors.As(err, &ce) {
		t.Errorf("a command-line error came back as a configuration error: %v", err)
	}
	// ONEWINDOW_CONFIG names the file when --config does not.
	path := writeFile(t, "ow.toml", "addr = \"0.0.0.0:3\"\n")
	f := newFlags("serve")
	if _, err := config.Apply(f.fs, nil, config.Options{Getenv: env(map[string]string{"ONEWINDOW_CONFIG": path})}); err != nil || *f.addr != "0.0.0.0:3" {
		t.Errorf("addr %q, %v", *f.addr, err)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ow:s3cret@db:5432/ow?sslmode=require": "postgres://ow:***@db:5432/ow?sslmode=require",
		"postgres://ow@db/ow?password=s3cret":             "postgres://ow@db/ow?password=***",
		"host=db user=ow password=s3cret dbname=ow":       "host=db user=ow password=*** dbname=ow",
		"postgres://ow@db/ow":                             "postgres://ow@db/ow",
		"data/onewindow.db":                               "data/onewindow.db",
		"hunter2":                                         "***",
	} {
		if got := config.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	if config.EnvName("log-format") != "ONEWINDOW_LOG_FORMAT" {
		t.Error("EnvName")
	}
	// Addresses that may carry a password are secrets by name, as are
	// flags that say password, secret or token.
	for flag, want := range map[string]bool{"db": true, "database-url": true, "smtp-url": true, "smtp-password": true,
		"api-token": true, "public-url": false, "sms-gateway-url": false, "sms-sign-name": false} {
		if config.Secret(flag) != want {
			t.Errorf("Secret(%q) = %v, want %v", flag, !want, want)
		}
	}
}
