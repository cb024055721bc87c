package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every command that parses flags takes them from ONEWINDOW_* variables and
// a configuration file too; config check shows the outcome with secrets
// masked and refuses unknown keys and bad values.
func TestConfiguration(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "from-file.db")
	cfg := filepath.Join(dir, "onewindow.toml")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cfg, "db = \""+filepath.ToSlash(db)+"\"\nlog-format = \"json\"\n\n[serve]\naddr = \"0.0.0.0:9090\"\n\n[catalog.export]\nformat = \"xlsx\"\n")

	// migrate takes its database from the file.
	if code, out, errOut := runCmd(t, "migrate", "--config", cfg); code != 0 || !strings.Contains(out, "from-file.db") {
		t.Fatalf("migrate: exit %d: %s%s", code, out, errOut)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the database named in the file was not created: %v", err)
	}

	secret := filepath.Join(dir, "db-secret")
	write(secret, "postgres://ow:s3cret@db.internal/ow\n")
	t.Setenv("ONEWINDOW_DB_FILE", secret)
	t.Setenv("ONEWINDOW_MAX_IN_FLIGHT", "64")
	code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "serve", "--scan-interval", "30s")
	if code != 0 {
		t.Fatalf("config check: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"addr ", "0.0.0.0:9090", cfg + ":5", "postgres://ow:***@db.internal/ow", "(ONEWINDOW_DB_FILE)",
		"env ONEWINDOW_MAX_IN_FLIGHT", "30s", "log-format", cfg + ":2", "configuration OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("config check shows the password:\n%s", out)
	}
	t.Setenv("ONEWINDOW_DB_FILE", "")
	t.Setenv("ONEWINDOW_MAX_IN_FLIGHT", "") // empty: unset, so that the file's value counts

	write(cfg, "adr = \"x\"\n[serve]\nmax-in-flight = \"many\"\n[catalog.export]\nformat = \"xlsx\"\n")
	code, _, errOut = runCmd(t, "config", "check", "--config", cfg)
	if code != 2 || !strings.Contains(errOut, cfg+`:1: unknown key "adr"`) {
		t.Errorf("unknown key: exit %d: %s", code, errOut)
	}
	write(cfg, "[serve]\nmax-in-flight = \"many\"\n")
	code, _, errOut = runCmd(t, "config", "check", "--config", cfg)
	if code != 2 || !strings.Contains(errOut, `--max-in-flight (from `+cfg+`:2): invalid value "many"`) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad value: exit %d: %q", code, errOut)
	}
	// serve refuses to start on the same file, naming the flag (the bad
	// --now is there so that a serve that took the file stops anyway).
	if code, _, errOut := runCmd(t, "serve", "--config", cfg, "--now", "2026-13-01"); code != 2 || !strings.Contains(errOut, "--max-in-flight") {
		t.Errorf("serve with a bad file: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "config", "check", "version"); code != 2 || !strings.Contains(errOut, "takes no configuration") {
		t.Errorf("config check version: exit %d: %s", code, errOut)
	}
	// Every command takes the file: audit verify finds the database there,
	// and config check knows every command's keys.
	write(cfg, "db = \""+filepath.ToSlash(db)+"\"\n[audit.verify]\ncheckpoints = \"\"\n[coverage.plan]\nmax = 3\n[workday.add]\ndb = \"x.db\"\n")
	if code, out, errOut := runCmd(t, "audit", "verify", "--config", cfg); code != 0 || !strings.Contains(out, "audit log intact") {
		t.Errorf("audit verify --config: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "coverage", "plan"); code != 0 || !strings.Contains(out, cfg+":5") {
		t.Errorf("config check coverage plan: exit %d: %s%s", code, out, errOut)
	}
	write(cfg, "[audit.verify]\ncheckpoint = \"x\"\n")
	if code, _, errOut := runCmd(t, "config", "check", "--config", cfg, "audit", "verify"); code != 2 || !strings.Contains(errOut, cfg+`:2: unknown key "checkpoint"`) {
		t.Errorf("an unknown key of audit verify: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "serve", "--help"); code != 0 || !strings.Contains(errOut, "-config") || !strings.Contains(errOut, "ONEWINDOW_") || !strings.Contains(errOut, "-db-file") {
		t.Errorf("serve --help does not mention the configuration: %s", errOut)
	}
}

// The sample configuration in deploy/ is valid for every command, and so is
// each setting it shows commented out; the SMTP address, which carries a
// password, comes from a file and is shown masked.
func TestSampleConfiguration(t *testing.T) {
	sample := filepath.Join("..", "..", "deploy", "onewindow.toml")
	code, out, errOut := runCmd(t, "config", "check", "--config", sample)
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("config check of the sample: exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{"trusted-proxies", sample + ":"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check of the sample lacks %q:\n%s", want, out)
		}
	}

	// Uncomment every example setting ("#   key = value") and check again,
	// with the files it names replaced by ones that exist.
	text, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	smtp := filepath.Join(dir, "smtp")
	if err := os.WriteFile(smtp, []byte("smtps://zwfw:s3cret@smtp.example.cn:465?from=zwfw@example.cn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	example := regexp.MustCompile(`^#\s+([a-z-]+) = (.*)$`)
	var lines []string
	uncommented := map[string]bool{}
	for _, line := range strings.Split(string(text), "\n") {
		m := example.FindStringSubmatch(line)
		switch {
		case m == nil:
		case m[1] == "db-file":
			continue // db is set already; a key may be given once
		case m[1] == "smtp-url-file":
			line, uncommented[m[1]] = "smtp-url-file = \""+filepath.ToSlash(smtp)+"\"", true
		case m[1] == "smtp-url":
			continue // smtp-url-file gives it
		case m[1] == "oidc-client-secret-file":
			line, uncommented[m[1]] = "oidc-client-secret-file = \""+filepath.ToSlash(smtp)+"\"", true
		default:
			line, uncommented[m[1]] = m[1]+" = "+m[2], true
		}
		lines = append(lines, line)
	}
	for _, key := range []string{"smtp-url-file", "sms-gateway-url", "sms-sign-name", "online-point", "debug-addr", "oidc-issuer", "oidc-roles"} {
		if !uncommented[key] {
			t.Errorf("the sample does not show %s", key)
		}
	}
	full := filepath.Join(dir, "onewindow.toml")
	if err := os.WriteFile(full, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, "config", "check", "--config", full)
	if code != 0 {
		t.Fatalf("config check of the sample with every example: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "smtps://zwfw:***@smtp.example.cn:465") || strings.Contains(out, "s3cret") {
		t.Errorf("the SMTP address read from its file is not shown masked:\n%s", out)
	}
}

// The identity provider's settings come from flags, the environment and the
// file like any other, its client secret from a file, masked when shown.
func TestOIDCConfiguration(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "onewindow.toml")
	secret := filepath.Join(dir, "oidc-secret")
	if err := os.WriteFile(secret, []byte("very-secret-value\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[serve]\noidc-client-id = \"onewindow\"\noidc-client-secret-file = \""+filepath.ToSlash(secret)+"\"\noidc-roles = \"hn-rs=reviewer:RS\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ONEWINDOW_OIDC_ISSUER", "https://id.example.gov.cn")
	code, out, errOut := runCmd(t, "config", "check", "--config", cfg, "serve")
	if code != 0 {
		t.Fatalf("config check: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"oidc-issuer", "https://id.example.gov.cn", "env ONEWINDOW_OIDC_ISSUER", "oidc-client-id", cfg + ":2", "oidc-client-secret", "hn-rs=reviewer:RS"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "very-secret-value") {
		t.Errorf("config check shows the client secret:\n%s", out)
	}
	// A role map serve cannot use stops it before it listens.
	code, _, errOut = runCmd(t, "serve", "--db", filepath.Join(dir, "x.db"), "--addr", "127.0.0.1:0", "--oidc-roles", "hn-rs=reviewer")
	if code != 2 || !strings.Contains(errOut, "--oidc-roles") {
		t.Errorf("bad role map: exit %d: %s", code, errOut)
	}
	t.Setenv("ONEWINDOW_OIDC_ISSUER", "")
	code, _, errOut = runCmd(t, "serve", "--db", filepath.Join(dir, "x.db"), "--addr", "127.0.0.1:0", "--oidc-client-id", "x")
	if code != 2 || !strings.Contains(errOut, "--oidc-issuer") {
		t.Errorf("client id without an issuer: exit %d: %s", code, errOut)
	}
}
