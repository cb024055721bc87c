package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/workday"
)

const keysHelp = `onewindow keys new --licence-keys DIR --department CODE
    make the first signing key of a department's electronic licences
onewindow keys rotate --licence-keys DIR --department CODE
    make a new key the department signs with from now on; the old ones stay in DIR,
    so what they signed still verifies
onewindow keys list --licence-keys DIR [--json]
    list every department's keys; --json writes the published public keys file
    (the same as GET /api/v1/licence-keys), which licence verify --keys reads

The folder holds private keys (DIR/DEPARTMENT/KEY.key, mode 0600): keep it outside the
database and its backups, readable only by the server (env ONEWINDOW_LICENCE_KEYS).`

// cmdKeys is "onewindow keys": the departments' licence signing keys.
func cmdKeys(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, keysHelp)
		return 2
	}
	switch args[0] {
	case "new", "rotate", "list":
	case "help", "--help", "-h", "-help":
		fmt.Fprintln(stdout, keysHelp)
		return 0
	default:
		fmt.Fprintf(stderr, "onewindow keys: unknown command %q\n\n%s\n", args[0], keysHelp)
		return 2
	}
	fs := newCLI("keys "+args[0], keysHelp, stdout, stderr)
	dir := fs.String("licence-keys", "", "folder of the departments' licence signing keys")
	dept := fs.String("department", "", "department code (new, rotate)")
	asJSON := fs.Bool("json", false, "list: write the published public keys as JSON")
	if code := fs.parse(args[1:]); code >= 0 {
		return code
	}
	if !fs.noArgs() {
		return 2
	}
	if *dir == "" {
		return fs.fail(2, "--licence-keys DIR is required")
	}
	keys := licence.KeyDir{Path: *dir}
	switch args[0] {
	case "new", "rotate":
		if *dept == "" {
			return fs.fail(2, "--department CODE is required")
		}
		add := keys.New
		if args[0] == "rotate" {
			add = keys.Rotate
		}
		k, err := add(*dept)
		if err != nil {
			return fs.fail(1, "%v", err)
		}
		fmt.Fprintf(stdout, "%s signs with key %s (%s) from now on\n", k.Department, k.ID, k.Alg)
		return 0
	}
	set, err := keys.Public()
	if err != nil {
		return fs.fail(1, "%v", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(set); err != nil {
			return fs.fail(1, "%v", err)
		}
		return 0
	}
	for _, k := range set.Keys {
		mark := ""
		if k.Current {
			mark = "  (current)"
		}
		fmt.Fprintf(stdout, "%-12s %-28s %s%s\n", k.Department, k.ID, k.Alg, mark)
	}
	return 0
}

const licenceHelp = `onewindow licence verify --keys KEYS.json FILE
    check an electronic licence document offline: its signature against the published
    public keys (GET /api/v1/licence-keys or keys list --json) and its period of validity
    on today (--today YYYY-MM-DD to check another day). Whether it was revoked or
    superseded since is known only to the register: check that at /verify.

Exit status: 0 valid, 1 not valid (the reason is printed in Chinese and English), 2 bad usage.`

// cmdLicence is "onewindow licence verify".
func cmdLicence(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprintln(stdout, licenceHelp)
			return 0
		}
		fmt.Fprintln(stderr, licenceHelp)
		return 2
	}
	fs := newCLI("licence verify", licenceHelp, stdout, stderr)
	keysPath := fs.String("keys", "", "the published public keys file (JSON)")
	today := fs.String("today", "", "check validity on this day, YYYY-MM-DD (default: today, China time)")
	if code := fs.parseAnywhere(args[1:]); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		return fs.fail(2, "give one licence document FILE")
	}
	if *keysPath == "" {
		return fs.fail(2, "--keys FILE is required")
	}
	set, err := licence.ReadKeySet(*keysPath)
	if err != nil {
		return fs.fail(1, "%v", err)
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fs.fail(1, "%v", err)
	}
	day := *today
	if day == "" {
		// wall clock: an operator's command checks validity on the real day.
		day = workday.FormatDate(workday.DateOf(clock.Wall()()))
	} else if _, err := workday.ParseDate(day); err != nil {
		return fs.fail(2, "--today is YYYY-MM-DD")
	}
	d, reason := licence.Check(raw, set, day)
	v := licence.NewVerdict(d, reason)
	if v.Number != "" {
		fmt.Fprintf(stdout, "%s %s v%d  %s  %s  %s–%s  key %s\n", v.TypeName, v.Number, v.Version, v.HolderName, v.Issuer, v.ValidFrom, v.ValidTo, v.KeyID)
	}
	if !v.Valid {
		fmt.Fprintf(stdout, "无效 / not valid: %s / %s (%s)\n", v.Message, v.MessageEN, v.Reason)
		return 1
	}
	fmt.Fprintln(stdout, "有效 / valid: signature and period of validity check")
	return 0
}
