package workday

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

const cliUsage = `Usage: onewindow workday <command> [arguments]

The working-day calendar: weekends, statutory holidays and make-up working days (调休).

Commands:
  add DATE N     print the due date of an N-working-day time limit started on DATE;
                 counting starts the day after DATE, N = 0 (即办件) is due the same working day
  is DATE        print "workday" or "holiday" and the reason
  between A B    print the number of working days after A up to and including B
  help           print this text

Dates are written YYYY-MM-DD. Days outside the years with holiday data count
Monday to Friday only, and a warning says so.
`

// Exit codes of RunCLI.
const (
	exitOK    = 0
	exitUsage = 2
)

// RunCLI runs the workday subcommand with args (the words after "workday") on
// cal, writing results to stdout and warnings and errors to stderr. It returns
// the process exit code: 0 on success, 2 on bad usage or input.
func RunCLI(cal Calendar, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, cliUsage)
		return exitUsage
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fmt.Fprint(stdout, cliUsage)
			return exitOK
		}
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "help":
		fmt.Fprint(stdout, cliUsage)
		return exitOK
	case "add":
		err = cliAdd(cal, rest, stdout, stderr)
	case "is":
		err = cliIs(cal, rest, stdout, stderr)
	case "between":
		err = cliBetween(cal, rest, stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q; the commands are add, is, between and help", cmd)
	}
	if err != nil {
		fmt.Fprintf(stderr, "onewindow workday: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func cliAdd(cal Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("add wants DATE and N, e.g. add 2026-09-30 3; got %d argument(s)", len(args))
	}
	start, err := cliDate(args[0])
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 || n > maxWorkingDays {
		return fmt.Errorf("N must be a whole number of working days from 0 to %d, not %q", maxWorkingDays, args[1])
	}
	due, fallback := cal.Add(start, n)
	fmt.Fprintln(stdout, FormatDate(due))
	if fallback {
		warnFallback(cal, stderr, "part of this period")
	}
	return nil
}

func cliIs(cal Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("is wants one DATE, e.g. is 2026-02-16; got %d argument(s)", len(args))
	}
	d, err := cliDate(args[0])
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

func cliBetween(cal Calendar, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("between wants two dates A and B, e.g. between 2026-09-30 2026-10-10; got %d argument(s)", len(args))
	}
	a, err := cliDate(args[0])
	if err != nil {
		return err
	}
	b, err := cliDate(args[1])
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
func describeDay(day Day) string {
	switch day.Kind {
	case KindHoliday:
		return "holiday: " + day.Name
	case KindMakeup:
		return "workday: make-up working day (调休上班, " + day.Name + ")"
	case KindWeekend:
		return "holiday: weekend"
	}
	return "workday: " + day.Date.Weekday().String()
}

func cliDate(s string) (time.Time, error) {
	d, err := ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("bad date %q: write dates as YYYY-MM-DD, e.g. 2026-09-30", s)
	}
	return d, nil
}

// warnFallback says that the result counted only weekends, never silently.
func warnFallback(cal Calendar, stderr io.Writer, what string) {
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
