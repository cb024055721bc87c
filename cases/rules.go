// Package cases runs the case lifecycle: 前台综合受理 (any front desk accepts any
// item) → 后台分类审批 (the responsible department decides) → 统一窗口出证 (one
// window issues every result). The rules are plain functions; the Service
// applies them inside one transaction per transition.
package cases

import (
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// State is where a case stands.
type State string

const (
	Draft             State = "draft"               // online, not yet sent
	Submitted         State = "submitted"           // sent online, waiting for a front desk
	PreReviewReturned State = "pre_review_returned" // sent back to the applicant before receipt
	Received          State = "received"            // 收件: in front of a front desk
	SupplementNeeded  State = "supplement_required" // 一次性告知 or 补正: waiting for the applicant
	Accepted          State = "accepted"            // 受理: in the department's queue
	NotAccepted       State = "not_accepted"        // 不予受理
	InReview          State = "in_review"           // 审查中
	Approved          State = "approved"            // 准予
	Refused           State = "refused"             // 不予许可 / 不予办理
	ReadyForIssue     State = "ready_for_issue"     // result waiting at the issuing window
	Issued            State = "issued"              // 出证: handed out, posted or sent
	Closed            State = "closed"              // 办结
	Withdrawn         State = "withdrawn"           // 撤回
	Terminated        State = "terminated"          // 终止
)

// States lists every state in lifecycle order.
var States = []State{Draft, Submitted, PreReviewReturned, Received, SupplementNeeded, Accepted, NotAccepted,
	InReview, Approved, Refused, ReadyForIssue, Issued, Closed, Withdrawn, Terminated}

// StateNames gives each state's Chinese and English label.
var StateNames = map[State]apperr.Msg{
	Draft:             apperr.M("草稿", "draft"),
	Submitted:         apperr.M("已提交", "submitted"),
	PreReviewReturned: apperr.M("预审退回", "returned at pre-review"),
	Received:          apperr.M("已收件", "received"),
	SupplementNeeded:  apperr.M("待补正", "waiting for materials"),
	Accepted:          apperr.M("已受理", "accepted"),
	NotAccepted:       apperr.M("不予受理", "not accepted"),
	InReview:          apperr.M("审查中", "in review"),
	Approved:          apperr.M("准予办理", "approved"),
	Refused:           apperr.M("不予办理", "refused"),
	ReadyForIssue:     apperr.M("待出证", "ready for issue"),
	Issued:            apperr.M("已出证", "issued"),
	Closed:            apperr.M("已办结", "closed"),
	Withdrawn:         apperr.M("已撤回", "withdrawn"),
	Terminated:        apperr.M("已终止", "terminated"),
}

// Final reports whether no further action can change the case.
func (s State) Final() bool {
	return s == Closed || s == Withdrawn || s == Terminated || s == NotAccepted
}

// Action is something a user does to a case.
type Action string

const (
	Submit            Action = "submit"             // applicant sends a draft
	ReturnPreReview   Action = "return_pre_review"  // front desk returns an online application before receipt
	Receive           Action = "receive"            // front desk takes an online application in
	NotifyMissing     Action = "notify_missing"     // 一次性告知: every missing material at once
	Supplement        Action = "supplement"         // the missing materials arrive
	Accept            Action = "accept"             // 受理 (容缺 when only waivable materials are missing)
	NotAccept         Action = "not_accept"         // 不予受理, with reasons
	StartReview       Action = "start_review"       // a reviewer takes the case
	RequestSupplement Action = "request_supplement" // 补正 during review; the clock pauses
	Approve           Action = "approve"
	Refuse            Action = "refuse"
	PrepareResult     Action = "prepare_result" // the result is made and sent to the issuing window
	Issue             Action = "issue"          // handed out, posted or sent electronically
	Close             Action = "close"
	Withdraw          Action = "withdraw"
	Terminate         Action = "terminate"
	StartSpecial      Action = "start_special" // a special procedure (听证, 检验检测, 专家评审, 现场勘查, 公示) pauses the clock
	EndSpecial        Action = "end_special"
	Extend            Action = "extend" // an approved extension adds working days to the limits
)

// Roles as the lifecycle knows them.
var (
	RoleApplicant   = auth.Role("applicant")
	RoleFrontDesk   = auth.Role("frontdesk")
	RoleReviewer    = auth.Role("reviewer")
	RoleIssuer      = auth.Role("issuer")
	RoleHallManager = auth.Role("hall_manager")
	RoleAdmin       = auth.Role("admin")
)

// Roles lists every role, for tables and tests.
var Roles = []auth.Role{RoleApplicant, RoleFrontDesk, RoleReviewer, RoleIssuer, RoleHallManager, RoleAdmin}

// beforeDecision are the open states in which a case may still be withdrawn or terminated.
var beforeDecision = []State{Draft, Submitted, PreReviewReturned, Received, SupplementNeeded, Accepted, InReview}

type rule struct {
	from  []State
	to    State // "" for Supplement: back to the state the case was in before
	roles []auth.Role
	stay  bool // the state does not change (clock actions)
}

// rules is the whole lifecycle. A change here is a change of what users may
// do; rules_test.go spells out every state × action × role.
var rules = map[Action]rule{
	Submit:            {[]State{Draft, PreReviewReturned}, Submitted, []auth.Role{RoleApplicant}, false},
	ReturnPreReview:   {[]State{Submitted}, PreReviewReturned, []auth.Role{RoleFrontDesk}, false},
	Receive:           {[]State{Submitted}, Received, []auth.Role{RoleFrontDesk}, false},
	NotifyMissing:     {[]State{Submitted, Received}, SupplementNeeded, []auth.Role{RoleFrontDesk}, false},
	Supplement:        {[]State{SupplementNeeded}, "", []auth.Role{RoleApplicant, RoleFrontDesk}, false},
	Accept:            {[]State{Submitted, Received}, Accepted, []auth.Role{RoleFrontDesk}, false},
	NotAccept:         {[]State{Submitted, Received, SupplementNeeded}, NotAccepted, []auth.Role{RoleFrontDesk}, false},
	StartReview:       {[]State{Accepted}, InReview, []auth.Role{RoleReviewer}, false},
	RequestSupplement: {[]State{Accepted, InReview}, SupplementNeeded, []auth.Role{RoleReviewer}, false},
	Approve:           {[]State{Accepted, InReview}, Approved, []auth.Role{RoleReviewer}, false},
	Refuse:            {[]State{Accepted, InReview}, Refused, []auth.Role{RoleReviewer}, false},
	PrepareResult:     {[]State{Approved, Refused}, ReadyForIssue, []auth.Role{RoleReviewer, RoleIssuer}, false},
	Issue:             {[]State{ReadyForIssue}, Issued, []auth.Role{RoleIssuer}, false},
	Close:             {[]State{Issued}, Closed, []auth.Role{RoleIssuer, RoleApplicant}, false},
	Withdraw:          {beforeDecision, Withdrawn, []auth.Role{RoleApplicant, RoleFrontDesk}, false},
	Terminate:         {beforeDecision, Terminated, []auth.Role{RoleReviewer, RoleAdmin}, false},
	StartSpecial:      {[]State{InReview}, InReview, []auth.Role{RoleReviewer}, true},
	EndSpecial:        {[]State{InReview}, InReview, []auth.Role{RoleReviewer}, true},
	// An extension is approved above the reviewer: by an administrator.
	Extend: {[]State{Accepted, InReview, SupplementNeeded}, "", []auth.Role{RoleAdmin}, true},
}

// Actions lists every action.
var Actions = []Action{Submit, ReturnPreReview, Receive, NotifyMissing, Supplement, Accept, NotAccept, StartReview,
	RequestSupplement, Approve, Refuse, PrepareResult, Issue, Close, Withdraw, Terminate, StartSpecial, EndSpecial, Extend}

// ActionNames gives each action's Chinese and English label.
var ActionNames = map[Action]apperr.Msg{
	"create":          apperr.M("创建", "created"),
	Submit:            apperr.M("提交申请", "submit"),
	ReturnPreReview:   apperr.M("预审退回", "return at pre-review"),
	Receive:           apperr.M("收件", "receive"),
	NotifyMissing:     apperr.M("一次性告知", "one-time notice of missing materials"),
	Supplement:        apperr.M("补齐材料", "supplement materials"),
	Accept:            apperr.M("受理", "accept"),
	NotAccept:         apperr.M("不予受理", "do not accept"),
	StartReview:       apperr.M("开始审查", "start review"),
	RequestSupplement: apperr.M("要求补正", "request supplement"),
	Approve:           apperr.M("准予", "approve"),
	Refuse:            apperr.M("不予办理", "refuse"),
	PrepareResult:     apperr.M("制证", "prepare result"),
	Issue:             apperr.M("出证", "issue"),
	Close:             apperr.M("办结", "close"),
	Withdraw:          apperr.M("撤回", "withdraw"),
	Terminate:         apperr.M("终止", "terminate"),
	"add_material":    apperr.M("提交材料", "material added"),
	StartSpecial:      apperr.M("启动特别程序", "start a special procedure"),
	EndSpecial:        apperr.M("结束特别程序", "end the special procedure"),
	Extend:            apperr.M("批准延期", "approve an extension"),
	"escalate":        apperr.M("督办预警", "escalated"),
}

// Next returns the state that action leads to from `from` when done by a user
// of role. For Supplement it returns "" (the caller restores the state the case
// was in before it waited). Errors: Invalid for an unknown action, Forbidden
// when the role may never do it, Conflict when the state does not allow it.
func Next(from State, action Action, role auth.Role) (State, error) {
	r, ok := rules[action]
	if !ok {
		return "", apperr.New(apperr.Invalid, "unknown_action", apperr.M("未知的操作", "unknown action"))
	}
	if !slices.Contains(r.roles, role) {
		return "", apperr.RoleNotAllowed(apperr.M("您的角色不能执行此操作", "your role may not do this")).With("action", action)
	}
	if !slices.Contains(r.from, from) {
		return "", apperr.New(apperr.Conflict, "illegal_transition",
			apperr.M("案件当前状态（"+StateNames[from].ZH+"）不允许此操作", "the case is "+StateNames[from].EN+" and does not allow this action")).
			With("state", from).With("action", action)
	}
	if r.stay {
		return from, nil
	}
	return r.to, nil
}

// Allowed lists the actions a role may take on a case in state s, for UIs.
// It asks what Next asks without building Next's refusals: every case
// answered lists its actions, and most actions are refused.
func Allowed(s State, role auth.Role) []Action {
	var out []Action
	for _, a := range Actions {
		if r, ok := rules[a]; ok && slices.Contains(r.roles, role) && slices.Contains(r.from, s) {
			out = append(out, a)
		}
	}
	return out
}

// Channel is how an application reached us.
type Channel string

const (
	ChannelWindow      Channel = "window"       // 窗口
	ChannelOnline      Channel = "online"       // 网上 / 指尖办
	ChannelSelfService Channel = "self_service" // 自助办
	ChannelAssisted    Channel = "assisted"     // 帮代办: staff apply on the person's behalf
)

// Channels lists the known channels.
var Channels = []Channel{ChannelWindow, ChannelOnline, ChannelSelfService, ChannelAssisted}

// Issue methods.
const (
	IssueAtWindow   = "window"
	IssueByPost     = "post"
	IssueElectronic = "electronic"
)
