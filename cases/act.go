package cases

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// ActRequest carries what an action needs.
type ActRequest struct {
	Version     *int     `json:"version,omitempty"`   // the version the user saw; a mismatch is a 409
	Reasons     []string `json:"reasons,omitempty"`   // required to refuse, not accept, return, request 补正 or terminate
	Note        string   `json:"note,omitempty"`      // free text kept in the history
	Materials   []string `json:"materials,omitempty"` // material types presented with this step
	WaiverDays  int      `json:"waiver_days,omitempty"`
	IssueMethod string   `json:"issue_method,omitempty"` // window | post | electronic
	Address     string   `json:"address,omitempty"`      // for post
	Procedure   string   `json:"procedure,omitempty"`    // start_special: hearing | testing | expert_review | site_inspection | public_notice
	Days        int      `json:"days,omitempty"`         // extend: working days added
	// Collector is who took the result at the window (领取人); issue only.
	Collector *Collection `json:"collector,omitempty"`

	jointIssue bool // the bundle issues its members together
}

// lockToAct loads case id and its materials for a change in tx (its row
// locked), in one statement, refusing an actor outside its scope and a
// version other than the one the client saw.
func (s *Service) lockToAct(ctx context.Context, tx *store.Tx, actor auth.User, id int64, version *int) (Case, error) {
	c, err := readWithMaterials(ctx, tx, `c.id = ?`, id, true)
	if err != nil {
		return Case{}, err
	}
	if err := s.checkScope(actor, &c); err != nil {
		return Case{}, err
	}
	if version != nil && *version != c.Version {
		return Case{}, apperr.New(apperr.Conflict, "case_version_conflict",
			apperr.M("案件已被他人更新，请刷新后重试", "the case was changed by someone else; reload and try again")).
			With("state", c.State).With("version", c.Version)
	}
	return c, nil
}

// Act applies action to case id as actor, in one transaction.
func (s *Service) Act(ctx context.Context, actor auth.User, id int64, action Action, req ActRequest) (Case, error) {
	if _, ok := rules[action]; !ok {
		return Case{}, apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	if err := validateAct(action, &req); err != nil {
		return Case{}, err
	}
	now := s.storedNow()
	var out Case
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.lockToAct(ctx, tx, actor, id, req.Version)
		if err != nil {
			return err
		}
		it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
		if err != nil {
			return err
		}
		if err := s.transition(ctx, tx, actor, &c, &it, action, req, now); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		if ae := apperr.As(err); ae.Code == apperr.Conflict && ae.Extra["version"] == nil {
			if cur, lerr := s.load(ctx, s.db, id, false); lerr == nil {
				ae.With("state", cur.State).With("version", cur.Version)
			}
			return Case{}, ae
		}
		return Case{}, err
	}
	// The case as the transaction left it (transition read its materials
	// after adding any presented with the action) is what a Get would read.
	return out, nil
}

func validateAct(action Action, req *ActRequest) error {
	var f apperr.Fields
	req.Reasons = textlist.Distinct(req.Reasons)
	req.Materials = textlist.Distinct(req.Materials)
	switch action {
	case NotAccept, Refuse, ReturnPreReview, RequestSupplement, Terminate:
		if len(req.Reasons) == 0 {
			f.Add("reasons", "required", apperr.M("请写明理由", "reasons are required"))
		}
	case StartSpecial:
		if _, ok := SpecialProcedures[req.Procedure]; !ok {
			f.Add("procedure", "unknown", apperr.M("特别程序须为 hearing（听证）、testing（检验检测）、expert_review（专家评审）、site_inspection（现场勘查）或 public_notice（公示）",
				"procedure must be hearing, testing, expert_review, site_inspection or public_notice"))
		}
	case Extend:
		if req.Days < 1 || req.Days > 60 {
			f.Add("days", "range", apperr.M("延期天数须为1–60个工作日", "days must be 1–60 working days"))
		}
		if len(req.Reasons) == 0 {
			f.Add("reasons", "required", apperr.M("请写明延期理由", "reasons are required"))
		}
	case Issue:
		switch req.IssueMethod {
		case IssueAtWindow, IssueElectronic:
		case IssueByPost:
			if strings.TrimSpace(req.Address) == "" {
				f.Add("address", "required", apperr.M("邮寄送达须填写地址", "an address is required for delivery by post"))
			}
		default:
			f.Add("issue_method", "unknown", apperr.M("出证方式须为 window（窗口领取）、post（邮寄）或 electronic（电子送达）", "issue_method must be window, post or electronic"))
		}
		validateCollection(req.IssueMethod, req.Collector, &f)
	default:
		if req.Collector != nil {
			f.Add("collector", "not_issue", apperr.M("只有出证时登记领取人", "a collector is recorded only when a result is issued"))
		}
	}
	for i, r := range req.Reasons {
		if utf8.RuneCountInString(r) > 500 {
			f.Add(fmt.Sprintf("reasons[%d]", i), "too_long", apperr.M("理由不超过500字", "a reason has at most 500 characters"))
		}
	}
	if utf8.RuneCountInString(req.Note) > 2000 {
		f.Add("note", "too_long", apperr.M("备注不超过2000字", "note has at most 2000 characters"))
	}
	if req.WaiverDays < 0 || req.WaiverDays > 60 {
		f.Add("waiver_days", "range", apperr.M("容缺补齐期限须为0–60个工作日", "waiver_days must be 0–60 working days"))
	}
	return f.Err()
}

// transition applies one action to c (already loaded and in scope) inside tx.
func (s *Service) transition(ctx context.Context, tx *store.Tx, actor auth.User, c *Case, it *catalog.Item, action Action, req ActRequest, now time.Time) (err error) {
	to, err := Next(c.State, action, actor.Role)
	if err != nil {
		return err
	}
	from, department := c.State, c.DepartmentCode
	defer func() {
		if err == nil {
			tx.AfterCommit(func() {
				metrics.Inc("onewindow_case_transitions_total", "action", string(action), "from", string(from), "to", string(to), "department", department)
			})
		}
	}()
	today := workday.DateOf(now)
	data := map[string]any{}
	for _, t := range req.Materials {
		if !slices.ContainsFunc(it.Materials, func(m catalog.Material) bool { return m.Type == t }) {
			return apperr.Fields{apperr.Field("materials", "unknown_type", apperr.M("本事项不需要材料："+t, "this item does not ask for material: "+t))}.Err()
		}
		m := materialOf(it, t)
		if err := putMaterial(ctx, tx, c.ID, Material{Type: t, Name: m.Name, Source: SourcePresented, AddedBy: actor.ID, AddedAt: now}); err != nil {
			return err
		}
	}
	if len(req.Materials) > 0 {
		data["materials"] = req.Materials
	}
	// The materials as stored: those the caller read with the case in this
	// transaction (lockToAct) or wrote itself (Create), read again when
	// this step added any or the caller has none in hand.
	if len(req.Materials) > 0 || c.Materials == nil {
		if c.Materials, err = caseMaterials(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	provided := materialTypesOf(c.Materials)
	check := CheckMaterials(it, provided)

	switch action {
	case NotifyMissing:
		if check.Complete() {
			return apperr.New(apperr.Conflict, "nothing_missing", apperr.M("材料齐全，无需一次性告知，请直接受理", "nothing is missing: accept the case instead"))
		}
		due := s.addDays(today, supplementDays(it), c)
		data["missing"] = append(check.Missing, check.WaivableMissing...)
		data["due"] = workday.FormatDate(due)
		c.SupplementDue = workday.FormatDate(due)
		c.ResumeState = Received
		c.Reasons = nil
	case Supplement:
		if c.ResumeState == InReview || c.ResumeState == Accepted {
			s.resumeClock(c, today)
			data["paused_days"] = c.PausedDays
		}
		c.SupplementDue = ""
		to = c.ResumeState
		if to == "" {
			to = Received
		}
		if to == Received && !check.Acceptable() {
			data["still_missing"] = check.Missing
		}
	case Accept:
		if !check.Acceptable() {
			return apperr.New(apperr.Conflict, "materials_missing", apperr.M("必要材料不齐，不能受理；请出具一次性告知书", "required materials are missing: issue a one-time notice instead")).
				With("missing", check.Missing)
		}
		c.Waived = nil
		c.WaiverDue = ""
		if len(check.WaivableMissing) > 0 {
			days := req.WaiverDays
			if days == 0 {
				days = supplementDays(it)
			}
			due := s.addDays(today, days, c)
			for _, m := range check.WaivableMissing {
				c.Waived = append(c.Waived, m.Type)
			}
			c.WaiverDue = workday.FormatDate(due)
			data["waived"] = check.WaivableMissing
			data["waiver_due"] = c.WaiverDue
		}
		c.AcceptedAt, c.AcceptedBy = &now, &actor.ID
		c.PromisedLimit = it.PromisedLimitDays
		promised := s.addDays(today, it.PromisedLimitDays, c)
		legal := s.addDays(today, max(it.LegalLimitDays, it.PromisedLimitDays), c)
		c.PromisedDue, c.LegalDue = workday.FormatDate(promised), workday.FormatDate(legal)
		c.WarnFrom = s.warnFrom(c)
		data["promised_due"], data["legal_due"] = c.PromisedDue, c.LegalDue
		if c.CalendarFallback {
			data["calendar_fallback"] = true
		}
	case NotAccept, Refuse, ReturnPreReview, Terminate:
		if action == Refuse {
			s.endPause(c, today)
		}
		c.Reasons = req.Reasons
		data["reasons"] = req.Reasons
		if action == Refuse {
			c.DecidedAt, c.DecidedBy = &now, &actor.ID
		}
	case RequestSupplement:
		if c.SpecialProcedure != "" {
			return errPausedAlready(c)
		}
		c.Reasons = req.Reasons
		c.ResumeState = from
		c.PausedSince = workday.FormatDate(today)
		due := s.addDays(today, supplementDays(it), c)
		c.SupplementDue = workday.FormatDate(due)
		data["reasons"] = req.Reasons
		data["due"] = c.SupplementDue
	case StartSpecial:
		if c.PausedSince != "" {
			return errPausedAlready(c)
		}
		c.PausedSince = workday.FormatDate(today)
		c.SpecialProcedure = req.Procedure
		data["procedure"] = req.Procedure
	case EndSpecial:
		if c.SpecialProcedure == "" {
			return apperr.New(apperr.Conflict, "no_special_procedure", apperr.M("案件不在特别程序中", "the case is not in a special procedure"))
		}
		data["procedure"] = c.SpecialProcedure
		s.resumeClock(c, today)
		c.SpecialProcedure = ""
		data["paused_days"] = c.PausedDays
	case Extend:
		if c.PromisedDue == "" {
			return apperr.New(apperr.Conflict, "not_accepted_yet", apperr.M("案件尚未受理，没有办理时限可延长", "the case has no time limit yet"))
		}
		for _, due := range []*string{&c.PromisedDue, &c.LegalDue} {
			if d, err := workday.ParseDate(*due); err == nil {
				*due = workday.FormatDate(s.addDays(d, req.Days, c))
			}
		}
		c.ExtendedDays += req.Days
		c.WarnFrom = s.warnFrom(c)
		data["days"], data["reasons"] = req.Days, req.Reasons
		data["promised_due"], data["legal_due"] = c.PromisedDue, c.LegalDue
	case Approve:
		s.endPause(c, today)
		c.DecidedAt, c.DecidedBy = &now, &actor.ID
		if len(c.Waived) > 0 {
			var still []string
			for _, w := range c.Waived {
				if !slices.Contains(provided, w) {
					still = append(still, w)
				}
			}
			if len(still) > 0 {
				return apperr.New(apperr.Conflict, "waived_materials_outstanding",
					apperr.M("容缺受理的材料尚未补齐，不能作出准予决定", "materials accepted as waivable are still outstanding")).With("outstanding", still)
			}
		}
	case Issue:
		if c.BundleCaseID != nil && !req.jointIssue {
			def, err := s.bundleOf(ctx, tx, *c.BundleCaseID)
			if err != nil {
				return err
			}
			alone, err := s.issuesAlone(ctx, tx, c)
			if err != nil {
				return err
			}
			if !def.PartialIssue && !alone {
				return apperr.New(apperr.Conflict, "bundle_joint_issue", apperr.M("一件事的结果须统一出证，请在一件事申请上出证", "a bundle's results are issued together: issue the bundle application"))
			}
		}
		c.IssueMethod, c.IssueAddress = req.IssueMethod, strings.TrimSpace(req.Address)
		c.IssuedAt, c.IssuedBy = &now, &actor.ID
		c.VerifyCode = newVerifyCode()
		data["method"] = c.IssueMethod
		data["verify_code"] = c.VerifyCode
		if req.Collector != nil {
			if err := recordCollection(ctx, tx, actor, c, req.Collector, now); err != nil {
				return err
			}
			data["collector"] = req.Collector.Relation
		}
	case Withdraw, Close:
		if c.PausedSince != "" {
			c.PausedSince = ""
		}
	}
	if to == Terminated || to == Withdrawn || to == NotAccepted {
		c.PausedSince, c.SpecialProcedure, c.SupplementDue = "", "", ""
	}
	c.State = to
	c.UpdatedAt = now
	if err := updateCase(ctx, tx, c); err != nil {
		return err
	}
	if err := s.record(ctx, tx, actor, c, string(action), from, to, strings.TrimSpace(req.Note), data); err != nil {
		return err
	}
	if action == Issue && s.OnIssue != nil {
		if err := s.OnIssue(ctx, tx, *c); err != nil {
			return err
		}
	}
	if c.BundleCaseID != nil {
		return s.afterMember(ctx, tx, c, action, now)
	}
	return nil
}

// resumeClock ends a pause: the working days spent waiting do not count, so
// the due dates move out by that many working days.
func (s *Service) resumeClock(c *Case, today time.Time) {
	if c.PausedSince == "" {
		return
	}
	since, err := workday.ParseDate(c.PausedSince)
	c.PausedSince = ""
	if err != nil {
		return
	}
	n, fb := s.calendar.Between(since, today)
	s.noteFallback(c, fb)
	if n <= 0 {
		return
	}
	c.PausedDays += n
	for _, due := range []*string{&c.PromisedDue, &c.LegalDue} {
		if d, err := workday.ParseDate(*due); err == nil {
			*due = workday.FormatDate(s.addDays(d, n, c))
		}
	}
	c.WarnFrom = s.warnFrom(c)
}

// endPause resumes a clock paused by a special procedure when the decision
// comes while it runs.
func (s *Service) endPause(c *Case, today time.Time) {
	if c.SpecialProcedure != "" {
		s.resumeClock(c, today)
		c.SpecialProcedure = ""
	}
}

func errPausedAlready(c *Case) error {
	return apperr.New(apperr.Conflict, "clock_paused", apperr.M("案件的办理时限已暂停（补正或特别程序中）", "the case's clock is already paused (missing materials or a special procedure)")).
		With("special_procedure", c.SpecialProcedure)
}

// addDays adds n working days on the calendar, flagging the case (and the
// metric) when the calendar had no data for a day it looked at.
func (s *Service) addDays(d time.Time, n int, c *Case) time.Time {
	due, fb := s.calendar.Add(d, n)
	s.noteFallback(c, fb)
	return due
}

func (s *Service) noteFallback(c *Case, fb bool) {
	if fb {
		c.CalendarFallback = true
		metrics.Inc("onewindow_calendar_fallback_total")
	}
}

func supplementDays(it *catalog.Item) int {
	if it.SupplementDays > 0 {
		return it.SupplementDays
	}
	return 5
}

func updateCase(ctx context.Context, tx *store.Tx, c *Case) error {
	waived, _ := json.Marshal(textlist.OrEmpty(c.Waived))
	reasons, _ := json.Marshal(textlist.OrEmpty(c.Reasons))
	var verify any
	if c.VerifyCode != "" {
		verify = c.VerifyCode
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE cases SET state = ?, version = version + 1, resume_state = ?, waived = ?, waiver_due = ?, reasons = ?,
			accepted_at = ?, accepted_by = ?, promised_due = ?, legal_due = ?, calendar_fallback = ?, paused_since = ?, paused_days = ?,
			decided_at = ?, decided_by = ?, issue_method = ?, issue_address = ?, issued_at = ?, issued_by = ?, verify_code = ?, updated_at = ?,
			warn_from = ?, special_procedure = ?, supplement_due = ?, extended_days = ?, promised_limit = ?
		WHERE id = ? AND version = ?`,
		string(c.State), string(c.ResumeState), string(waived), c.WaiverDue, string(reasons),
		store.StampOf(c.AcceptedAt), c.AcceptedBy, c.PromisedDue, c.LegalDue, store.BoolInt(c.CalendarFallback), c.PausedSince, c.PausedDays,
		store.StampOf(c.DecidedAt), c.DecidedBy, c.IssueMethod, c.IssueAddress, store.StampOf(c.IssuedAt), c.IssuedBy, verify,
		store.FormatTime(c.UpdatedAt), c.WarnFrom, c.SpecialProcedure, c.SupplementDue, c.ExtendedDays, c.PromisedLimit, c.ID, c.Version)
	if err != nil {
		return apperr.Wrap(err, "cases: update")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "case_version_conflict",
			apperr.M("案件已被他人更新，请刷新后重试", "the case was changed by someone else; reload and try again"))
	}
	c.Version++
	return nil
}

// Crockford-style alphabet without 0/O and 1/I/L, easy to read aloud and type.
const verifyAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newVerifyCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	for i := range b {
		b[i] = verifyAlphabet[int(b[i])%len(verifyAlphabet)]
	}
	return string(b)
}
