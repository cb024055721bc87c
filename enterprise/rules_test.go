package enterprise

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/workday"
)

var parties = []Party{PartyNone, PartyEnterprise, PartyTeam, PartyAdmin, PartySystem}

// lifecycle is the whole rule, written out by hand: "status/action/party" →
// the status it leads to. Every combination not listed must be refused.
var lifecycle = map[string]Status{
	"raised/accept/team":               Accepted,
	"raised/accept/admin":              Accepted,
	"reopened/accept/team":             Accepted,
	"reopened/accept/admin":            Accepted,
	"accepted/propose/team":            Proposed,
	"accepted/propose/admin":           Proposed,
	"meeting/propose/team":             Proposed,
	"meeting/propose/admin":            Proposed,
	"raised/schedule_meeting/team":     Meeting,
	"raised/schedule_meeting/admin":    Meeting,
	"raised/schedule_meeting/system":   Meeting,
	"accepted/schedule_meeting/team":   Meeting,
	"accepted/schedule_meeting/admin":  Meeting,
	"accepted/schedule_meeting/system": Meeting,
	"reopened/schedule_meeting/team":   Meeting,
	"reopened/schedule_meeting/admin":  Meeting,
	"reopened/schedule_meeting/system": Meeting,
	"proposed/resolve/enterprise":      Resolved,
	"proposed/reopen/enterprise":       Reopened,
	"raised/close/enterprise":          Closed,
	"raised/close/admin":               Closed,
	"accepted/close/enterprise":        Closed,
	"accepted/close/admin":             Closed,
	"proposed/close/enterprise":        Closed,
	"proposed/close/admin":             Closed,
	"meeting/close/enterprise":         Closed,
	"meeting/close/admin":              Closed,
	"reopened/close/enterprise":        Closed,
	"reopened/close/admin":             Closed,
}

func TestNextEveryStatusActionParty(t *testing.T) {
	// mayEver: the party takes the action from some status.
	mayEver := map[string]bool{}
	for key := range lifecycle {
		parts := strings.Split(key, "/")
		mayEver[parts[1]+"/"+parts[2]] = true
	}
	for _, st := range Statuses {
		for _, a := range Actions {
			for _, p := range parties {
				name := fmt.Sprintf("%s/%s/%s", st, a, p)
				if p == PartyNone {
					name = fmt.Sprintf("%s/%s/none", st, a)
				}
				t.Run(name, func(t *testing.T) {
					got, err := Next(st, a, p)
					want, ok := lifecycle[fmt.Sprintf("%s/%s/%s", st, a, p)]
					switch {
					case ok:
						if err != nil || got != want {
							t.Fatalf("Next = %q, %v; want %q", got, err, want)
						}
					case p == PartyNone:
						if apperr.CodeOf(err) != apperr.NotFound || !apperr.As(err).Denied {
							t.Fatalf("no party: err %v, want a denied not-found", err)
						}
					case mayEver[string(a)+"/"+string(p)]:
						if apperr.CodeOf(err) != apperr.Conflict {
							t.Fatalf("err %v, want a conflict (the status does not allow it)", err)
						}
					default:
						if apperr.CodeOf(err) != apperr.Forbidden || !apperr.As(err).Denied {
							t.Fatalf("err %v, want a denied forbidden (the party never may)", err)
						}
					}
				})
			}
		}
	}
}

func TestFinalStatusesAllowNothing(t *testing.T) {
	for _, st := range []Status{Resolved, Closed} {
		for _, p := range parties {
			if got := Allowed(st, p); len(got) != 0 {
				t.Errorf("Allowed(%s, %q) = %v, want none", st, p, got)
			}
		}
	}
	if got := Allowed(Proposed, PartyEnterprise); !slices.Equal(got, []Action{Resolve, Reopen, Close}) {
		t.Errorf("the enterprise on a proposal may %v, want resolve, reopen, close", got)
	}
}

func TestParseAction(t *testing.T) {
	tests := []struct {
		in   string
		want Action
		ok   bool
	}{
		{"accept", Accept, true},
		{"confirm", Resolve, true},
		{"resolve", Resolve, true},
		{" reopen ", Reopen, true},
		{"schedule_meeting", ScheduleMeeting, true},
		{"approve", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAction(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseAction(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && apperr.As(err).Reason != "unknown_action" {
				t.Errorf("reason %q, want unknown_action", apperr.As(err).Reason)
			}
		})
	}
}

func TestParseCategory(t *testing.T) {
	tests := []struct {
		in   string
		want Category
		ok   bool
	}{
		{"land", CategoryLand, true},
		{"用地", CategoryLand, true},
		{"水电气", CategoryUtilities, true},
		{"Financing", CategoryFinancing, true},
		{"用电", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseCategory(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseCategory(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPartyOf(t *testing.T) {
	const credit, other = "91220200MA0Y1234P0", "91220200MA0Y9999X0"
	ent := auth.User{ID: 7, Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: credit}
	tests := []struct {
		name   string
		actor  auth.User
		member bool
		want   Party
	}{
		{"admin", auth.User{ID: 1, Role: auth.RoleAdmin}, false, PartyAdmin},
		{"disabled admin", auth.User{ID: 1, Role: auth.RoleAdmin, Disabled: true}, false, PartyNone},
		{"the raising account", ent, false, PartyEnterprise},
		{"another account of the same enterprise", auth.User{ID: 8, Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: credit}, false, PartyEnterprise},
		{"another enterprise", auth.User{ID: 9, Role: auth.RoleApplicant, Kind: auth.KindEnterprise, CreditCode: other}, false, PartyNone},
		{"a person applicant", auth.User{ID: 10, Role: auth.RoleApplicant, Kind: auth.KindPerson}, false, PartyNone},
		{"reviewer on the team", auth.User{ID: 11, Role: auth.RoleReviewer, DepartmentCode: "D"}, true, PartyTeam},
		{"front desk on the team", auth.User{ID: 12, Role: auth.RoleFrontDesk, PointCode: "P"}, true, PartyTeam},
		{"reviewer not on the team", auth.User{ID: 13, Role: auth.RoleReviewer, DepartmentCode: "D"}, false, PartyNone},
		{"issuer listed on the team", auth.User{ID: 14, Role: auth.RoleIssuer, PointCode: "P"}, true, PartyNone},
		{"hall manager listed on the team", auth.User{ID: 15, Role: auth.RoleHallManager, PointCode: "P"}, true, PartyNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PartyOf(tt.actor, 7, credit, tt.member); got != tt.want {
				t.Fatalf("PartyOf = %q, want %q", got, tt.want)
			}
		})
	}
}

var cst = time.FixedZone("CST", 8*3600)

func TestNewClockOnTheOfficialCalendar(t *testing.T) {
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                      string
		raised                    time.Time
		start, accept, propose, m string
		fallback                  bool
	}{
		{"Monday morning", time.Date(2025, 3, 10, 10, 0, 0, 0, cst), "2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", false},
		{"Friday afternoon: over the weekend", time.Date(2025, 3, 7, 16, 0, 0, 0, cst), "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12", false},
		{"Thursday in UTC is already Friday in China", time.Date(2025, 3, 6, 17, 0, 0, 0, time.UTC), "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12", false},
		{"raised on a Sunday", time.Date(2025, 3, 9, 9, 0, 0, 0, cst), "2025-03-09", "2025-03-10", "2025-03-11", "2025-03-12", false},
		// 国庆节、中秋节 2025: 1–8 October off, Saturday 11 October worked (国办发明电〔2024〕12号).
		{"before the National Day holiday", time.Date(2025, 9, 30, 9, 0, 0, 0, cst), "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11", false},
		{"past the years with holiday data", time.Date(2031, 3, 3, 9, 0, 0, 0, cst), "2031-03-03", "2031-03-04", "2031-03-05", "2031-03-06", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClock(cal, tt.raised)
			want := Clock{Start: tt.start, AcceptDue: tt.accept, ProposeDue: tt.propose, MeetingDue: tt.m, Fallback: tt.fallback}
			if c != want {
				t.Fatalf("NewClock = %+v, want %+v", c, want)
			}
		})
	}
}

// round is a request raised on Monday 2025-03-10: accept by Tuesday the 11th,
// propose by Wednesday the 12th, joint meeting on Thursday the 13th.
func round(st Status) Request {
	return Request{Status: st, Round: 1, Clock: Clock{Start: "2025-03-10", AcceptDue: "2025-03-11", ProposeDue: "2025-03-12", MeetingDue: "2025-03-13"}}
}

// at returns date at hh:mm China time.
func at(date string, hhmm ...int) *time.Time {
	d, err := time.ParseInLocation(time.DateOnly, date, cst)
	if err != nil {
		panic(err)
	}
	t := d.Add(time.Duration(hhmm[0]) * time.Hour)
	if len(hhmm) > 1 {
		t = t.Add(time.Duration(hhmm[1]) * time.Minute)
	}
	return &t
}

func day(date string) time.Time {
	d, err := workday.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDeadlines(t *testing.T) {
	type want struct {
		accept, propose, meeting DeadlineStatus
		breaches                 []Step
		overdue                  bool
	}
	tests := []struct {
		name  string
		req   func() Request
		today string
		want  want
	}{
		{"just raised", func() Request { return round(Raised) }, "2025-03-10",
			want{DeadlinePending, DeadlinePending, DeadlinePending, nil, false}},
		{"not accepted on the due day is still in time", func() Request { return round(Raised) }, "2025-03-11",
			want{DeadlinePending, DeadlinePending, DeadlinePending, nil, false}},
		{"not accepted the day after", func() Request { return round(Raised) }, "2025-03-12",
			want{DeadlineMissed, DeadlinePending, DeadlinePending, []Step{StepAccept}, true}},
		{"accepted on time, no solution after its day", func() Request {
			r := round(Accepted)
			r.AcceptedAt = at("2025-03-11", 16)
			return r
		}, "2025-03-13", want{DeadlineMet, DeadlineMissed, DeadlinePending, []Step{StepPropose}, true}},
		{"accepted at 23:30 China time on the due day (15:30 UTC)", func() Request {
			r := round(Accepted)
			r.AcceptedAt = at("2025-03-11", 23, 30)
			return r
		}, "2025-03-12", want{DeadlineMet, DeadlinePending, DeadlinePending, nil, false}},
		{"accepted at midnight after the due day", func() Request {
			r := round(Accepted)
			r.AcceptedAt = at("2025-03-12", 0)
			return r
		}, "2025-03-12", want{DeadlineMetLate, DeadlinePending, DeadlinePending, []Step{StepAccept}, false}},
		{"solved within two days: no meeting needed", func() Request {
			r := round(Proposed)
			r.AcceptedAt, r.ProposedAt = at("2025-03-10", 15), at("2025-03-12", 10)
			return r
		}, "2025-03-20", want{DeadlineMet, DeadlineMet, DeadlineNotNeeded, nil, false}},
		{"meeting held on day 3, then a proposal", func() Request {
			r := round(Proposed)
			r.AcceptedAt, r.MeetingOn, r.ProposedAt = at("2025-03-11", 9), "2025-03-13", at("2025-03-13", 17)
			return r
		}, "2025-03-14", want{DeadlineMet, DeadlineMetLate, DeadlineMet, []Step{StepPropose}, false}},
		{"never accepted, in the joint meeting", func() Request {
			r := round(Meeting)
			r.MeetingOn = "2025-03-13"
			return r
		}, "2025-03-13", want{DeadlineMissed, DeadlineMissed, DeadlineMet, []Step{StepAccept, StepPropose}, true}},
		{"the scan did not run: the meeting is missed", func() Request {
			r := round(Accepted)
			r.AcceptedAt = at("2025-03-10", 11)
			return r
		}, "2025-03-14", want{DeadlineMet, DeadlineMissed, DeadlineMissed, []Step{StepPropose, StepMeeting}, true}},
		{"withdrawn on day 1: the rest was not needed", func() Request {
			r := round(Closed)
			r.EndedAt = at("2025-03-11", 9)
			return r
		}, "2025-04-01", want{DeadlineNotNeeded, DeadlineNotNeeded, DeadlineNotNeeded, nil, false}},
		{"closed after the acceptance day: the miss stays", func() Request {
			r := round(Closed)
			r.EndedAt = at("2025-03-12", 9)
			return r
		}, "2025-04-01", want{DeadlineMissed, DeadlineNotNeeded, DeadlineNotNeeded, []Step{StepAccept}, false}},
		{"waiting for the enterprise is not overdue", func() Request {
			r := round(Proposed)
			r.AcceptedAt, r.ProposedAt = at("2025-03-10", 11), at("2025-03-11", 11)
			return r
		}, "2025-05-01", want{DeadlineMet, DeadlineMet, DeadlineNotNeeded, nil, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req()
			ds := r.Deadlines(day(tt.today))
			got := want{ds[0].Status, ds[1].Status, ds[2].Status, nil, false}
			r.judgeDeadlines(day(tt.today))
			if len(r.Breaches) > 0 {
				got.breaches = r.Breaches
			}
			got.overdue = r.Overdue
			if got.accept != tt.want.accept || got.propose != tt.want.propose || got.meeting != tt.want.meeting ||
				!slices.Equal(got.breaches, tt.want.breaches) || got.overdue != tt.want.overdue {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for _, d := range ds {
				if d.Breached != (d.Status == DeadlineMissed || d.Status == DeadlineMetLate) {
					t.Errorf("%s: breached=%v with status %s", d.Step, d.Breached, d.Status)
				}
			}
		})
	}
}

func TestDueLevels(t *testing.T) {
	tests := []struct {
		name  string
		req   func() Request
		today string
		want  []int
	}{
		{"in time", func() Request { return round(Raised) }, "2025-03-11", nil},
		{"acceptance missed", func() Request { return round(Raised) }, "2025-03-12", []int{LevelAccept}},
		{"day 3, nothing done", func() Request { return round(Raised) }, "2025-03-13", []int{LevelAccept, LevelPropose, LevelMeeting}},
		{"day 3, accepted on time", func() Request {
			r := round(Accepted)
			r.AcceptedAt = at("2025-03-10", 11)
			return r
		}, "2025-03-13", []int{LevelPropose, LevelMeeting}},
		{"in the meeting, still no proposal", func() Request { return round(Meeting) }, "2025-03-14", []int{LevelPropose}},
		{"proposed", func() Request {
			r := round(Proposed)
			r.ProposedAt = at("2025-03-12", 9)
			return r
		}, "2025-03-20", nil},
		{"resolved", func() Request { return round(Resolved) }, "2025-03-20", nil},
		{"closed", func() Request { return round(Closed) }, "2025-03-20", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req()
			if got := dueLevels(&r, tt.today); !slices.Equal(got, tt.want) {
				t.Fatalf("dueLevels = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateAct(t *testing.T) {
	tests := []struct {
		name   string
		action Action
		req    ActRequest
		fields []string // fields named in the error; none for a valid request
	}{
		{"accept with nothing", Accept, ActRequest{}, nil},
		{"accept naming departments", Accept, ActRequest{Departments: []string{"D1"}}, nil},
		{"propose without a solution", Propose, ActRequest{Solution: "  "}, []string{"solution"}},
		{"propose", Propose, ActRequest{Solution: "协调自然资源部门调整城镇开发边界"}, nil},
		{"a solution to accept", Accept, ActRequest{Solution: "x"}, []string{"solution"}},
		{"reopen without a reason", Reopen, ActRequest{}, []string{"reason"}},
		{"close with a reason", Close, ActRequest{Reason: "已自行解决"}, nil},
		{"a reason to propose", Propose, ActRequest{Solution: "x", Reason: "y"}, []string{"reason"}},
		{"departments to propose", Propose, ActRequest{Solution: "x", Departments: []string{"D1"}}, []string{"departments"}},
		{"an empty department list", ScheduleMeeting, ActRequest{Departments: []string{" "}}, []string{"departments"}},
		{"a meeting date that is no date", ScheduleMeeting, ActRequest{MeetingOn: "13/03/2025"}, []string{"meeting_on"}},
		{"a meeting date to accept", Accept, ActRequest{MeetingOn: "2025-03-13"}, []string{"meeting_on"}},
		{"a long note", Accept, ActRequest{Note: strings.Repeat("备", maxNoteLen+1)}, []string{"note"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateAct(tt.action, &tt.req)
			var got []string
			if err != nil {
				for _, f := range apperr.As(err).Fields {
					got = append(got, f.Field)
				}
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Fatalf("code %s, want invalid", apperr.CodeOf(err))
				}
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v (err %v)", got, tt.fields, err)
			}
		})
	}
}
