package rating

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/statetable"
	"github.com/onewindow/onewindow/workday"
)

// The follow-up of a bad rating (差评整改), after 国办发〔2019〕51号: the
// rater is called back (回访) and the problem put right (整改) within a
// number of working days counted from the day after the rating; the rater
// then confirms or contests what was done, and the department or point may
// appeal a rating it finds unfair (申诉复核), which an administrator decides.
const (
	DefaultContactDays = 1  // 回访: within 1 working day
	DefaultRectifyDays = 15 // 整改: within 15 working days
)

// Settings are a province's working days for the two steps.
type Settings struct {
	Province    string `json:"province"` // two digits of the region code; "" is the default for all
	ContactDays int    `json:"contact_days"`
	RectifyDays int    `json:"rectify_days"`
}

// DefaultSettings apply until an administrator sets a province's own.
func DefaultSettings() Settings {
	return Settings{ContactDays: DefaultContactDays, RectifyDays: DefaultRectifyDays}
}

// Validate checks the ranges: a call-back within 1–5 working days, a
// rectification within 1–60, and never before the call-back.
func (s Settings) Validate() error {
	var f apperr.Fields
	if s.Province != "" && (len(s.Province) != 2 || s.Province[0] < '1' || s.Province[0] > '9' || s.Province[1] < '0' || s.Province[1] > '9') {
		f.Add("province", "format", apperr.M("省份须为行政区划代码的前两位，如 22（吉林）", "province is the first two digits of a region code, e.g. 22 (Jilin)"))
	}
	if s.ContactDays < 1 || s.ContactDays > 5 {
		f.Add("contact_days", "range", apperr.M("回访时限须为1到5个工作日", "contact_days must be 1 to 5 working days"))
	}
	if s.RectifyDays < 1 || s.RectifyDays > 60 {
		f.Add("rectify_days", "range", apperr.M("整改时限须为1到60个工作日", "rectify_days must be 1 to 60 working days"))
	} else if s.RectifyDays < s.ContactDays {
		f.Add("rectify_days", "before_contact", apperr.M("整改时限不能短于回访时限", "rectify_days cannot be shorter than contact_days"))
	}
	return f.Err()
}

// Dues are the due dates of a follow-up opened on a day.
type Dues struct {
	ContactDue string // "" when the rater cannot be called back (no name, no number)
	RectifyDue string
	Fallback   bool // a date lies past the years of the holiday calendar
}

// DueDates counts the two deadlines on cal from the civil date opened (in
// China), the day after it being the first working day counted.
func DueDates(cal workday.Calendar, opened time.Time, s Settings, contactPossible bool) Dues {
	day := workday.DateOf(opened)
	var d Dues
	if contactPossible {
		c, fb := cal.Add(day, s.ContactDays)
		d.ContactDue, d.Fallback = workday.FormatDate(c), fb
	}
	r, fb := cal.Add(day, s.RectifyDays)
	d.RectifyDue, d.Fallback = workday.FormatDate(r), d.Fallback || fb
	return d
}

// Status is where a follow-up stands.
type Status string

const (
	Open      Status = "open"      // 待回访: the rater is to be called back
	Contacted Status = "contacted" // 待整改: called back (or no one to call); the problem is to be put right
	Rectified Status = "rectified" // 已整改: what was done is recorded; the rater may confirm or contest
	Confirmed Status = "confirmed" // 已确认: the rater accepts what was done
	Contested Status = "contested" // 有异议: the rater does not; it is to be put right again
	Appealed  Status = "appealed"  // 申诉中: the department or point appeals the rating as unfair
	Upheld    Status = "upheld"    // 申诉成立: the rating is kept, marked, and left out of the figures
	Withdrawn Status = "withdrawn" // 已撤销: the rater changed the rating to a good one
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Open, Contacted, Rectified, Confirmed, Contested, Appealed, Upheld, Withdrawn}

// StatusNames labels each status in both languages.
var StatusNames = map[Status]apperr.Msg{
	Open:      apperr.M("待回访", "to call back"),
	Contacted: apperr.M("待整改", "to put right"),
	Rectified: apperr.M("已整改", "put right"),
	Confirmed: apperr.M("评价人已确认", "confirmed by the rater"),
	Contested: apperr.M("评价人有异议", "contested by the rater"),
	Appealed:  apperr.M("申诉复核中", "appeal under review"),
	Upheld:    apperr.M("申诉成立", "appeal upheld"),
	Withdrawn: apperr.M("差评已撤销", "rating changed"),
}

// Final reports whether nothing changes the follow-up any more.
func (s Status) Final() bool { return s == Confirmed || s == Upheld || s == Withdrawn }

// owesRectification are the statuses in which the responsible party owes the rater a rectification.
var owesRectification = []Status{Open, Contacted, Contested}

// Action is a step of a follow-up.
type Action string

const (
	Contact      Action = "contact"       // 回访: the rater was called back
	Rectify      Action = "rectify"       // 整改: what was done
	Confirm      Action = "confirm"       // the rater accepts it
	Contest      Action = "contest"       // the rater does not
	Appeal       Action = "appeal"        // 申诉: the rating is unfair
	UpholdAppeal Action = "uphold_appeal" // 复核: the appeal is right; the rating is marked
	RejectAppeal Action = "reject_appeal" // 复核: the appeal is wrong; the follow-up goes on
)

// Actions lists every action in lifecycle order.
var Actions = []Action{Contact, Rectify, Confirm, Contest, Appeal, UpholdAppeal, RejectAppeal}

// Events that are no user's action.
const (
	eventOpen     = "open"
	eventEscalate = "escalate"
	eventWithdraw = "withdraw"
)

// ActionNames labels each action and event in both languages.
var ActionNames = map[Action]apperr.Msg{
	eventOpen:     apperr.M("差评生成整改单", "follow-up opened"),
	Contact:       apperr.M("回访", "call back"),
	Rectify:       apperr.M("整改", "put right"),
	Confirm:       apperr.M("确认整改", "confirm"),
	Contest:       apperr.M("提出异议", "contest"),
	Appeal:        apperr.M("申诉", "appeal"),
	UpholdAppeal:  apperr.M("申诉成立", "uphold the appeal"),
	RejectAppeal:  apperr.M("驳回申诉", "reject the appeal"),
	eventEscalate: apperr.M("超时督办", "escalated"),
	eventWithdraw: apperr.M("评价人改为好评", "rating changed by the rater"),
}

// ParseAction reads an action name.
func ParseAction(s string) (Action, error) {
	a := Action(s)
	if slices.Contains(Actions, a) {
		return a, nil
	}
	return "", apperr.New(apperr.NotFound, "unknown_action", apperr.M(
		"未知的操作，可选：contact、rectify、confirm、contest、appeal、uphold_appeal、reject_appeal",
		"unknown action; one of contact, rectify, confirm, contest, appeal, uphold_appeal, reject_appeal")).With("action", s)
}

// Party is the part a user plays for one follow-up.
type Party string

const (
	PartyNone        Party = ""            // may not see it
	PartyResponsible Party = "responsible" // answers for it: the department's reviewers (a case) or the point's hall manager (a visit)
	PartyViewer      Party = "viewer"      // sees it: the hall manager of the point where a case was handled
	PartyRater       Party = "rater"       // the applicant who gave the rating
	PartyAdmin       Party = "admin"       // decides appeals
)

// Responsibility names who answers for a follow-up.
type Responsibility struct {
	Kind  string // department | point
	Code  string
	Point string // the point where the rated service was given
}

// Who answers for a bad rating: a case's department (后台审批 decides
// what the applicant got), a visit's point (the window's service).
const (
	ResponsibleDepartment = "department"
	ResponsiblePoint      = "point"
)

// PartyOf tells what actor is to a follow-up; raterID is the account of
// the rater, when known.
func PartyOf(actor auth.User, r Responsibility, raterID *int64) Party {
	switch {
	case actor.Disabled:
		return PartyNone
	case actor.Role == auth.RoleAdmin:
		return PartyAdmin
	case actor.Role == auth.RoleApplicant:
		if raterID != nil && *raterID == actor.ID {
			return PartyRater
		}
	case actor.Role == auth.RoleReviewer:
		if r.Kind == ResponsibleDepartment && actor.DepartmentCode != "" && actor.DepartmentCode == r.Code {
			return PartyResponsible
		}
	case actor.Role == auth.RoleHallManager && actor.PointCode != "" && actor.PointCode == r.Point:
		if r.Kind == ResponsiblePoint {
			return PartyResponsible
		}
		return PartyViewer
	}
	return PartyNone
}

// followUpLifecycle is the whole lifecycle; followup_rules_test.go spells out
// every status × action × party. Those who answer for a rating cannot
// close it: only the rater confirms, and only an administrator upholds an
// appeal. RejectAppeal leads to "": back to the status before the appeal.
var followUpLifecycle = statetable.Table[Status, Action, Party]{
	Actions: Actions, Nobody: PartyNone, Hidden: errFollowUpHidden, Noun: apperr.M("整改单", "follow-up"),
	ActionNames: ActionNames, StatusNames: StatusNames,
	Rules: map[Action]statetable.Rule[Status, Party]{
		Contact:      {From: []Status{Open}, To: Contacted, Parties: []Party{PartyResponsible, PartyAdmin}},
		Rectify:      {From: []Status{Contacted, Contested}, To: Rectified, Parties: []Party{PartyResponsible, PartyAdmin}},
		Confirm:      {From: []Status{Rectified}, To: Confirmed, Parties: []Party{PartyRater}},
		Contest:      {From: []Status{Rectified}, To: Contested, Parties: []Party{PartyRater}},
		Appeal:       {From: []Status{Open, Contacted, Contested}, To: Appealed, Parties: []Party{PartyResponsible}},
		UpholdAppeal: {From: []Status{Appealed}, To: Upheld, Parties: []Party{PartyAdmin}},
		RejectAppeal: {From: []Status{Appealed}, To: "", Parties: []Party{PartyAdmin}},
	},
}

// Next returns the status action leads to from `from` when taken by party
// ("" for RejectAppeal: the caller restores the status before the appeal).
// Errors: NotFound for no party at all, Forbidden when the party may never
// take the action, Conflict when the status does not allow it.
func Next(from Status, action Action, party Party) (Status, error) {
	return followUpLifecycle.Next(from, action, party)
}

// Allowed lists the actions party may take on a follow-up in status s, for UIs.
func Allowed(s Status, party Party) []Action { return followUpLifecycle.Allowed(s, party) }

// Escalation levels of an overdue follow-up.
const (
	LevelContact = 1 // the call-back is overdue
	LevelRectify = 2 // the rectification is overdue
)

// DueLevels returns the escalation levels a follow-up deserves on today
// (YYYY-MM-DD): a due date is a whole working day, so it is overdue from
// the day after.
func DueLevels(status Status, contactDue, rectifyDue, today string) []int {
	var out []int
	if status == Open && contactDue != "" && today > contactDue {
		out = append(out, LevelContact)
	}
	if slices.Contains(owesRectification, status) && today > rectifyDue {
		out = append(out, LevelRectify)
	}
	return out
}

// OnTime reports whether a follow-up met its deadlines: called back by its
// day (when there was anyone to call) and put right by its day. contacted
// and rectified are the civil dates the steps were done, "" if not done.
func OnTime(contactDue, rectifyDue, contacted, rectified string) bool {
	if contactDue != "" && (contacted == "" || contacted > contactDue) {
		return false
	}
	return rectified != "" && rectified <= rectifyDue
}

func errFollowUpNotFound() *apperr.Error {
	return apperr.NotFoundf("followup_not_found", apperr.M("整改单不存在", "no such follow-up"))
}

func errFollowUpHidden() *apperr.Error {
	e := errFollowUpNotFound()
	e.Denied = true
	return e
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := StatusNames[s]; return ok }
