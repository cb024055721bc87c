package config

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Setting says what a flag holds and where that came from.
type Setting struct {
	Flag   string
	Value  string // as the flag holds it; Shown masks secrets
	Source string // "default", "flag", "env ONEWINDOW_ADDR", "onewindow.toml:3", "file /run/secrets/db (ONEWINDOW_DB_FILE)"
	Secret bool
}

// Shown is the value as it may be printed: a secret is masked, and a
// database address keeps everything but its password.
func (s Setting) Shown() string {
	if !s.Secret || s.Value == "" {
		return s.Value
	}
	return Mask(s.Value)
}

var keywordPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`)

// Mask hides the secret in a value: the password of a URL or of a
// keyword=value connection string, or the whole value otherwise. A plain
// file path (an SQLite database) is not a secret and is kept.
func Mask(v string) string {
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return strings.Replace(u.String(), "xxxxx", "***", 1)
		}
		if q := u.Query(); q.Get("password") != "" {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
			return strings.Replace(u.String(), "xxxxx", "***", 1)
		}
		return v
	}
	if keywordPassword.MatchString(v) {
		return keywordPassword.ReplaceAllString(v, "${1}***")
	}
	if strings.ContainsAny(v, "/\\") || strings.HasSuffix(v, ".db") {
		return v
	}
	return "***"
}

// Error is a problem with the configuration (a file, a variable or a value
// from either), as opposed to the command line, which the flag package
// reports itself.
type Error struct{ Problems []string }

func (e *Error) Error() string { return strings.Join(e.Problems, "\n") }

// Options tell Apply about its surroundings.
type Options struct {
	// Table is the command's table in the file ("serve", "catalog.import").
	Table string
	// Getenv reads the environment; nil is os.Getenv.
	Getenv func(string) string
	// Known tells whether a key is a flag of some command: of the command
	// the table names, or of any command for a key before any table
	// (table ""). Keys this command does not take are left to the others
	// when Known knows them. Nil: every key must be this command's.
	Known func(table, key string) bool
	// Own are flags read only from the command line and the command's own
	// table, never from the environment or keys before any table: a flag
	// whose shared value (the server's database) would be wrong, even
	// harmful, for this command.
	Own []string
}

// Prepare adds the flags every command takes: --config, and --NAME-file
// for each secret flag. Call it after defining the command's own flags.
func Prepare(fs *flag.FlagSet) {
	if fs.Lookup(ConfigFlag) == nil {
		fs.String(ConfigFlag, "", "configuration file (TOML: key = value, a flag's name as key); also "+EnvName(ConfigFlag)+".\nEvery flag may also be set as "+EnvPrefix+"NAME; the command line wins, then the environment, then the file")
	}
	var secrets []string
	fs.VisitAll(func(f *flag.Flag) {
		if Secret(f.Name) && !isBool(f) {
			secrets = append(secrets, f.Name)
		}
	})
	for _, name := range secrets {
		if fs.Lookup(name+"-file") == nil {
			fs.String(name+"-file", "", "read --"+name+" from this file (a mounted secret); also "+EnvName(name)+"_FILE")
		}
	}
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// helper reports whether a flag is one Prepare added for another flag.
func helper(fs *flag.FlagSet, name string) bool {
	if name == ConfigFlag {
		return true
	}
	base, ok := strings.CutSuffix(name, "-file")
	return ok && fs.Lookup(base) != nil && Secret(base)
}

// Apply parses args into fs (after Prepare), then gives every flag not set
// on the command line its value from the environment or, failing that, the
// configuration file (--config or ONEWINDOW_CONFIG), and returns where each
// flag's value came from. flag.ErrHelp comes back as the flag package gives
// it; any other error names the flag, variable or file line at fault.
func Apply(fs *flag.FlagSet, args []string, o Options) ([]Setting, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	onLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onLine[f.Name] = true })

	var file *File
	path, pathSource := fs.Lookup(ConfigFlag).Value.String(), "flag"
	if !onLine[ConfigFlag] {
		path, pathSource = getenv(EnvName(ConfigFlag)), "env "+EnvName(ConfigFlag)
	}
	if path != "" {
		var err error
		if file, err = Load(path); err != nil {
			return nil, &Error{[]string{err.Error()}}
		}
		if err := checkKeys(fs, file, o); err != nil {
			return nil, err
		}
	}
	settings := []Setting{}
	if path != "" {
		settings = append(settings, Setting{Flag: ConfigFlag, Value: path, Source: pathSource})
	}
	var problems []string
	fs.VisitAll(func(f *flag.Flag) {
		if helper(fs, f.Name) {
			return
		}
		s := Setting{Flag: f.Name, Source: "default", Secret: Secret(f.Name)}
		value, source, err := lookup(fs, f.Name, onLine, getenv, file, o.Table, slices.Contains(o.Own, f.Name))
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case source != "":
			s.Source = source
			if source != "flag" {
				if err := fs.Set(f.Name, value); err != nil {
					shown := value
					if s.Secret {
						shown = Mask(value)
					}
					problems = append(problems, fmt.Sprintf("--%s (from %s): invalid value %q: %v", f.Name, source, shown, err))
				}
			}
		}
		s.Value = f.Value.String()
		settings = append(settings, s)
	})
	if len(problems) > 0 {
		return nil, &Error{problems}
	}
	return settings, nil
}

// lookup finds a flag's value by precedence: the command line (the flag or
// its -file twin), the environment (NAME, then NAME_FILE), the file (the
// command's table, then the top level; NAME, then NAME-file); an own flag
// skips the environment and the top level. An empty source means the
// default stands.
func lookup(fs *flag.FlagSet, name string, onLine map[string]bool, getenv func(string) string, file *File, table string, own bool) (string, string, error) {
	secret := Secret(name) && fs.Lookup(name+"-file") != nil
	if onLine[name] {
		return "", "flag", nil
	}
	if secret && onLine[name+"-file"] {
		p := fs.Lookup(name + "-file").Value.String()
		v, err := readSecret(p)
		return v, "file " + p + " (--" + name + "-file)", err
	}
	if own {
		getenv = func(string) string { return "" }
	}
	if v, ok := lookupEnv(getenv, EnvName(name)); ok {
		return v, "env " + EnvName(name), nil
	}
	if secret {
		if p, ok := lookupEnv(getenv, EnvName(name)+"_FILE"); ok {
			v, err := readSecret(p)
			return v, "file " + p + " (" + EnvName(name) + "_FILE)", err
		}
	}
	if file == nil {
		return "", "", nil
	}
	tables := []string{table, ""}
	if own {
		tables = tables[:1]
	}
	for _, t := range tables {
		for _, e := range file.Entries {
			if e.Table != t {
				continue
			}
			switch {
			case e.Key == name:
				return e.Value, file.Where(e), nil
			case secret && e.Key == name+"-file":
				v, err := readSecret(e.Value)
				return v, "file " + e.Value + " (" + file.Where(e) + ")", err
			}
		}
	}
	return "", "", nil
}

// lookupEnv treats a variable set to "" as unset, as shells and service
// files often leave one.
func lookupEnv(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("secret file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// checkKeys refuses keys no command has: a key of this command's table (or
// before any table) that is not its flag is an error unless Known knows it
// for another command; so is any key of another table Known does not know.
func checkKeys(fs *flag.FlagSet, f *File, o Options) error {
	var problems []string
	for _, e := range f.Entries {
		mine := (e.Table == o.Table || e.Table == "") && fs.Lookup(e.Key) != nil && e.Key != ConfigFlag
		if mine || (o.Known != nil && o.Known(e.Table, e.Key)) {
			continue
		}
		switch {
		case e.Table == "":
			problems = append(problems, fmt.Sprintf("%s: unknown key %q: no command has a flag --%s", f.Where(e), e.Key, e.Key))
		case e.Table == o.Table || o.Known == nil:
			problems = append(problems, fmt.Sprintf("%s: unknown key %q: [%s] has no flag --%s", f.Where(e), e.Key, e.Table, e.Key))
		default:
			problems = append(problems, fmt.Sprintf("%s: unknown key %q in [%s]: no such command, or it has no flag --%s", f.Where(e), e.Key, e.Table, e.Key))
		}
	}
	if len(problems) > 0 {
		return &Error{problems}
	}
	return nil
}
