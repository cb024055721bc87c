// Command onewindow runs the one-window government service platform: the
// JSON API and the service, on SQLite by default or PostgreSQL.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/bench"
	"github.com/onewindow/onewindow/buildinfo"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clientaddr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/logging"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/scheduler"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/web"
	"github.com/onewindow/onewindow/workday"
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
The flags of serve, demo, migrate and catalog may also come from ONEWINDOW_NAME variables
and a configuration file (--config FILE or ONEWINDOW_CONFIG); see onewindow config check.
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
		return cmdUser(ctx, rest, stdout, stderr)
	case "workday":
		return cmdWorkday(ctx, rest, stdout, stderr)
	case "audit":
		return cmdAudit(ctx, rest, stdout, stderr)
	case "coverage":
		return coverage.RunCLI(ctx, rest, defaultDB(), stdout, stderr)
	case "points":
		return coverage.RunPointsCLI(ctx, rest, defaultDB(), stdout, stderr)
	case "regions":
		return coverage.RunRegionsCLI(ctx, rest, defaultDB(), stdout, stderr)
	case "enterprise":
		return cmdEnterprise(ctx, rest, stdout, stderr)
	case "config":
		return cmdConfig(ctx, rest, stdout, stderr)
	case "bench":
		return bench.RunCLI(ctx, rest, stdout, stderr)
	case "backup":
		return store.RunBackupCLI(ctx, rest, defaultDB(), stdout, stderr)
	case "restore":
		return store.RunRestoreCLI(ctx, rest, defaultDB(), stdout, stderr)
	}
	fmt.Fprintf(stderr, "onewindow: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// defaultDB is the database when --db is not given: ONEWINDOW_DB, or the
// content of the file ONEWINDOW_DB_FILE names (a mounted secret), or the
// SQLite file data/onewindow.db. The commands that parse through parse get
// the configuration file's db too; this is for the others.
func defaultDB() string {
	if v := os.Getenv("ONEWINDOW_DB"); v != "" {
		return v
	}
	if p := os.Getenv("ONEWINDOW_DB_FILE"); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			return strings.TrimRight(string(b), "\r\n")
		}
	}
	return filepath.Join("data", "onewindow.db")
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

func openDB(ctx context.Context, dsn string, stderr io.Writer) (*store.DB, bool) {
	db, err := store.Open(ctx, dsn)
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

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", "onewindow migrate [--db DSN]: create or update the schema (safe to run again).", stderr)
	dsn := fs.String("db", defaultDB(), "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	db, ok := openDB(ctx, *dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema up to date: %s\n", db.Location)
	return 0
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, withDemo bool) int {
	name, help := "serve", "onewindow serve [--db DSN] [--addr HOST:PORT]: serve the API on an existing database."
	if withDemo {
		name, help = "demo", "onewindow demo [--db DSN] [--addr HOST:PORT]: load the Jilin demo data into an empty database, then serve.\nRe-running reuses the same database (data/onewindow.db by default)."
	}
	fs := newFlags(name, help, stderr)
	dsn := fs.String("db", defaultDB(), "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dataDir := fs.String("data", "data", "folder for uploaded files")
	onlinePoint := fs.String("online-point", "", "service point that receives online applications naming none (demo: "+demo.CountyHall+")")
	verbose := fs.Bool("v", false, "log every request (method, route, status, duration, request id, user id)")
	logFormat := fs.String("log-format", "text", "log format on standard error: text (key=value lines) or json (one object a line);\nidentity and mobile numbers are masked in either")
	publicURL := fs.String("public-url", "", "address printed in QR codes on notices, e.g. https://zwfw.example.cn (default: the address the page was served from)")
	scanEvery := fs.Duration("scan-interval", time.Minute, "how often to scan SLA clocks and escalate (0 turns the scheduler off)")
	maxInFlight := fs.Int("max-in-flight", 256, "requests served at once; beyond it a request waits briefly, then gets 503 with Retry-After (0: no limit)")
	trusted := fs.String("trusted-proxies", "", "reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For, Forwarded and\nX-Forwarded-Proto headers are believed; the client's address (sign-in limits, audit) and HTTPS (Secure cookies, HSTS) are read through them")
	auditKey := fs.String("audit-key", "", "private key (from onewindow audit keygen) that signs audit checkpoints; with --audit-checkpoints")
	auditCheckpoints := fs.String("audit-checkpoints", "", "file outside the database to append a signed checkpoint of the audit log's head to,\nat every scheduler run (--scan-interval) in which the head moved; with --audit-key")
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (pprof) on this loopback address, e.g. 127.0.0.1:6060 (off by default; never a public address)")
	notifyOn := fs.Bool("notify", true, "run the notifier: tell people of every step in their inbox, and by e-mail, SMS and webhooks where configured")
	notifyPoll := fs.Duration("notify-interval", time.Second, "how often the notifier looks for new events when idle")
	notifyLease := fs.Duration("notify-lease", 2*time.Minute, "how long a message being sent is left to this server; a server killed meanwhile\nleaves its messages to be sent again (same message id) once the lease runs out")
	smtpURL := fs.String("smtp-url", os.Getenv("ONEWINDOW_SMTP_URL"), "SMTP server for e-mail (env ONEWINDOW_SMTP_URL): smtp://user:pass@host:587?from=addr (STARTTLS),\nsmtps://user:pass@host:465?from=addr (TLS), or smtp+plain://127.0.0.1:25?from=addr (a local relay); none: no e-mail")
	smsURL := fs.String("sms-gateway-url", "", "SMS gateway endpoint (docs/NOTIFICATIONS.md describes its HTTP interface; its key in env ONEWINDOW_SMS_KEY); none: no SMS")
	smsSign := fs.String("sms-sign-name", "", "the signature name (签名) registered with the SMS provider; with --sms-gateway-url")
	webhookNets := fs.String("webhook-allow-networks", "", "internal networks (addresses or CIDR ranges, comma-separated) that webhook receivers may be on,\ne.g. a department system on the government intranet; by default webhooks go to public addresses only,\nnever to this server, the office network or the cloud's metadata address")
	smsCap := fs.Int("sms-daily-cap", notify.DefaultDailyCap, "SMS one number receives per China day at most")
	startAt := fs.String("now", "", "run on a clock that starts at this China time, YYYY-MM-DDTHH:MM (or YYYY-MM-DD for 10:00), and runs on from there:\nto try due dates, the hall and the demo on a holiday or a year end (default: the real time)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	proxies, err := clientaddr.ParseProxies(*trusted)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow %s: --trusted-proxies: %v\n", name, err)
		return 2
	}
	clk, err := serverClock(*startAt)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow %s: --now: %v\n", name, err)
		return 2
	}
	webhookNetworks, err := notify.ParseNetworks(*webhookNets)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow %s: --webhook-allow-networks: %v\n", name, err)
		return 2
	}
	if (*auditKey == "") != (*auditCheckpoints == "") {
		fmt.Fprintf(stderr, "onewindow %s: --audit-key and --audit-checkpoints go together: give both or neither\n", name)
		return 2
	}
	if (*smsURL == "") != (*smsSign == "") {
		fmt.Fprintf(stderr, "onewindow %s: --sms-gateway-url and --sms-sign-name go together: give both or neither\n", name)
		return 2
	}
	var mailer *notify.SMTP
	if *smtpURL != "" {
		if mailer, err = notify.ParseSMTPURL(*smtpURL); err != nil {
			fmt.Fprintf(stderr, "onewindow %s: --smtp-url: %v\n", name, err)
			return 2
		}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log, err := logging.New(stderr, *logFormat, level)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow %s: --log-format: %v\n", name, err)
		return 2
	}
	db, ok := openDB(ctx, *dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	cal, err := workday.NewOfficial()
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: holiday calendar: %v\n", err)
		return 1
	}
	workdays := workday.NewStore(db)
	workdays.Now = clk
	if err := workdays.Apply(ctx, cal); err != nil {
		fmt.Fprintf(stderr, "onewindow: holiday calendar: %v\n", err)
		return 1
	}
	var checkpoints *audit.Checkpointer
	if *auditKey != "" {
		if checkpoints, err = audit.NewCheckpointer(db, *auditKey, *auditCheckpoints); err != nil {
			fmt.Fprintf(stderr, "onewindow: audit checkpoints: %v\n", err)
			return 1
		}
	}
	cat := catalog.NewStore(db)
	cat.Now = clk
	// Databases stored before pinyin search (or before its terms changed)
	// get their search text rewritten once; on an up-to-date catalogue
	// this writes nothing.
	if n, err := cat.RefreshSearchText(ctx); err != nil {
		fmt.Fprintf(stderr, "onewindow: catalogue search text: %v\n", err)
		return 1
	} else if n > 0 {
		log.Info("catalogue search text refreshed", "versions", n)
	}
	points := network.NewStore(db)
	points.Now = clk
	users := auth.NewStore(db)
	svc := cases.NewService(db, cat, points, cal, clk)
	svc.OnlinePoint = *onlinePoint
	if withDemo {
		loaded, err := demo.LoadWithHistory(ctx, db, clk.Now())
		if err != nil {
			fmt.Fprintf(stderr, "onewindow: demo data: %v\n", err)
			return 1
		}
		if svc.OnlinePoint == "" {
			svc.OnlinePoint = demo.CountyHall
		}
		if loaded {
			fmt.Fprintf(stdout, "demo data loaded into %s\n", db.Location)
		} else {
			fmt.Fprintf(stdout, "reusing %s (demo data already there)\n", db.Location)
		}
	}
	srv := api.New(&api.Server{Clock: clk, DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workdays,
		UploadDir: filepath.Join(*dataDir, "uploads"), Version: version, MaxInFlight: *maxInFlight,
		Proxies: proxies, PublicURL: *publicURL, SessionCookie: web.SessionCookie}, log)
	srv.Enterprise = enterprise.NewService(db, cal, clk)
	srv.Coverage = coverage.NewService(db, points, cat, clk)
	srv.Hall = hall.NewService(db, cal, points, cat, svc, clk)
	defer srv.Hall.WatchWaiting()()
	srv.Figures = figures.NewService(db, cat, points, clk)
	srv.Ratings = rating.NewService(db, cal, clk)
	srv.Ratings.PublicURL = strings.TrimRight(*publicURL, "/")
	srv.Notify = notify.NewService(db, clk)
	srv.Notify.WebhookNetworks = webhookNetworks
	srv.Web = web.New(web.Deps{Clock: clk, DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workdays,
		Limiter: srv.Limiter, UploadDir: srv.UploadDir, MaxUpload: srv.MaxUpload, PublicURL: *publicURL, Proxies: proxies, Log: log,
		Hall: srv.Hall, Coverage: srv.Coverage, Figures: srv.Figures, Accounts: srv.Accounts, Mailbox: srv.Mailbox, Ratings: srv.Ratings, Notify: srv.Notify})
	if *debugAddr != "" {
		_, stopDebug, err := serveDebug(*debugAddr, log)
		if err != nil {
			fmt.Fprintf(stderr, "onewindow: %v\n", err)
			return 2
		}
		defer stopDebug()
	}
	if err := srv.Open(*addr); err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	base := srv.URL()
	fmt.Fprintf(stdout, "onewindow %s serving on %s (database: %s)\n", buildinfo.Read(version), base, db.Location)
	fmt.Fprintf(stdout, "  web:       %s/\n", base)
	fmt.Fprintf(stdout, "  API:       %s/api/v1\n  OpenAPI:   %s/api/v1/openapi.json\n  catalogue: %s/api/v1/items?q=营业执照\n  health:    %s/healthz\n",
		base, base, base, base)
	if withDemo {
		fmt.Fprintf(stdout, "\nopen %s/ in a browser and sign in with a demo account\n", base)
		fmt.Fprintf(stdout, "\ndemo accounts (password %q for all):\n", demo.Password)
		for _, a := range slices.Concat(demo.Accounts(), demo.HallAccounts(), demo.EnterpriseAccounts()) {
			fmt.Fprintf(stdout, "  %-16s %-14s %s\n", a.Username, a.Role, a.Description)
		}
		fmt.Fprintf(stdout, "\nsign in: curl -s -H 'Content-Type: application/json' %s/api/v1/auth/login -d '{\"username\":\"qz_quanke\",\"password\":\"%s\"}'\n", base, demo.Password)
	}
	jobs := []scheduler.Job{
		{Name: "calendar", Run: func(ctx context.Context, _ time.Time) error { return workdays.Apply(ctx, cal) }},
		{Name: "sla", Run: func(ctx context.Context, now time.Time) error { _, err := svc.ScanSLA(ctx, now, log); return err }},
		{Name: "enterprise", Run: func(ctx context.Context, now time.Time) error { _, err := srv.Enterprise.Scan(ctx, now); return err }},
		{Name: "ratings", Run: func(ctx context.Context, now time.Time) error { _, err := srv.Ratings.Scan(ctx, now); return err }},
		{Name: "hall", Run: func(ctx context.Context, now time.Time) error {
			// Missed appointments count towards the no-show rule; board events
			// older than two days are no longer needed for replays.
			if err := srv.Hall.SweepNoShows(ctx, ""); err != nil {
				return err
			}
			_, err := srv.Hall.PruneBoard(ctx, now.Add(-48*time.Hour))
			return err
		}},
	}
	if withDemo {
		// A demo left running keeps its hall bookable and staffed: slots
		// and the rotation are extended as the days pass.
		jobs = append(jobs, scheduler.Job{Name: "demo-hall", Run: func(ctx context.Context, now time.Time) error {
			_, err := demo.KeepHall(ctx, db, now)
			return err
		}})
	}
	if checkpoints != nil {
		// Signs the audit log's head into a file the database cannot rewrite,
		// once the chain from the last checkpoint is checked; last, because
		// the first run on a file with no checkpoint walks the whole chain.
		jobs = append(jobs, scheduler.Job{Name: "audit-checkpoint", Run: func(ctx context.Context, now time.Time) error {
			_, _, err := checkpoints.WriteIfMoved(ctx, now)
			return err
		}})
	}
	var notifier *notify.Notifier
	var channels []string
	if *notifyOn {
		notifier = notify.New(db, clk)
		notifier.Log, notifier.DailyCap, notifier.Lease = log, *smsCap, *notifyLease
		notifier.AllowWebhookNetworks(webhookNetworks)
		channels = []string{"inbox", "webhooks"}
		if mailer != nil {
			mailer.Now = clk.Now
			notifier.Email = mailer
			channels = append(channels, "e-mail")
		}
		if *smsURL != "" {
			notifier.SMS = &notify.SMSGateway{URL: *smsURL, SignName: *smsSign, Key: os.Getenv("ONEWINDOW_SMS_KEY")}
			channels = append(channels, "SMS")
		}
		// Appointments are reminded the working day before.
		jobs = append(jobs, scheduler.Job{Name: "appointment-reminders", Run: func(ctx context.Context, now time.Time) error {
			_, err := notifier.RemindAppointments(ctx, now, func(d time.Time) (time.Time, bool) { return cal.Add(d, 1) })
			return err
		}})
	}
	sctx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	if *scanEvery > 0 {
		go scheduler.Run(sctx, *scanEvery, log, clk, jobs...)
	}
	if notifier != nil {
		go notifier.Run(sctx, *notifyPoll)
		fmt.Fprintf(stdout, "  notifier:  %s\n", strings.Join(channels, ", "))
	}
	fmt.Fprintln(stdout, "\nPress Ctrl+C to stop.")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	stopJobs()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Close(shutdown)
	fmt.Fprintln(stdout, "stopped")
	return 0
}

func cmdCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow catalog import [--db DSN] [--publish] FILE...   import items.json, catalogue.xlsx, or items.csv [materials.csv] [departments.csv]\n" +
		"onewindow catalog export [--db DSN] [--format json|csv|xlsx] [--dir DIR]   export the published catalogue\n" +
		"The CSV columns and the workbook's sheets are described in docs/CATALOG-FORMAT.md. A file with any error imports nothing."
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, help)
			return 0
		}
		fmt.Fprintln(stderr, help)
		return 2
	}
	fs := newFlags("catalog "+args[0], help, stderr)
	dsn := fs.String("db", defaultDB(), "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	publish := fs.Bool("publish", true, "publish the imported versions at once")
	format := fs.String("format", "json", "export format: json (to standard output), csv (three files in --dir) or xlsx (catalogue.xlsx in --dir)")
	dir := fs.String("dir", ".", "folder for the CSV and Excel exports")
	if code := parse(fs, args[1:]); code >= 0 {
		return code
	}
	if args[0] == "import" && fs.NArg() == 0 {
		fmt.Fprintln(stderr, "catalog import: name at least one file")
		return 2
	}
	db, ok := openDB(ctx, *dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	s := catalog.NewStore(db)
	if args[0] == "import" {
		return catalog.RunImport(ctx, s, fs.Args(), *publish, stdout, stderr)
	}
	return catalog.RunExport(ctx, s, *format, *dir, stdout)
}

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: onewindow user add --help")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return 0
		}
		return 2
	}
	dsn := defaultDB()
	rest := []string{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--db" || a == "-db" {
			if i+1 >= len(args) {
				fmt.Fprintln(stderr, "user add: --db needs a value")
				return 2
			}
			dsn = args[i+1]
			i++
			continue
		}
		if v, ok := strings.CutPrefix(a, "--db="); ok {
			dsn = v
			continue
		}
		rest = append(rest, a)
	}
	for _, a := range rest {
		if a == "--help" || a == "-h" || a == "-help" {
			return auth.RunUserAdd(ctx, nil, rest, stdout, stderr)
		}
	}
	db, ok := openDB(ctx, dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	return auth.RunUserAdd(ctx, auth.NewStore(db), rest, stdout, stderr)
}

// cmdWorkday answers calendar questions on the embedded years plus any year
// stored in the database (when it exists), and imports years.
func cmdWorkday(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cal, err := workday.NewOfficial()
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: holiday calendar: %v\n", err)
		return 1
	}
	dsn, rest := defaultDB(), []string{}
	for i := 0; i < len(args); i++ {
		if args[i] == "--db" && i+1 < len(args) {
			dsn = args[i+1]
			i++
			continue
		}
		if v, ok := strings.CutPrefix(args[i], "--db="); ok {
			dsn = v
			continue
		}
		rest = append(rest, args[i])
	}
	if len(rest) > 0 && rest[0] == "import" {
		if len(rest) != 2 || strings.HasPrefix(rest[1], "-") {
			fmt.Fprintln(stderr, "usage: onewindow workday import [--db DSN] FILE.json\nAdds or replaces the years in FILE (the format of the State Council notice, see docs/WORKDAYS.md); a file with any error changes nothing.")
			if len(rest) == 2 && (rest[1] == "--help" || rest[1] == "-h") {
				return 0
			}
			return 2
		}
		f, err := os.Open(rest[1])
		if err != nil {
			fmt.Fprintf(stderr, "onewindow workday import: %v\n", err)
			return 1
		}
		defer f.Close()
		db, ok := openDB(ctx, dsn, stderr)
		if !ok {
			return 1
		}
		defer db.Close()
		years, err := workday.NewStore(db).Import(ctx, f, cal, "cli")
		if err != nil {
			fmt.Fprintf(stderr, "onewindow workday import: %s\n", describe(err))
			return 1
		}
		fmt.Fprintf(stdout, "imported years %v into %s\n", years, db.Location)
		return 0
	}
	// Use the stored years when the database is there; never create one just to answer.
	if store.IsPostgresDSN(dsn) || fileExists(dsn) {
		if db, err := store.Open(ctx, dsn); err == nil {
			if db.Migrate(ctx) == nil {
				workday.NewStore(db).Apply(ctx, cal)
			}
			db.Close()
		}
	}
	return workday.RunCLI(cal, rest, stdout, stderr)
}

func fileExists(path string) bool {
	_, err := os.Stat(strings.TrimPrefix(path, "sqlite:"))
	return err == nil
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

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	open := migratedOpener(ctx)
	// Checkpoints written on demand are stamped with the real time.
	return audit.RunCLI(ctx, args, defaultDB(), open, clock.Wall(), stdout, stderr)
}

func cmdEnterprise(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	open := migratedOpener(ctx)
	return enterprise.RunCLI(ctx, args, defaultDB(), open, stdout, stderr)
}

// serverClock is the server's one clock: the real time, or, with --now, a
// clock that starts at the given China time and runs on from there.
func serverClock(startAt string) (clock.Clock, error) {
	if startAt == "" {
		return clock.Wall(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02"} {
		t, err := time.ParseInLocation(layout, startAt, clock.China)
		if err != nil {
			continue
		}
		if layout == "2006-01-02" {
			t = t.Add(10 * time.Hour)
		}
		return clock.Since(t), nil
	}
	return nil, fmt.Errorf("%q is not a China time YYYY-MM-DDTHH:MM or a date YYYY-MM-DD", startAt)
}

// migratedOpener opens a database and brings its schema up to date, for the
// commands that hand opening to their package.
func migratedOpener(ctx context.Context) func(dsn string) (*store.DB, error) {
	return func(dsn string) (*store.DB, error) {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
}
