// Package enterprise runs 驻企服务: an enterprise's request (诉求) is accepted within
// one working day, has a proposed solution within two and goes to a joint meeting on the third.
package enterprise

import (
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/statetable"
)

// The rule comes from 吉林经开区's stationed service for 吉林化纤 (吉林日报, 2024):
// 反馈诉求一日内受理、两日内提出解决方案、三日召开二级联席会议. The days are
// working days on the official calendar, counted from the day after the
// request was raised (or reopened).
const (
	AcceptDays  = 1 // 一日内受理
	ProposeDays = 2 // 两日内提出解决方案
	MeetingDays = 3 // 三日召开二级联席会议
)

// Status is where a request stands.
type Status string

const (
	Raised   Status = "raised"   // 已提出: waiting for the service team to accept it
	Accepted Status = "accepted" // 已受理: the team works on a solution
	Proposed Status = "proposed" // 已提出方案: waiting for the enterprise to confirm it
	Meeting  Status = "meeting"  // 联席会商: a joint meeting (二级联席会议) is scheduled
	Reopened Status = "reopened" // 重新办理: the enterprise turned the solution down; a new clock runs
	Resolved Status = "resolved" // 已解决: the enterprise confirmed the solution
	Closed   Status = "closed"   // 已关闭: withdrawn by the enterprise or closed by an administrator
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Raised, Accepted, Proposed, Meeting, Reopened, Resolved, Closed}

// StatusNames labels each status in both languages.
var StatusNames = map[Status]apperr.Msg{
	Raised:   apperr.M("待受理", "raised"),
	Accepted: apperr.M("已受理", "accepted"),
	Proposed: apperr.M("已提出方案", "solution proposed"),
	Meeting:  apperr.M("联席会商", "joint meeting"),
	Reopened: apperr.M("重新办理", "reopened"),
	Resolved: apperr.M("已解决", "resolved"),
	Closed:   apperr.M("已关闭", "closed"),
}

// Final reports whether nothing can change the request any more.
func (s Status) Final() bool { return s == Resolved || s == Closed }

// waitingForTeam are the statuses in which the team owes the enterprise an answer.
var waitingForTeam = []Status{Raised, Accepted, Meeting, Reopened}

// openStatuses are the statuses that are not final.
var openStatuses = []Status{Raised, Accepted, Proposed, Meeting, Reopened}

// Action is something done to a request.
type Action string

const (
	Accept          Action = "accept"           // 受理
	Propose         Action = "propose"          // 提出解决方案
	ScheduleMeeting Action = "schedule_meeting" // 召开二级联席会议
	Resolve         Action = "resolve"          // the enterprise confirms the solution
	Reopen          Action = "reopen"           // the enterprise turns the solution down
	Close           Action = "close"            // withdrawn, or closed by an administrator
)

// Actions lists every action a user may take, in lifecycle order.
var Actions = []Action{Accept, Propose, ScheduleMeeting, Resolve, Reopen, Close}

// Events that are not actions a user takes.
const (
	eventRaise    = "raise"
	eventEscalate = "escalate"
)

// ActionNames labels each action and event in both languages.
var ActionNames = map[Action]apperr.Msg{
	eventRaise:      apperr.M("提出诉求", "raised"),
	Accept:          apperr.M("受理", "accept"),
	Propose:         apperr.M("提出解决方案", "propose a solution"),
	ScheduleMeeting: apperr.M("安排二级联席会议", "schedule the joint meeting"),
	Resolve:         apperr.M("确认解决", "confirm the solution"),
	Reopen:          apperr.M("重新提出", "reopen"),
	Close:           apperr.M("关闭", "close"),
	eventEscalate:   apperr.M("超时升级", "escalated"),
}

// ParseAction reads an action name; "confirm" is another name for resolve.
func ParseAction(s string) (Action, error) {
	a := Action(strings.TrimSpace(s))
	if a == "confirm" {
		return Resolve, nil
	}
	if slices.Contains(Actions, a) {
		return a, nil
	}
	return "", apperr.New(apperr.NotFound, "unknown_action", apperr.M(
		"未知的操作，可选：accept、propose、schedule_meeting、resolve（confirm）、reopen、close",
		"unknown action; one of accept, propose, schedule_meeting, resolve (confirm), reopen, close")).With("action", s)
}

// Party is the part a user plays for one request.
type Party string

const (
	PartyNone       Party = ""           // may not see the request
	PartyEnterprise Party = "enterprise" // the enterprise that raised it (any of its accounts)
	PartyTeam       Party = "team"       // a member of the service team it is assigned to
	PartyAdmin      Party = "admin"      // an administrator
	PartySystem     Party = "system"     // the escalation scan
)

// TeamRoles are the staff roles that may serve on a service team: front-desk
// staff (the stationed office's window) and department reviewers.
var TeamRoles = []auth.Role{auth.RoleFrontDesk, auth.RoleReviewer}

// PartyOf tells what actor is to a request raised by the enterprise with
// creditCode (from account enterpriseUserID), given whether actor is a member
// of the request's team. The rule, in full:
//   - an administrator acts as the administrator, whatever else;
//   - an enterprise applicant is the enterprise when the request was raised from
//     its account or under its 统一社会信用代码 (several accounts of one
//     enterprise share its requests);
//   - a front-desk user or reviewer is the team when listed as a member of the
//     request's team; membership, not the department, decides, because a
//     stationed team (驻企服务专班) mixes cadres of several departments;
//   - anyone else has no part and does not see the request.
func PartyOf(actor auth.User, enterpriseUserID int64, creditCode string, member bool) Party {
	switch {
	case actor.Disabled:
		return PartyNone
	case actor.Role == auth.RoleAdmin:
		return PartyAdmin
	case actor.Role == auth.RoleApplicant && actor.Kind == auth.KindEnterprise:
		if actor.ID == enterpriseUserID || (actor.CreditCode != "" && actor.CreditCode == creditCode) {
			return PartyEnterprise
		}
	case actor.Role == auth.RoleApplicant && actor.MayActFor(creditCode):
		// Its legal representative or an authorised agent (经办人).
		return PartyEnterprise
	case slices.Contains(TeamRoles, actor.Role) && member:
		return PartyTeam
	}
	return PartyNone
}

// requestLifecycle is the whole lifecycle; rules_test.go spells out every status ×
// action × party. The team cannot close a request: an unsolved request must
// not leave the clock by the hand of those it measures. Only the enterprise
// says whether a solution solves its problem.
var requestLifecycle = statetable.Table[Status, Action, Party]{
	Actions: Actions, Nobody: PartyNone, Hidden: errHidden, Noun: apperr.M("诉求", "request"),
	ActionNames: ActionNames, StatusNames: StatusNames,
	Rules: map[Action]statetable.Rule[Status, Party]{
		Accept:          {From: []Status{Raised, Reopened}, To: Accepted, Parties: []Party{PartyTeam, PartyAdmin}},
		Propose:         {From: []Status{Accepted, Meeting}, To: Proposed, Parties: []Party{PartyTeam, PartyAdmin}},
		ScheduleMeeting: {From: []Status{Raised, Accepted, Reopened}, To: Meeting, Parties: []Party{PartyTeam, PartyAdmin, PartySystem}},
		Resolve:         {From: []Status{Proposed}, To: Resolved, Parties: []Party{PartyEnterprise}},
		Reopen:          {From: []Status{Proposed}, To: Reopened, Parties: []Party{PartyEnterprise}},
		Close:           {From: openStatuses, To: Closed, Parties: []Party{PartyEnterprise, PartyAdmin}},
	},
}

// Next returns the status action leads to from `from` when taken by party.
// Errors: Forbidden when the party may never take it (NotFound for no party
// at all), Conflict when the status does not allow it.
func Next(from Status, action Action, party Party) (Status, error) {
	return requestLifecycle.Next(from, action, party)
}

// Allowed lists the actions party may take on a request in status s, for UIs.
func Allowed(s Status, party Party) []Action { return requestLifecycle.Allowed(s, party) }

// Category is what a request is about.
type Category string

const (
	CategoryLand      Category = "land"      // 用地
	CategoryFinancing Category = "financing" // 融资
	CategoryLabour    Category = "labour"    // 用工
	CategoryApproval  Category = "approval"  // 审批
	CategoryUtilities Category = "utilities" // 水电气
	CategoryPolicy    Category = "policy"    // 政策
	CategoryOther     Category = "other"     // 其他
)

// Categories lists every category in the order forms show them.
var Categories = []Category{CategoryLand, CategoryFinancing, CategoryLabour, CategoryApproval, CategoryUtilities, CategoryPolicy, CategoryOther}

// CategoryNames labels each category in both languages.
var CategoryNames = map[Category]apperr.Msg{
	CategoryLand:      apperr.M("用地", "land"),
	CategoryFinancing: apperr.M("融资", "financing"),
	CategoryLabour:    apperr.M("用工", "labour"),
	CategoryApproval:  apperr.M("审批", "approvals"),
	CategoryUtilities: apperr.M("水电气", "water, power and gas"),
	CategoryPolicy:    apperr.M("政策", "policy"),
	CategoryOther:     apperr.M("其他", "other"),
}

// ParseCategory reads a category by its code or its Chinese name (用地 …).
func ParseCategory(s string) (Category, bool) {
	s = strings.TrimSpace(s)
	for _, c := range Categories {
		if string(c) == strings.ToLower(s) || CategoryNames[c].ZH == s {
			return c, true
		}
	}
	return "", false
}

func errNotFound() *apperr.Error {
	return apperr.NotFoundf("request_not_found", apperr.M("诉求不存在", "no such enterprise request"))
}

// errHidden looks exactly like errNotFound to the caller, so that a number
// reveals nothing, but is audited as a refusal.
func errHidden() *apperr.Error {
	e := errNotFound()
	e.Denied = true
	return e
}
