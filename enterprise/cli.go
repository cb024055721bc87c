package enterprise

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

const cliHelp = `onewindow enterprise list [--db DSN] [--status S[,S…]] [--overdue] [--team CODE]
  list enterprise requests (企业诉求) with their deadlines and escalation level.
  Statuses: raised, accepted, proposed, meeting, reopened, resolved, closed.
  --overdue keeps the requests for which the service team owes a step past its due date.
  A deadline marked "!" was breached (met late or missed).`

// RunCLI runs the enterprise subcommand with args (the words after
// "enterprise"). open opens and migrates the database named by --db
// (defaultDB when not given). It returns the exit code: 0 on success, 1 when
// the database fails, 2 on bad usage.
func RunCLI(ctx context.Context, args []string, defaultDB string, open func(dsn string) (*store.DB, error), stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			fmt.Fprintln(stdout, cliHelp)
			return 0
		}
		fmt.Fprintln(stderr, cliHelp)
		return 2
	}
	fs := flag.NewFlagSet("enterprise list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", cliHelp)
		fs.PrintDefaults()
	}
	dsn := fs.String("db", defaultDB, "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	status := fs.String("status", "", "only these statuses, comma-separated")
	overdue := fs.Bool("overdue", false, "only requests with a step past its due date")
	team := fs.String("team", "", "only this service team's requests")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "enterprise list: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	statuses, err := ParseStatuses("--status", *status)
	if err != nil {
		for _, fe := range apperr.As(err).Fields {
			fmt.Fprintf(stderr, "enterprise list: %s: %s / %s\n", fe.Field, fe.Message.EN, fe.Message.ZH)
		}
		return 2
	}
	cal, err := workday.NewOfficial()
	if err != nil {
		fmt.Fprintf(stderr, "enterprise list: holiday calendar: %v\n", err)
		return 1
	}
	db, err := open(*dsn)
	if err != nil {
		fmt.Fprintf(stderr, "enterprise list: %v\n", err)
		return 1
	}
	defer db.Close()
	s := NewService(db, cal, clock.Wall())
	f := Filter{Statuses: statuses, Overdue: *overdue, Team: strings.TrimSpace(*team), Limit: 200}
	var all []Request
	total := 0
	for {
		page, n, err := s.list(ctx, scope{}, f)
		if err != nil {
			fmt.Fprintf(stderr, "enterprise list: %v\n", err)
			return 1
		}
		all, total = append(all, page...), n
		if len(page) == 0 || len(all) >= total {
			break
		}
		f.Offset += len(page)
	}
	writeTable(stdout, all)
	return 0
}

// writeTable prints requests as aligned columns; Chinese characters take two columns.
func writeTable(w io.Writer, rs []Request) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "no enterprise requests / 没有企业诉求")
		return
	}
	header := []string{"NUMBER", "ENTERPRISE", "CATEGORY", "STATUS", "ACCEPT BY", "PROPOSE BY", "MEETING", "LEVEL"}
	rows := [][]string{header}
	for _, r := range rs {
		breached := map[Step]bool{}
		for _, b := range r.Breaches {
			breached[b] = true
		}
		mark := func(step Step, date string) string {
			if breached[step] {
				return date + "!"
			}
			return date
		}
		meeting := mark(StepMeeting, r.MeetingDue)
		if r.MeetingOn != "" {
			meeting = "on " + r.MeetingOn
		}
		rows = append(rows, []string{r.Number, r.Enterprise.Name, CategoryNames[r.Category].ZH, string(r.Status),
			mark(StepAccept, r.AcceptDue), mark(StepPropose, r.ProposeDue), meeting, fmt.Sprint(r.EscalationLevel)})
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	fmt.Fprintf(w, "%d request(s); ! = deadline breached / 超期\n", len(rs))
}

// displayWidth counts East Asian wide characters as two terminal columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (r <= 0x115F || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
			(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)):
			n += 2
		default:
			n++
		}
	}
	return n
}
