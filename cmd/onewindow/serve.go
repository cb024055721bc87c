package main

import (
	"context"
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

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
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
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/logging"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/notify"
	"github.com/onewindow/onewindow/otp"
	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/scheduler"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/web"
	"github.com/onewindow/onewindow/workday"
)

// cmdServe is `onewindow serve`, and with withDemo `onewindow demo`: the demo
// data loaded into an empty database first.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, withDemo bool) int {
	name, help := "serve", "onewindow serve [--db DSN] [--addr HOST:PORT]: serve the API on an existing database."
	if withDemo {
		name, help = "demo", "onewindow demo [--db DSN] [--addr HOST:PORT]: load the Jilin demo data into an empty database, then serve.\nRe-running reuses the same database (data/onewindow.db by default)."
	}
	fs := newFlags(name, help, stderr)
	dsn := fs.String("db", defaultDBPath, dbUsage)
	pool := dbPoolFlag(fs)
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
	memLimit := memoryLimitVar(fs)
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (pprof) on this loopback address, e.g. 127.0.0.1:6060 (off by default; never a public address)")
	notifyOn := fs.Bool("notify", true, "run the notifier: tell people of every step in their inbox, and by e-mail, SMS and webhooks where configured")
	notifyPoll := fs.Duration("notify-interval", time.Second, "how often the notifier looks for new events when idle")
	notifyLease := fs.Duration("notify-lease", 2*time.Minute, "how long a message being sent is left to this server; a server killed meanwhile\nleaves its messages to be sent again (same message id) once the lease runs out")
	smtpURL := fs.String("smtp-url", os.Getenv("ONEWINDOW_SMTP_URL"), "SMTP server for e-mail (env ONEWINDOW_SMTP_URL): smtp://user:pass@host:587?from=addr (STARTTLS),\nsmtps://user:pass@host:465?from=addr (TLS), or smtp+plain://127.0.0.1:25?from=addr (a local relay); none: no e-mail")
	smsURL := fs.String("sms-gateway-url", "", "SMS gateway endpoint (docs/NOTIFICATIONS.md describes its HTTP interface; its key in env ONEWINDOW_SMS_KEY); none: no SMS")
	smsSign := fs.String("sms-sign-name", "", "the signature name (签名) registered with the SMS provider; with --sms-gateway-url")
	smsBatch := fs.Int("sms-gateway-batch", 0, "SMS one request to the gateway carries, in the interface's batch form (e.g. 100, as domestic providers take);\n0 or 1: one message a request (the single form), for gateways that do not batch")
	webhookNets := fs.String("webhook-allow-networks", "", "internal networks (addresses or CIDR ranges, comma-separated) that webhook receivers may be on,\ne.g. a department system on the government intranet; by default webhooks go to public addresses only,\nnever to this server, the office network or the cloud's metadata address")
	smsCap := fs.Int("sms-daily-cap", notify.DefaultDailyCap, "SMS one number receives per China day at most")
	licenceKeys := fs.String("licence-keys", "", "folder of the departments' keys that sign electronic licences (onewindow keys new|rotate|list), kept outside\nthe database; none: cases are issued without electronic licences (demo: a folder in --data, keys made on first start)")
	oidcFlags := defineOIDCFlags(fs)
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
	if *smsBatch < 0 || *smsBatch > notify.MaxSMSBatch {
		fmt.Fprintf(stderr, "onewindow %s: --sms-gateway-batch: %d is not between 0 and %d\n", name, *smsBatch, notify.MaxSMSBatch)
		return 2
	}
	var mailer *notify.SMTP
	if *smtpURL != "" {
		if mailer, err = notify.ParseSMTPURL(*smtpURL); err != nil {
			fmt.Fprintf(stderr, "onewindow %s: --smtp-url: %v\n", name, err)
			return 2
		}
	}
	if err := oidcFlags.check(*addr, *publicURL); err != nil {
		fmt.Fprintf(stderr, "onewindow %s: %v\n", name, err)
		return 2
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
	memLimit.apply()
	db, ok := openDB(ctx, *dsn, store.Options{Pool: int(*pool)}, stderr)
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
	// The demo's keys are made before its cases load, so that its past
	// cases issue their licences.
	keysDir := *licenceKeys
	if keysDir == "" && withDemo {
		keysDir = filepath.Join(*dataDir, "licence-keys")
		if err := demo.LicenceKeys(keysDir); err != nil {
			fmt.Fprintf(stderr, "onewindow: %v\n", err)
			return 1
		}
	}
	if withDemo {
		var demoKeys *licence.KeyDir
		if keysDir != "" {
			demoKeys = &licence.KeyDir{Path: keysDir}
		}
		loaded, err := demo.LoadWithLicences(ctx, db, clk.Now(), demoKeys)
		if err != nil {
			fmt.Fprintf(stderr, "onewindow: demo data: %v\n", err)
			return 1
		}
		if svc.OnlinePoint == "" {
			svc.OnlinePoint = demo.CountyHall
		}
		if err := demo.PutGuideForms(filepath.Join(*dataDir, "uploads")); err != nil {
			fmt.Fprintf(stderr, "onewindow: demo forms: %v\n", err)
			return 1
		}
		if loaded {
			fmt.Fprintf(stdout, "demo data loaded into %s\n", db.Location)
		} else {
			fmt.Fprintf(stdout, "reusing %s (demo data already there)\n", db.Location)
		}
	}
	// The notifier is made before the API, whose SMS codes it sends.
	var notifier *notify.Notifier
	var channels []string
	var codes otp.Sender
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
			notifier.SMS = &notify.SMSGateway{URL: *smsURL, SignName: *smsSign, Key: os.Getenv("ONEWINDOW_SMS_KEY"), Batch: *smsBatch}
			channels = append(channels, "SMS")
		} else {
			// No gateway: SMS land in the development mailbox, codes too.
			notifier.SMS = notify.DevMailboxSMS{Mailbox: otp.NewDevMailbox(db, clk)}
			channels = append(channels, "SMS (development mailbox: no --sms-gateway-url)")
		}
		sender := notify.NewCodeSender(db, clk)
		sender.Wake = notifier.Wake
		codes = sender
	} else {
		codes = otp.NewDevMailbox(db, clk) // nothing reads the outbox: codes go straight to the mailbox
	}
	var keys *licence.KeyDir
	if keysDir != "" {
		keys = &licence.KeyDir{Path: keysDir}
		set, err := keys.Public()
		if err != nil {
			fmt.Fprintf(stderr, "onewindow %s: --licence-keys: %v\n", name, err)
			return 1
		}
		fmt.Fprintf(stdout, "electronic licences: signed with the keys in %s (%d keys)\n", keysDir, len(set.Keys))
	} else {
		fmt.Fprintln(stdout, "electronic licences: none will be issued (no --licence-keys folder)")
	}
	licences := licence.NewService(db, cat, keys, clk)
	licences.Cases = svc
	svc.OnIssue, svc.OnMemberStart = licences.OnIssue, licences.OnMemberStart
	cat.ResultLicences = licences.ResultLicences
	srv := api.New(&api.Server{Clock: clk, DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workdays,
		UploadDir: filepath.Join(*dataDir, "uploads"), Version: version, MaxInFlight: *maxInFlight,
		Proxies: proxies, PublicURL: *publicURL, SessionCookie: web.SessionCookie,
		Accounts: accounts.NewService(db, users, otp.NewService(db, codes, clk), clk), Licences: licences}, log)
	srv.Enterprise = enterprise.NewService(db, cal, clk)
	srv.Coverage = coverage.NewService(db, points, cat, clk)
	srv.Hall = hall.NewService(db, cal, points, cat, svc, clk)
	defer srv.Hall.WatchWaiting()()
	srv.Figures = figures.NewService(db, cat, points, clk)
	srv.Ratings = rating.NewService(db, cal, clk)
	srv.Ratings.PublicURL = strings.TrimRight(*publicURL, "/")
	srv.Notify = notify.NewService(db, clk)
	srv.Notify.WebhookNetworks = webhookNetworks
	signIn, err := oidcFlags.service(db, users, clk)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow %s: --oidc-issuer: %v\n", name, err)
		return 2
	}
	srv.Web = web.New(web.Deps{OIDC: signIn, Delegation: srv.Delegation, Clock: clk, DB: db, Auth: users, Catalog: cat, Points: points, Cases: svc, Calendar: cal, Workdays: workdays,
		Limiter: srv.Limiter, UploadDir: srv.UploadDir, MaxUpload: srv.MaxUpload, PublicURL: *publicURL, Proxies: proxies, Log: log,
		Hall: srv.Hall, Coverage: srv.Coverage, Figures: srv.Figures, Accounts: srv.Accounts, Mailbox: srv.Mailbox, Ratings: srv.Ratings, Notify: srv.Notify,
		Finance: srv.Finance, Targets: srv.Targets, Enterprise: srv.Enterprise, Licences: licences})
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
		for _, a := range slices.Concat(demo.Accounts(), demo.HallAccounts(), demo.EnterpriseAccounts(), demo.FinanceAccounts()) {
			fmt.Fprintf(stdout, "  %-16s %-14s %s\n", a.Username, a.Role, a.Description)
		}
		fmt.Fprintf(stdout, "\nsign in: curl -s -H 'Content-Type: application/json' %s/api/v1/auth/login -d '{\"username\":\"qz_quanke\",\"password\":\"%s\"}'\n", base, demo.Password)
	}
	jobs := []scheduler.Job{
		{Name: "calendar", Run: func(ctx context.Context, _ time.Time) error { return workdays.Apply(ctx, cal) }},
		{Name: "sla", Run: func(ctx context.Context, now time.Time) error { _, err := svc.ScanSLA(ctx, now, log); return err }},
		{Name: "enterprise", Run: func(ctx context.Context, now time.Time) error { _, err := srv.Enterprise.Scan(ctx, now); return err }},
		{Name: "finance", Run: func(ctx context.Context, _ time.Time) error {
			// Bridge loans past their due day are marked and escalated;
			// applications past their answer day are flagged, each once.
			if _, err := srv.Finance.ScanBridge(ctx); err != nil {
				return err
			}
			_, err := srv.Finance.FlagOverdueApplications(ctx)
			return err
		}},
		{Name: "ratings", Run: func(ctx context.Context, now time.Time) error { _, err := srv.Ratings.Scan(ctx, now); return err }},
		// Spent and expired SMS codes go once no rate limit counts them.
		{Name: "sms-codes", Run: func(ctx context.Context, now time.Time) error { _, err := otp.Purge(ctx, db, now); return err }},
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
	} else {
		// Binds the service points' audit chains to the tenant chain with
		// a tie record whenever one of them moved (the checkpoint job ties
		// them itself, before it signs).
		jobs = append(jobs, scheduler.Job{Name: "audit-tie", Run: func(ctx context.Context, now time.Time) error {
			_, _, err := audit.Tie(ctx, db, now)
			return err
		}})
	}
	if *notifyOn {
		// Appointments are reminded the working day before.
		jobs = append(jobs, scheduler.Job{Name: "appointment-reminders", Run: func(ctx context.Context, now time.Time) error {
			_, err := notifier.RemindAppointments(ctx, now, func(d time.Time) (time.Time, bool) { return cal.Add(d, 1) })
			return err
		}})
		// Reviewers hear of a case due the next working day, once.
		jobs = append(jobs, scheduler.Job{Name: "due-tomorrow", Run: func(ctx context.Context, now time.Time) error {
			_, err := notifier.RemindDueTomorrow(ctx, now, func(d time.Time) (time.Time, bool) { return cal.Add(d, 1) })
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
