package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

const workdayUsage = `Usage: onewindow workday <command> [--db DSN] [arguments]

The working-day calendar: weekends, statutory holidays and make-up working days (调休).

Commands:
  add DATE N     print the due date of an N-working-day time limit started on DATE;
                 counting starts the day after DATE, N = 0 (即办件) is due the same working day
  is DATE        print "workday" or "holiday" and the reason
  between A B    print the number of working days after A up to and including B
  import FILE    add or replace the years in FILE (the format of the State Council notice,
                 see docs/WORKDAYS.md); a file with any error changes nothing
  help           print this text

Dates are written YYYY-MM-DD. Days outside the years with holiday data count
Monday to Friday only, and a warning says so. The years imported into the
database (--db) count too, when the database is there.
`

// cmdWorkday answers calendar questions on the embedded years plus any year
// stored in the database (when it exists), and imports years. Exit codes:
// 0 done, 1 the database or the file failed, 2 bad usage or input.
func cmdWorkday(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, workdayUsage)
		return 2
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add", "is", "between", "import":
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, workdayUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "onewindow workday: unknown command %q; the commands are add, is, between, import and help\n", sub)
		return 2
	}
	for _, a := range rest {
		if isHelp(a) {
			fmt.Fprint(stdout, workdayUsage)
			return 0
		}
	}
	c := newCLI("workday "+sub, workdayUsage, stdout, stderr).withDB("")
	if code := c.parseAnywhere(rest); code >= 0 {
		return code
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		return c.fail(1, "holiday calendar: %v", err)
	}
	if sub == "import" {
		return workdayImport(ctx, c, cal)
	}
	// Use the stored years when the database is there; never create one just to answer.
	if dsn := *c.dsn; store.IsPostgresDSN(dsn) || fileExists(dsn) {
		if db, err := store.Open(ctx, dsn); err == nil {
			if db.Migrate(ctx) == nil {
				workday.NewStore(db).Apply(ctx, cal)
			}
			db.Close()
		}
	}
	switch sub {
	case "add":
		err = workdayAdd(cal, c.Args(), stdout, stderr)
	case "is":
		err = workdayIs(cal, c.Args(), stdout, stderr)
	default:
		err = workdayBetween(cal, c.Args(), stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "onewindow workday: %v\n", err)
		return 2
	}
	return 0
}

func workdayImport(ctx context.Context, c *cli, cal *workday.Official) int {
	if c.NArg() != 1 {
		fmt.Fprintln(c.stderr, "usage: onewindow workday import [--db DSN] FILE.json\nAdds or replaces the years in FILE (the format of the State Council notice, see docs/WORKDAYS.md); a file with any error changes nothing.")
		return 2
	}
	f, err := os.Open(c.Arg(0))
	if err != nil {
		return c.fail(1, "%v", err)
	}
	defer f.Close()
	db, ok := c.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	years, err := workday.NewStore(db).Import(ctx, auth.System, f, cal)
	if err != nil {
		return c.fail(1, "%s", describe(err))
	}
	fmt.Fprintf(c.stdout, "imported years %v into %s\n", years, db.Location)
	return 0
}

func workdayAdd(cal workday.Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("add wants DATE and N, e.g. add 2026-09-30 3; got %d argument(s)", len(args))
	}
	start, err := workdayDate(args[0])
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 || n > workday.MaxWorkingDays {
		return fmt.Errorf("N must be a whole number of working days from 0 to %d, not %q", workday.MaxWorkingDays, args[1])
	}
	due, fallback := cal.Add(start, n)
	fmt.Fprintln(stdout, workday.FormatDate(due))
	if fallback {
		warnFallback(cal, stderr, "part of this period")
	}
	return nil
}

func workdayIs(cal workday.Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("is wants one DATE, e.g. is 2026-02-16; got %d argument(s)", len(args))
	}
	d, err := workdayDate(args[0])
	if err != nil {
		return err
	}
	day := cal.Day(d)
	fmt.Fprintln(stdout, describeDay(day))
	if day.Fallback {
		warnFallback(cal, stderr, "this date")
	}
	return nil
}

func workdayBetween(cal workday.Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("between wants two dates A and B, e.g. between 2026-09-30 2026-10-10; got %d argument(s)", len(args))
	}
	a, err := workdayDate(args[0])
	if err != nil {
		return err
	}
	b, err := workdayDate(args[1])
	if err != nil {
		return err
	}
	n, fallback := cal.Between(a, b)
	fmt.Fprintln(stdout, n)
	if fallback {
		warnFallback(cal, stderr, "part of this period")
	}
	return nil
}

// describeDay gives the verdict and its reason: "holiday: 春节",
// "workday: make-up working day (调休上班, 春节)", "workday: Monday".
func describeDay(day workday.Day) string {
	switch day.Kind {
	case workday.KindHoliday:
		return "holiday: " + day.Name
	case workday.KindMakeup:
		return "workday: make-up working day (调休上班, " + day.Name + ")"
	case workday.KindWeekend:
		return "holiday: weekend"
	}
	return "workday: " + day.Date.Weekday().String()
}

func workdayDate(s string) (time.Time, error) {
	d, err := workday.ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("bad date %q: write dates as YYYY-MM-DD, e.g. 2026-09-30", s)
	}
	return d, nil
}

// warnFallback says that the result counted only weekends, never silently.
func warnFallback(cal workday.Calendar, stderr io.Writer, what string) {
	known := "none"
	if y, ok := cal.(interface{ Years() []int }); ok {
		if years := y.Years(); len(years) > 0 {
			parts := make([]string, len(years))
			for i, v := range years {
				parts[i] = strconv.Itoa(v)
			}
			known = strings.Join(parts, ", ")
		}
	}
	fmt.Fprintf(stderr, "warning: no holiday data for %s (years with data: %s); "+
		"Monday to Friday were counted as working days there\n", what, known)
}
