// Command onewindow runs the one-window government service platform: the
// JSON API and the service, on SQLite by default or PostgreSQL.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/onewindow/onewindow/buildinfo"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v0.3.0" (scripts/release.sh does); the revision
// and its time come from the build information the go command stamps.
var version = "dev"

const usage = `onewindow — 一窗通办: one window for every public service

用法 / Usage: onewindow COMMAND [flags]

Commands:
  demo             load the Jilin demo data (first run) and serve: the quickest way to try it
  serve            serve the API on an existing database
  migrate          create or update the database schema
  catalog import   import departments and items from JSON or CSV
  catalog export   export the published catalogue as JSON, CSV or Excel
  user add         add a user (applicant, front desk, reviewer, issuer, hall manager, administrator)
  workday add      print the due date N working days after DATE
  workday is       tell whether DATE is a working day, and why
  workday import   add or correct a year of the holiday calendar (the notice appears each November)
  audit verify     check the hash chain of the audit log (--checkpoints: also against signed checkpoints)
  audit checkpoint sign the audit log's head into a checkpoint file outside the database (audit keygen: the key)
  keys new|rotate|list  the departments' keys that sign electronic licences (held outside the database)
  licence verify   check an electronic licence document offline against the published public keys
  enterprise list  list enterprise requests (驻企服务) with their deadlines and escalation levels
  coverage         coverage of a service (15分钟医保服务圈, 法律援助半小时服务圈): rates, gaps; coverage plan proposes new points
  points import    import service points from CSV or GeoJSON (points export writes them)
  regions load     load the divisions of Jilin (regions locations FILE imports coordinates and population)
  bench            measure the server under a bounded load, side by side with the raw database
  backup           write a consistent copy of a running SQLite database
  restore          bring a backup back (refuses to replace a non-empty database without --force)
  config check     load and check the configuration (flags, ONEWINDOW_* variables, --config file) and show where each value came from
  version          print the release version, the revision it was built from and the Go version
  help             show this text

Every command takes --help. The database is chosen with --db or ONEWINDOW_DB:
a SQLite file path (default data/onewindow.db) or a postgres:// URL.
Every flag of every command may also come from an ONEWINDOW_NAME variable and a configuration
file (--config FILE or ONEWINDOW_CONFIG); see onewindow config check.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprint(stdout, buildinfo.Read(version).Report("onewindow"))
		return 0
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, false)
	case "demo":
		return cmdServe(ctx, rest, stdout, stderr, true)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "catalog":
		return cmdCatalog(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "workday":
		return cmdWorkday(ctx, rest, stdout, stderr)
	case "audit":
		return cmdAudit(ctx, rest, stdout, stderr)
	case "coverage":
		return cmdCoverage(ctx, rest, stdout, stderr)
	case "points":
		return cmdPoints(ctx, rest, stdout, stderr)
	case "regions":
		return cmdRegions(ctx, rest, stdout, stderr)
	case "keys":
		return cmdKeys(rest, stdout, stderr)
	case "licence":
		return cmdLicence(rest, stdout, stderr)
	case "enterprise":
		return cmdEnterprise(ctx, rest, stdout, stderr)
	case "config":
		return cmdConfig(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "onewindow: unknown command %q\n\n%s", cmd, usage)
	return 2
}
