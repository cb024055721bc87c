package enterprise

import (
	"time"

	"github.com/onewindow/onewindow/workday"
)

// Clock holds one round's deadlines, as civil dates (YYYY-MM-DD) in China.
// A round starts when the request is raised, and again each time the
// enterprise reopens it.
type Clock struct {
	Start      string `json:"clock_start"` // the day the round started
	AcceptDue  string `json:"accept_due"`  // the 1st working day after Start
	ProposeDue string `json:"propose_due"` // the 2nd
	MeetingDue string `json:"meeting_due"` // the 3rd: the joint meeting if still unsolved
	// Fallback is true when a date lies past the years of the holiday
	// calendar and only weekends were taken into account.
	Fallback bool `json:"calendar_fallback,omitempty"`
}

// NewClock starts a round at the instant started: the day is the civil date
// in China, and the deadlines are counted on cal from the day after it.
func NewClock(cal workday.Calendar, started time.Time) Clock {
	start := workday.DateOf(started)
	accept, f1 := cal.Add(start, AcceptDays)
	propose, f2 := cal.Add(start, ProposeDays)
	meeting, f3 := cal.Add(start, MeetingDays)
	return Clock{Start: workday.FormatDate(start), AcceptDue: workday.FormatDate(accept), ProposeDue: workday.FormatDate(propose),
		MeetingDue: workday.FormatDate(meeting), Fallback: f1 || f2 || f3}
}

// Step names a deadline.
type Step string

const (
	StepAccept  Step = "accept"
	StepPropose Step = "propose"
	StepMeeting Step = "meeting"
)

// DeadlineStatus says how a step stands against its due date.
type DeadlineStatus string

const (
	DeadlinePending   DeadlineStatus = "pending"    // not done, not yet due
	DeadlineMet       DeadlineStatus = "met"        // done on or before the due date
	DeadlineMetLate   DeadlineStatus = "met_late"   // done after the due date
	DeadlineMissed    DeadlineStatus = "missed"     // not done and the due date has passed
	DeadlineNotNeeded DeadlineStatus = "not_needed" // the request ended, or was solved, before the step was needed
)

// Deadline is one step of the current round against its due date.
type Deadline struct {
	Step     Step           `json:"step"`
	Due      string         `json:"due"`
	DoneOn   string         `json:"done_on,omitempty"`
	Status   DeadlineStatus `json:"status"`
	Breached bool           `json:"breached"` // met late or missed
}

// dateOf returns the civil date in China of t, or "" for nil.
func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return workday.FormatDate(workday.DateOf(*t))
}

// Deadlines returns the current round's three steps as they stand on today
// (a civil date). A step is late when done on a day after its due date: the
// due date is a whole working day. The joint meeting is not needed when a
// solution was proposed by its day.
func (r *Request) Deadlines(today time.Time) []Deadline {
	stop := workday.FormatDate(today)
	final := r.Status.Final()
	if final && r.EndedAt != nil {
		stop = dateOf(r.EndedAt)
	}
	judge := func(step Step, due, done string) Deadline {
		d := Deadline{Step: step, Due: due, DoneOn: done}
		switch {
		case done != "" && done <= due:
			d.Status = DeadlineMet
		case done != "":
			d.Status = DeadlineMetLate
		case stop > due:
			d.Status = DeadlineMissed
		case final:
			d.Status = DeadlineNotNeeded
		default:
			d.Status = DeadlinePending
		}
		d.Breached = d.Status == DeadlineMetLate || d.Status == DeadlineMissed
		return d
	}
	proposed := dateOf(r.ProposedAt)
	meeting := judge(StepMeeting, r.MeetingDue, r.MeetingOn)
	if r.MeetingOn == "" && proposed != "" && proposed <= r.MeetingDue {
		meeting = Deadline{Step: StepMeeting, Due: r.MeetingDue, Status: DeadlineNotNeeded}
	}
	return []Deadline{
		judge(StepAccept, r.AcceptDue, dateOf(r.AcceptedAt)),
		judge(StepPropose, r.ProposeDue, proposed),
		meeting,
	}
}

// judgeDeadlines fills the fields derived from the deadlines on today.
func (r *Request) judgeDeadlines(today time.Time) {
	r.Breaches = []Step{}
	r.Overdue = false
	owes := false
	for _, s := range waitingForTeam {
		owes = owes || r.Status == s
	}
	for _, d := range r.Deadlines(today) {
		if d.Breached {
			r.Breaches = append(r.Breaches, d.Step)
		}
		if owes && d.Status == DeadlineMissed {
			r.Overdue = true
		}
	}
}
