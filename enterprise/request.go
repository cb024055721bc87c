package enterprise

import (
	"encoding/json"
	"time"
)

// Enterprise is who raised a request.
type Enterprise struct {
	UserID     int64  `json:"user_id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"` // 统一社会信用代码
	Phone      string `json:"phone,omitempty"`
}

// Request is one enterprise request (企业诉求) with its current round's clock.
type Request struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	Enterprise  Enterprise `json:"enterprise"`
	Category    Category   `json:"category"`
	Description string     `json:"description"`
	TeamCode    string     `json:"team"`
	TeamName    string     `json:"team_name"`
	// Departments are those involved: convened to the joint meeting.
	Departments []string `json:"departments"`
	Status      Status   `json:"status"`
	Version     int      `json:"version"`
	// Round counts the clocks: 1 when raised, one more at each reopening.
	Round int `json:"round"`
	// EscalationLevel is the highest level reached in this round: 1 missed
	// acceptance, 2 missed proposal, 3 joint meeting.
	EscalationLevel int `json:"escalation_level"`
	Clock
	AcceptedAt   *time.Time `json:"accepted_at,omitempty"`
	ProposedAt   *time.Time `json:"proposed_at,omitempty"`
	MeetingOn    string     `json:"meeting_on,omitempty"` // the day of the joint meeting
	Solution     string     `json:"solution,omitempty"`
	ReopenReason string     `json:"reopen_reason,omitempty"`
	EndedAt      *time.Time `json:"ended_at,omitempty"` // resolved or closed
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// Breaches lists the steps of this round done late or missed, and
	// Overdue tells whether the team owes a step that is past due; both are
	// judged on the service's clock when the request is read.
	Breaches []Step `json:"breaches"`
	Overdue  bool   `json:"overdue"`
}

// Escalation levels.
const (
	LevelAccept  = 1 // acceptance missed: the team lead and the team's department are told
	LevelPropose = 2 // proposal missed: told again, one level up
	LevelMeeting = 3 // day 3 unsolved: the joint meeting is scheduled with the departments involved
)

// levelStep maps a level to the deadline whose breach causes it.
var levelStep = map[int]Step{LevelAccept: StepAccept, LevelPropose: StepPropose, LevelMeeting: StepMeeting}

// Escalation is one level reached in one round; each happens exactly once.
type Escalation struct {
	Round int       `json:"round"`
	Level int       `json:"level"`
	Step  Step      `json:"step"`
	Due   string    `json:"due"`
	At    time.Time `json:"at"`
	By    string    `json:"by"` // "system" for the scan, else the username
}

// Event is one entry of a request's history.
type Event struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Role      string          `json:"role"`
	Action    string          `json:"action"`
	From      Status          `json:"from,omitempty"`
	To        Status          `json:"to"`
	Round     int             `json:"round"`
	Level     int             `json:"level,omitempty"`
	Note      string          `json:"note,omitempty"`
	Data      json.RawMessage `json:"data"`
}

// Detail is a request as its page shows it: deadlines, escalations, history
// and what the caller may do now.
type Detail struct {
	Request
	Party       Party        `json:"party"`
	Deadlines   []Deadline   `json:"deadlines"`
	Escalations []Escalation `json:"escalations"`
	History     []Event      `json:"history"`
	Allowed     []Action     `json:"allowed_actions"`
}

// dueLevels returns the escalation levels that the request deserves on
// today (a civil date), whether or not they already happened: a missed
// acceptance while not accepted, a missed proposal while no solution is
// proposed, and the joint meeting from day 3 while the team still owes a
// solution and no meeting is scheduled. The scan re-checks this inside the
// transaction that escalates.
func dueLevels(r *Request, today string) []int {
	var out []int
	switch r.Status {
	case Raised, Reopened:
		if r.AcceptDue < today {
			out = append(out, LevelAccept)
		}
	}
	switch r.Status {
	case Raised, Accepted, Meeting, Reopened:
		if r.ProposedAt == nil && r.ProposeDue < today {
			out = append(out, LevelPropose)
		}
	}
	switch r.Status {
	case Raised, Accepted, Reopened:
		if r.MeetingDue <= today {
			out = append(out, LevelMeeting)
		}
	}
	return out
}
