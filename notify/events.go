package notify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/apperr"
)

// Kind groups events for preferences: an account chooses its channels per
// kind. Sign-in codes are essential and go by SMS whatever is chosen.
type Kind string

const (
	KindProgress   Kind = "progress"   // the steps of one's own case
	KindReminder   Kind = "reminder"   // deadlines coming up, appointments
	KindEnterprise Kind = "enterprise" // enterprise requests (驻企服务)
	KindStaff      Kind = "staff"      // work: cases due, escalations, SLA breaches
	KindSignIn     Kind = "signin"     // sign-in codes
)

// Kinds are the kinds an account has preferences for, in page order.
var Kinds = []Kind{KindProgress, KindReminder, KindEnterprise, KindStaff}

// KindNames label the kinds in both languages.
var KindNames = map[Kind]apperr.Msg{
	KindProgress:   apperr.M("办件进度（受理、补正、办结、领取）", "case progress (accepted, missing materials, decided, ready)"),
	KindReminder:   apperr.M("提醒（补正和容缺期限、预约）", "reminders (deadlines, appointments)"),
	KindEnterprise: apperr.M("企业诉求进度", "enterprise requests"),
	KindStaff:      apperr.M("工作提醒（临期、督办、超期）", "work alerts (due soon, escalations, overdue)"),
	KindSignIn:     apperr.M("登录验证码", "sign-in codes"),
}

// Essential reports whether a kind's messages may not be unsubscribed from:
// a person must learn the steps of their own case by at least one channel
// beyond the inbox when they gave a phone number.
func (k Kind) Essential() bool { return k == KindProgress || k == KindSignIn }

// EventDef is one event people are told of, with the variables its
// templates may use.
type EventDef struct {
	Key   string
	Kind  Kind
	Label apperr.Msg
	Vars  []string
	// SMSCode is the template code registered with the SMS provider; the
	// gateway is sent the code and the variables, never free text.
	SMSCode string
}

// commonVars every event offers.
var commonVars = []string{"number", "item", "state", "point_name", "event_time"}

// Offers reports whether the event's templates may use {name}.
func (e EventDef) Offers(name string) bool {
	return slices.Contains(commonVars, name) || slices.Contains(e.Vars, name)
}

// Variables lists every variable of the event.
func (e EventDef) Variables() []string { return slices.Concat(commonVars, e.Vars) }

func (e EventDef) braced() []string {
	var out []string
	for _, v := range e.Variables() {
		out = append(out, "{"+v+"}")
	}
	return out
}

// Events are every event with templates, in page order.
var Events = []EventDef{
	{Key: "case.received", Kind: KindProgress, Label: apperr.M("已收件", "application received"), SMSCode: "OW_CASE_RECEIVED"},
	{Key: "case.accepted", Kind: KindProgress, Label: apperr.M("已受理（含承诺办结日期）", "accepted, with the promised date"),
		Vars: []string{"promised_due", "waived", "waiver_due"}, SMSCode: "OW_CASE_ACCEPTED"},
	{Key: "case.supplement", Kind: KindProgress, Label: apperr.M("一次性告知 / 补正", "missing materials"),
		Vars: []string{"missing", "due"}, SMSCode: "OW_CASE_SUPPLEMENT"},
	{Key: "case.supplement_reminder", Kind: KindReminder, Label: apperr.M("补正期限提醒（前一个工作日）", "supplement deadline reminder (a working day before)"),
		Vars: []string{"due"}, SMSCode: "OW_CASE_SUPPLEMENT_REMIND"},
	{Key: "case.waiver_reminder", Kind: KindReminder, Label: apperr.M("容缺材料补交提醒（前一个工作日）", "waived materials reminder (a working day before)"),
		Vars: []string{"due"}, SMSCode: "OW_CASE_WAIVER_REMIND"},
	{Key: "case.not_accepted", Kind: KindProgress, Label: apperr.M("不予受理", "not accepted"), Vars: []string{"reasons"}, SMSCode: "OW_CASE_NOT_ACCEPTED"},
	{Key: "case.approved", Kind: KindProgress, Label: apperr.M("准予许可", "approved"), SMSCode: "OW_CASE_APPROVED"},
	{Key: "case.refused", Kind: KindProgress, Label: apperr.M("不予许可（含理由）", "refused, with reasons"), Vars: []string{"reasons"}, SMSCode: "OW_CASE_REFUSED"},
	{Key: "case.ready", Kind: KindProgress, Label: apperr.M("结果可领取（地点和时间）", "ready for collection (where and when)"),
		Vars: []string{"point_address", "hours", "method"}, SMSCode: "OW_CASE_READY"},
	{Key: "case.issued", Kind: KindProgress, Label: apperr.M("已出证（领取、邮寄或电子）", "issued (collected, posted or electronic)"),
		Vars: []string{"method", "verify_code", "tracking"}, SMSCode: "OW_CASE_ISSUED"},
	{Key: "case.ended", Kind: KindProgress, Label: apperr.M("办件终止或撤回", "terminated or withdrawn"), Vars: []string{"reasons"}, SMSCode: "OW_CASE_ENDED"},
	{Key: "case.progress", Kind: KindProgress, Label: apperr.M("其他办件进展", "other case progress"), SMSCode: "OW_CASE_PROGRESS"},
	{Key: "bundle.supplement", Kind: KindProgress, Label: apperr.M("一件事补正（合并告知）", "bundle: missing materials, all members at once"),
		Vars: []string{"missing"}, SMSCode: "OW_BUNDLE_SUPPLEMENT"},
	{Key: "appointment.confirmed", Kind: KindReminder, Label: apperr.M("预约成功（或改约）", "appointment booked (or moved)"),
		Vars: []string{"appointment", "day", "time"}, SMSCode: "OW_APPT_CONFIRMED"},
	{Key: "appointment.reminder", Kind: KindReminder, Label: apperr.M("预约提醒（前一个工作日）", "appointment reminder (the working day before)"),
		Vars: []string{"appointment", "day", "time", "point_address"}, SMSCode: "OW_APPT_REMINDER"},
	{Key: "appointment.cancelled", Kind: KindReminder, Label: apperr.M("预约已取消", "appointment cancelled"),
		Vars: []string{"appointment", "day", "time"}, SMSCode: "OW_APPT_CANCELLED"},
	{Key: "ticket.three_ahead", Kind: KindReminder, Label: apperr.M("排队叫号：前面还有三人", "queue: three people ahead of you"),
		Vars: []string{"ticket", "ahead"}, SMSCode: "OW_TICKET_AHEAD"},
	{Key: "staff.due_soon", Kind: KindStaff, Label: apperr.M("办件临期预警", "a case is due soon"), Vars: []string{"due", "remaining_days", "level"}, SMSCode: "OW_STAFF_DUE_SOON"},
	{Key: "staff.due_tomorrow", Kind: KindStaff, Label: apperr.M("办件明天到期（承办审批人员）", "a case is due tomorrow (to its reviewers)"), Vars: []string{"due"}, SMSCode: "OW_STAFF_DUE_TOMORROW"},
	{Key: "staff.overdue", Kind: KindStaff, Label: apperr.M("办件超期", "a case is overdue"), Vars: []string{"due", "remaining_days", "level"}, SMSCode: "OW_STAFF_OVERDUE"},
	{Key: "staff.sla_breach", Kind: KindStaff, Label: apperr.M("办件超期（报部门负责人）", "SLA breach (to the department head)"), Vars: []string{"due", "remaining_days", "level"}, SMSCode: "OW_STAFF_SLA_BREACH"},
	{Key: "staff.escalation", Kind: KindStaff, Label: apperr.M("督办", "an escalation"), Vars: []string{"due", "remaining_days", "level"}, SMSCode: "OW_STAFF_ESCALATION"},
	{Key: "enterprise.accepted", Kind: KindEnterprise, Label: apperr.M("企业诉求已受理", "enterprise request accepted"), Vars: []string{"enterprise"}, SMSCode: "OW_ENT_ACCEPTED"},
	{Key: "enterprise.proposed", Kind: KindEnterprise, Label: apperr.M("企业诉求已有解决方案", "enterprise request: a solution proposed"), Vars: []string{"enterprise"}, SMSCode: "OW_ENT_PROPOSED"},
	{Key: "enterprise.meeting", Kind: KindEnterprise, Label: apperr.M("第三日会商", "the day-3 joint meeting"), Vars: []string{"enterprise", "meeting_on"}, SMSCode: "OW_ENT_MEETING"},
	{Key: "enterprise.escalated", Kind: KindStaff, Label: apperr.M("企业诉求超时督办", "enterprise request escalated"), Vars: []string{"enterprise", "level"}, SMSCode: "OW_ENT_ESCALATED"},
	{Key: "enterprise.progress", Kind: KindEnterprise, Label: apperr.M("企业诉求其他进展", "other enterprise request progress"), Vars: []string{"enterprise"}, SMSCode: "OW_ENT_PROGRESS"},
	{Key: "rating.invite", Kind: KindReminder, Label: apperr.M("邀请评价办件（好差评）", "an invitation to rate a case"),
		Vars: []string{"link"}, SMSCode: "OW_RATING_INVITE"},
	{Key: "auth.signin_code", Kind: KindSignIn, Label: apperr.M("短信验证码（登录、注册、找回密码、更换手机号码）", "SMS code (sign-in, registration, password reset, new number)"),
		Vars: []string{"code", "purpose"}, SMSCode: "OW_SIGNIN_CODE"},
	{Key: "auth.code_notice", Kind: KindSignIn, Label: apperr.M("已有账号，未发送验证码", "no code sent: the number already has an account"),
		Vars: []string{"purpose"}, SMSCode: "OW_CODE_NOTICE"},
}

// EventByKey finds an event definition.
func EventByKey(key string) (EventDef, bool) {
	for _, e := range Events {
		if e.Key == key {
			return e, true
		}
	}
	return EventDef{}, false
}

// Payload is an outbox row's payload, decoded.
type Payload map[string]any

// ParsePayload decodes a payload; a payload that is not a JSON object is empty.
func ParsePayload(s string) Payload {
	p := Payload{}
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return Payload{}
	}
	return p
}

func (p Payload) str(key string) string {
	switch v := p[key].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// EventOf names the event an outbox row stands for: the topic the service
// wrote, read with its payload (a case created at the desk may already be
// accepted). Topics without a template of their own fall to a general one.
func EventOf(topic string, p Payload) string {
	switch topic {
	case "auth.signin_code":
		return "auth.signin_code"
	case "auth.code_notice":
		return "auth.code_notice"
	case "rating.invite":
		return "rating.invite"
	case "bundle.supplement":
		return "bundle.supplement"
	case "case.create":
		switch p.str("state") {
		case "accepted":
			return "case.accepted"
		case "supplement_required":
			return "case.supplement"
		case "not_accepted":
			return "case.not_accepted"
		case "draft":
			return "" // nobody needs telling about one's own draft
		}
		return "case.received"
	case "case.receive":
		return "case.received"
	case "case.accept":
		return "case.accepted"
	case "case.notify_missing", "case.request_supplement":
		return "case.supplement"
	case "case.not_accept", "case.return_pre_review":
		return "case.not_accepted"
	case "case.approve":
		return "case.approved"
	case "case.refuse":
		return "case.refused"
	case "case.prepare_result":
		return "case.ready"
	case "case.issue":
		return "case.issued"
	case "case.terminate", "case.withdraw":
		return "case.ended"
	case "case.submit", "case.supplement", "case.add_material", "case.start_review":
		return "" // steps the applicant took, or that change nothing for them
	case "case.escalation.supplement_reminder":
		return "case.supplement_reminder"
	case "case.escalation.waiver_reminder":
		return "case.waiver_reminder"
	case "case.escalation.warning":
		return "staff.due_soon"
	case "case.escalation.overdue":
		return "staff.overdue"
	case "case.due_tomorrow":
		return "staff.due_tomorrow"
	case "appointment.booked", "appointment.moved":
		return "appointment.confirmed"
	case "appointment.reminder":
		return "appointment.reminder"
	case "appointment.cancelled":
		return "appointment.cancelled"
	case "ticket.three_ahead":
		return "ticket.three_ahead"
	case "enterprise_request.accept":
		return "enterprise.accepted"
	case "enterprise_request.propose":
		return "enterprise.proposed"
	case "enterprise_request.schedule_meeting":
		return "enterprise.meeting"
	}
	switch {
	case strings.HasPrefix(topic, "case.escalation."):
		return "staff.escalation"
	case strings.HasPrefix(topic, "enterprise_request.escalated"):
		if p.str("meeting_on") != "" {
			return "enterprise.meeting"
		}
		return "enterprise.escalated"
	case strings.HasPrefix(topic, "enterprise_request."):
		return "enterprise.progress"
	case strings.HasPrefix(topic, "case."):
		return "case.progress"
	}
	return ""
}

// eventFor is the event a recipient is told of: the step at which a case
// breached its SLA is a breach notice to the department head, and an
// overdue notice to the others it names.
func eventFor(event, recipient string, p Payload) string {
	if event == "staff.overdue" && p["breach"] == true && strings.HasPrefix(recipient, "department:") && strings.HasSuffix(recipient, ":head") {
		return "staff.sla_breach"
	}
	return event
}

// PointInfo is what templates say about a service point.
type PointInfo struct {
	Name, NameEN, Address, Hours string
}

// Variables are the values an event's templates are filled with, in lang.
func Variables(event string, p Payload, lang string, point PointInfo, eventTime string) map[string]string {
	en := strings.HasPrefix(lang, "en")
	v := map[string]string{
		"number":         firstOf(p.str("case"), p.str("bundle_case"), p.str("request")),
		"item":           p.str("item"),
		"state":          stateLabel(p.str("state"), p.str("status"), en),
		"point_name":     point.Name,
		"point_address":  point.Address,
		"hours":          point.Hours,
		"event_time":     eventTime,
		"promised_due":   firstOf(p.str("promised_due"), p.str("due")),
		"due":            firstOf(p.str("due"), p.str("supplement_due")),
		"waiver_due":     p.str("waiver_due"),
		"remaining_days": p.str("remaining_days"),
		"level":          p.str("level"),
		"verify_code":    p.str("verify_code"),
		"tracking":       p.str("tracking"),
		"method":         methodLabel(p.str("method"), en),
		"enterprise":     p.str("enterprise"),
		"meeting_on":     p.str("meeting_on"),
		"code":           p.str("code"),
		"purpose":        purposeLabel(p.str("purpose"), en),
		"appointment":    p.str("appointment"),
		"day":            p.str("day"),
		"time":           p.str("time"),
		"link":           p.str("link"),
		"ticket":         p.str("ticket"),
		"ahead":          p.str("ahead"),
	}
	if en && point.NameEN != "" {
		v["point_name"] = point.NameEN
	}
	v["reasons"] = joinList(listOf(p["reasons"]), en)
	v["waived"] = joinList(listOf(p["waived"]), en)
	switch event {
	case "case.supplement":
		missing := listOf(p["missing"])
		if len(missing) == 0 {
			missing = listOf(p["reasons"]) // 补正 during review names what is wanted in its reasons
		}
		v["missing"] = joinList(missing, en)
	case "bundle.supplement":
		v["missing"] = joinList(bundleRequests(p["requests"]), en)
	}
	return v
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// listOf reads a list of strings or of objects with a name (materials).
func listOf(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		switch x := it.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if n, ok := x["name"].(string); ok && n != "" {
				out = append(out, n)
			} else if t, ok := x["type"].(string); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

func bundleRequests(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		item, _ := m["item"].(string)
		for _, r := range listOf(m["reasons"]) {
			out = append(out, item+"："+r)
		}
	}
	return out
}

// joinList numbers a list the way a 一次性告知书 does: every item at once.
func joinList(items []string, en bool) string {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			if en {
				b.WriteString("; ")
			} else {
				b.WriteString("；")
			}
		}
		fmt.Fprintf(&b, "%d. %s", i+1, s)
	}
	return b.String()
}

var stateLabels = map[string]apperr.Msg{
	"submitted": apperr.M("已提交", "submitted"), "received": apperr.M("已收件", "received"),
	"supplement_required": apperr.M("待补正", "materials missing"), "accepted": apperr.M("已受理", "accepted"),
	"not_accepted": apperr.M("不予受理", "not accepted"), "in_review": apperr.M("审查中", "in review"),
	"approved": apperr.M("准予许可", "approved"), "refused": apperr.M("不予许可", "refused"),
	"ready_for_issue": apperr.M("待出证", "ready for collection"), "issued": apperr.M("已出证", "issued"),
	"closed": apperr.M("已办结", "closed"), "withdrawn": apperr.M("已撤回", "withdrawn"), "terminated": apperr.M("已终止", "terminated"),
}

func stateLabel(state, status string, en bool) string {
	if m, ok := stateLabels[state]; ok {
		if en {
			return m.EN
		}
		return m.ZH
	}
	return firstOf(state, status)
}

// purposeLabel names what a code is for (package otp's purposes, and sign-in).
func purposeLabel(purpose string, en bool) string {
	labels := map[string]apperr.Msg{"register": apperr.M("注册", "registration"), "reset": apperr.M("找回密码", "password reset"),
		"change_phone": apperr.M("更换手机号码", "changing your mobile number"), "signin": apperr.M("登录", "sign-in")}
	l, ok := labels[purpose]
	if !ok {
		l = labels["signin"]
	}
	if en {
		return l.EN
	}
	return l.ZH
}

func methodLabel(m string, en bool) string {
	labels := map[string]apperr.Msg{"window": apperr.M("窗口领取", "collected at the window"), "post": apperr.M("邮寄送达", "posted"),
		"electronic": apperr.M("电子证照", "issued electronically")}
	if l, ok := labels[m]; ok {
		if en {
			return l.EN
		}
		return l.ZH
	}
	return m
}
