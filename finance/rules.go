package finance

import (
	"github.com/onewindow/onewindow/apperr"
)

// Action is a step of an application.
type Action string

const (
	ActAccept   Action = "accept"   // the institution takes the application up (受理)
	ActApprove  Action = "approve"  // approves an amount (审批)
	ActDisburse Action = "disburse" // pays the loan out (放款)
	ActRefuse   Action = "refuse"   // refuses, with a reason
	ActWithdraw Action = "withdraw" // the enterprise takes the application back
)

// Party is who an actor is to an application.
type Party string

const (
	PartyNone        Party = ""
	PartyEnterprise  Party = "enterprise"
	PartyInstitution Party = "institution"
)

type step struct {
	from  []Status
	party Party
	to    Status
}

var applicationSteps = map[Action]step{
	ActAccept:   {[]Status{Sent}, PartyInstitution, Accepted},
	ActApprove:  {[]Status{Sent, Accepted}, PartyInstitution, Approved},
	ActDisburse: {[]Status{Approved}, PartyInstitution, Disbursed},
	ActRefuse:   {[]Status{Sent, Accepted}, PartyInstitution, Refused},
	ActWithdraw: {[]Status{Sent, Accepted}, PartyEnterprise, Withdrawn},
}

// Next returns the status action leads to from s when taken by party, or
// why it may not be taken: the party first (403 role_not_allowed), then the
// status (409 illegal_transition).
func Next(s Status, action Action, party Party) (Status, error) {
	st, ok := applicationSteps[action]
	if !ok {
		return "", apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	if party != st.party {
		return "", apperr.RoleNotAllowed(apperr.M("您不能对该申请执行此操作", "you may not take this step on the application"))
	}
	for _, f := range st.from {
		if f == s {
			return st.to, nil
		}
	}
	return "", apperr.New(apperr.Conflict, "illegal_transition", apperr.M("申请当前状态不允许此操作", "the application's status does not allow this step")).With("status", s)
}

// AllowedActions lists what party may do to an application in status s.
func AllowedActions(s Status, party Party) []Action {
	out := []Action{}
	for _, a := range []Action{ActAccept, ActApprove, ActDisburse, ActRefuse, ActWithdraw} {
		if _, err := Next(s, a, party); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// Fund is the 应急周转金 and its rules.
type Fund struct {
	Code               string `json:"code"`
	Name               string `json:"name"`
	Capital            int64  `json:"capital"`
	Balance            int64  `json:"balance"`
	LimitPerEnterprise int64  `json:"limit_per_enterprise"`
	MaxDays            int    `json:"max_days"`
	FeeBPPerDay        int    `json:"fee_bp_per_day"` // the fee, in basis points of the amount for each day of use
}

// Fee is what a bridge loan of amount for days costs, in whole yuan, rounded up.
func (f Fund) Fee(amount int64, days int) int64 {
	n := amount * int64(f.FeeBPPerDay) * int64(days)
	return (n + 9999) / 10000
}

// CheckBridge applies the fund's rules to a bridge loan of amount for days
// that an enterprise with outstanding (its loans approved and not repaid)
// asks for against a maturing bank loan of maturing: each broken rule is a
// field error. The balance is checked in the approving UPDATE, where
// concurrent approvals queue.
func (f Fund) CheckBridge(amount int64, days int, maturing, outstanding int64) error {
	var fe apperr.Fields
	switch {
	case amount <= 0:
		fe.Add("amount", "positive", apperr.M("金额须大于零", "the amount must be positive"))
	case amount > maturing:
		fe.Add("amount", "over_maturing", apperr.M("周转金额不能超过到期贷款金额", "the amount cannot exceed the maturing loan"))
	case outstanding+amount > f.LimitPerEnterprise:
		fe.Add("amount", "over_limit", apperr.M("超过每户企业的周转额度"+yuanText(f.LimitPerEnterprise)+"（已占用"+yuanText(outstanding)+"）",
			"over the limit per enterprise of "+yuanEN(f.LimitPerEnterprise)+" ("+yuanEN(outstanding)+" in use)"))
	}
	switch {
	case days <= 0:
		fe.Add("days", "positive", apperr.M("使用天数须大于零", "the days of use must be positive"))
	case days > f.MaxDays:
		fe.Add("days", "over_max", apperr.M("使用天数超过周转金规定的最长天数", "longer than the fund's longest use"))
	}
	return fe.Err()
}

// BridgeStatus is where a bridge loan stands.
type BridgeStatus string

const (
	BridgeApplied   BridgeStatus = "applied"
	BridgeApproved  BridgeStatus = "approved"
	BridgeRefused   BridgeStatus = "refused"
	BridgeDisbursed BridgeStatus = "disbursed"
	BridgeRepaid    BridgeStatus = "repaid"
	BridgeOverdue   BridgeStatus = "overdue"
)

// BridgeStatusNames labels each status.
var BridgeStatusNames = map[BridgeStatus]apperr.Msg{
	BridgeApplied: apperr.M("待审批", "applied"), BridgeApproved: apperr.M("已批准", "approved"), BridgeRefused: apperr.M("未批准", "refused"),
	BridgeDisbursed: apperr.M("使用中", "disbursed"), BridgeRepaid: apperr.M("已归还", "repaid"), BridgeOverdue: apperr.M("逾期未还", "overdue"),
}

// Holds reports whether a loan in status s holds money of the fund.
func (s BridgeStatus) Holds() bool {
	return s == BridgeApproved || s == BridgeDisbursed || s == BridgeOverdue
}

var bridgeSteps = map[string]struct {
	from []BridgeStatus
	to   BridgeStatus
}{
	"approve":  {[]BridgeStatus{BridgeApplied}, BridgeApproved},
	"refuse":   {[]BridgeStatus{BridgeApplied}, BridgeRefused},
	"disburse": {[]BridgeStatus{BridgeApproved}, BridgeDisbursed},
	"repay":    {[]BridgeStatus{BridgeDisbursed, BridgeOverdue}, BridgeRepaid},
}

// NextBridge returns where action leads a bridge loan in status s.
func NextBridge(s BridgeStatus, action string) (BridgeStatus, error) {
	st, ok := bridgeSteps[action]
	if !ok {
		return "", apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	for _, f := range st.from {
		if f == s {
			return st.to, nil
		}
	}
	return "", apperr.New(apperr.Conflict, "illegal_transition", apperr.M("周转金申请当前状态不允许此操作", "the bridge loan's status does not allow this step")).With("status", s)
}
