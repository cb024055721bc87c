package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/workday"
)

const enterpriseHelp = `onewindow enterprise list [--db DSN] [--status S[,S…]] [--overdue] [--team CODE]
  list enterprise requests (企业诉求) with their deadlines and escalation level.
  Statuses: raised, accepted, proposed, meeting, reopened, resolved, closed.
  --overdue keeps the requests for which the service team owes a step past its due date.
  A deadline marked "!" was breached (met late or missed).`

// cmdEnterprise is "onewindow enterprise list". Exit codes: 0 done, 1 the
// database failed, 2 bad usage.
func cmdEnterprise(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if code, ok := subcommand(args, enterpriseHelp, stdout, stderr, "list"); !ok {
		return code
	}
	c := newCLI("enterprise list", enterpriseHelp, stdout, stderr).withDB("")
	status := c.String("status", "", "only these statuses, comma-separated")
	overdue := c.Bool("overdue", false, "only requests with a step past its due date")
	team := c.String("team", "", "only this service team's requests")
	if code := c.parse(args[1:]); code >= 0 {
		return code
	}
	if c.NArg() > 0 {
		fmt.Fprintf(stderr, "enterprise list: unexpected argument %q\n", c.Arg(0))
		return 2
	}
	statuses, err := enterprise.ParseStatuses("--status", *status)
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
	db, ok := c.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	s := enterprise.NewService(db, cal, clock.Wall())
	all, err := s.ListAll(ctx, enterprise.Filter{Statuses: statuses, Overdue: *overdue, Team: strings.TrimSpace(*team)})
	if err != nil {
		fmt.Fprintf(stderr, "enterprise list: %v\n", err)
		return 1
	}
	writeEnterpriseTable(stdout, all)
	return 0
}

// writeEnterpriseTable prints requests as aligned columns; Chinese characters take two columns.
func writeEnterpriseTable(w io.Writer, rs []enterprise.Request) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "no enterprise requests / 没有企业诉求")
		return
	}
	header := []string{"NUMBER", "ENTERPRISE", "CATEGORY", "STATUS", "ACCEPT BY", "PROPOSE BY", "MEETING", "LEVEL"}
	rows := [][]string{header}
	for _, r := range rs {
		breached := map[enterprise.Step]bool{}
		for _, b := range r.Breaches {
			breached[b] = true
		}
		mark := func(step enterprise.Step, date string) string {
			if breached[step] {
				return date + "!"
			}
			return date
		}
		meeting := mark(enterprise.StepMeeting, r.MeetingDue)
		if r.MeetingOn != "" {
			meeting = "on " + r.MeetingOn
		}
		rows = append(rows, []string{r.Number, r.Enterprise.Name, enterprise.CategoryNames[r.Category].ZH, string(r.Status),
			mark(enterprise.StepAccept, r.AcceptDue), mark(enterprise.StepPropose, r.ProposeDue), meeting, fmt.Sprint(r.EscalationLevel)})
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
