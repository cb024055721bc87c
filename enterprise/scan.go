package enterprise

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// ScanReport says what one scan did.
type ScanReport struct {
	At          time.Time     `json:"at"`
	Today       string        `json:"today"` // the civil date in China the deadlines were judged on
	Escalations []Escalated   `json:"escalations"`
	Failures    []ScanFailure `json:"failures,omitempty"`
}

// Escalated is one escalation this scan made.
type Escalated struct {
	RequestID int64  `json:"request_id"`
	Number    string `json:"number"`
	Round     int    `json:"round"`
	Level     int    `json:"level"`
	Due       string `json:"due"`
	MeetingOn string `json:"meeting_on,omitempty"` // level 3: the day of the joint meeting
}

// ScanFailure is a request the scan could not escalate; the others still were.
type ScanFailure struct {
	RequestID int64  `json:"request_id"`
	Level     int    `json:"level"`
	Error     string `json:"error"`
}

// candidateQuery finds, for a level, the requests whose current round may
// deserve it and does not have it yet. It only narrows the search:
// dueLevels decides, again, inside the escalating transaction.
func candidateQuery(d store.Dialect, level int) string {
	switch level {
	case LevelAccept:
		return `SELECT r.id, r.round FROM ent_requests r
		WHERE r.status IN ('raised', 'reopened') AND r.accept_due < ?
		AND NOT EXISTS (SELECT 1 FROM ent_escalations e WHERE e.request_id = r.id AND e.round = r.round AND e.level = 1)
		ORDER BY r.id`
	case LevelPropose:
		return `SELECT r.id, r.round FROM ent_requests r
		WHERE r.status IN ('raised', 'accepted', 'meeting', 'reopened') AND ` + store.NotYet(d, "r.proposed_at") + ` AND r.propose_due < ?
		AND NOT EXISTS (SELECT 1 FROM ent_escalations e WHERE e.request_id = r.id AND e.round = r.round AND e.level = 2)
		ORDER BY r.id`
	}
	return `SELECT r.id, r.round FROM ent_requests r
		WHERE r.status IN ('raised', 'accepted', 'reopened') AND r.meeting_due <= ?
		AND NOT EXISTS (SELECT 1 FROM ent_escalations e WHERE e.request_id = r.id AND e.round = r.round AND e.level = 3)
		ORDER BY r.id`
}

// errSkip rolls back an escalation that is no longer due or that another
// process made first: nothing was written, nothing is reported.
var errSkip = errors.New("enterprise: escalation not due or already made")

// Scan escalates every request past a deadline on now: a missed acceptance
// (level 1: the team's leads and department are told), a missed proposal
// (level 2: told again) and, from day 3 while no solution is proposed, the
// joint meeting (level 3: scheduled, the departments involved and the
// enterprise told). Each escalation is one transaction with an event, the
// notifications and an audit record. Scan is idempotent, and safe to run in
// several processes at once: each escalation of a round is claimed by a row
// with a unique key, so it happens exactly once. One request's failure does
// not stop the others; they are listed in the report and joined in the error.
func (s *Service) Scan(ctx context.Context, now time.Time) (ScanReport, error) {
	today := workday.FormatDate(workday.DateOf(now))
	rep := ScanReport{At: now, Today: today, Escalations: []Escalated{}}
	var errs []error
	for _, level := range []int{LevelAccept, LevelPropose, LevelMeeting} {
		type candidate struct {
			id    int64
			round int
		}
		var cands []candidate
		rows, err := s.db.QueryContext(ctx, candidateQuery(s.db.Dialect(), level), today)
		if err != nil {
			return rep, apperr.Wrap(err, "enterprise: scan")
		}
		for rows.Next() {
			var c candidate
			if err := rows.Scan(&c.id, &c.round); err != nil {
				rows.Close()
				return rep, apperr.Wrap(err, "enterprise: scan")
			}
			cands = append(cands, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, apperr.Wrap(err, "enterprise: scan")
		}
		for _, c := range cands {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			esc, err := s.escalate(ctx, c.id, c.round, level, now)
			switch {
			case errors.Is(err, errSkip):
			case err != nil:
				rep.Failures = append(rep.Failures, ScanFailure{RequestID: c.id, Level: level, Error: err.Error()})
				errs = append(errs, fmt.Errorf("request %d, level %d: %w", c.id, level, err))
			default:
				rep.Escalations = append(rep.Escalations, esc)
			}
		}
	}
	return rep, errors.Join(errs...)
}

// escalate raises request id to level in one transaction, if its round is
// still round, the level is still due and no one has claimed it.
func (s *Service) escalate(ctx context.Context, id int64, round, level int, now time.Time) (Escalated, error) {
	var esc Escalated
	today := workday.DateOf(now)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if r.Round != round || !slices.Contains(dueLevels(&r, workday.FormatDate(today)), level) {
			return errSkip
		}
		claimed, err := claimEscalation(ctx, tx, &r, level, now, systemActor.Username)
		if err != nil {
			return err
		}
		if !claimed {
			return errSkip
		}
		team, err := s.team(ctx, tx, r.TeamCode)
		if err != nil {
			return err
		}
		esc = Escalated{RequestID: r.ID, Number: r.Number, Round: r.Round, Level: level}
		data := map[string]any{"step": levelStep[level]}
		from := r.Status
		action := eventEscalate
		n := notice{topic: fmt.Sprintf("enterprise_request.escalated.level%d", level),
			recipients: append(team.leadRecipients(), "department:"+team.DepartmentCode)}
		switch level {
		case LevelAccept:
			esc.Due = r.AcceptDue
		case LevelPropose:
			esc.Due = r.ProposeDue
		case LevelMeeting:
			esc.Due = r.MeetingDue
			to, err := Next(r.Status, ScheduleMeeting, PartySystem)
			if err != nil {
				return err
			}
			on, _ := s.calendar.Add(today, 0) // day 3 itself, or the next working day if the scan ran late
			r.Status, r.MeetingOn = to, workday.FormatDate(on)
			esc.MeetingOn = r.MeetingOn
			action = string(ScheduleMeeting)
			data["meeting_on"], data["departments"] = r.MeetingOn, r.Departments
			n.recipients = meetingRecipients(&r, &team)
		}
		data["due"] = esc.Due
		r.EscalationLevel = max(r.EscalationLevel, level)
		r.UpdatedAt = now
		if err := updateRequest(ctx, tx, &r); err != nil {
			return err
		}
		return s.record(ctx, tx, systemActor, &r, action, from, r.Status, level, "", data, now, n)
	})
	return esc, err
}
