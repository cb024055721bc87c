package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// A bundle case (一件事) is one application for a bundle: the parent of one
// member case per item. The front desk checks one merged set of materials
// once; members start in parallel as their prerequisites are approved; the
// results are issued together.
type BundleCase struct {
	ID             int64           `json:"id"`
	Number         string          `json:"number"`
	BundleCode     string          `json:"bundle"`
	BundleVersion  int             `json:"bundle_version"`
	BundleName     string          `json:"bundle_name"`
	LeadDepartment string          `json:"lead_department"`
	PointCode      string          `json:"point"`
	State          State           `json:"state"`
	Version        int             `json:"version"`
	Channel        Channel         `json:"channel"`
	Applicant      Applicant       `json:"applicant"`
	Form           json.RawMessage `json:"form,omitempty"`
	Materials      []string        `json:"materials"` // material types presented once for every member
	Reasons        []string        `json:"reasons,omitempty"`
	PromisedDue    string          `json:"promised_due,omitempty"` // the bundle's own limit, owned by the lead department
	IssueMethod    string          `json:"issue_method,omitempty"`
	IssuedAt       *time.Time      `json:"issued_at,omitempty"`
	VerifyCode     string          `json:"verify_code,omitempty"`
	CreatedBy      int64           `json:"created_by"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	Members        []MemberStatus  `json:"members"`
	HoldingUp      []string        `json:"holding_up"` // items whose cases are still open or waiting
	Files          []Material      `json:"files"`      // uploaded with the application or to supply what was missing
}

// MemberStatus is one member of a bundle case as the parent shows it.
type MemberStatus struct {
	Item       string   `json:"item"`
	ItemName   string   `json:"item_name"`
	Department string   `json:"department"`
	DependsOn  []string `json:"depends_on,omitempty"`
	CaseID     *int64   `json:"case_id,omitempty"` // nil while it waits for its prerequisites
	Number     string   `json:"number,omitempty"`
	State      State    `json:"state,omitempty"`
	Refused    bool     `json:"refused"` // decided against (its result is a refusal)
	Waiting    bool     `json:"waiting"` // not started: a prerequisite is not approved yet
	Skipped    bool     `json:"skipped"` // never to start: a prerequisite was refused or stopped
}

// BundleCreateRequest opens a bundle case.
type BundleCreateRequest struct {
	Bundle    string          `json:"bundle"`
	Channel   Channel         `json:"channel,omitempty"`
	Point     string          `json:"point,omitempty"`
	Applicant *Applicant      `json:"applicant,omitempty"`
	Materials []string        `json:"materials,omitempty"`
	Form      json.RawMessage `json:"form,omitempty"`
	// Files are uploaded materials, stored by the caller (by content hash)
	// before this: they count as presented. Never read from a client's
	// JSON, which could name any stored file.
	Files []Material `json:"-"`
}

// Bundle-level actions (the members have the ordinary ones).
const (
	BundleAccept        Action = "accept"
	BundleNotifyMissing Action = "notify_missing"
	BundleSupplement    Action = "supplement"
	BundleNotAccept     Action = "not_accept"
	BundleWithdraw      Action = "withdraw"
	BundleIssue         Action = "issue"
)

// memberDone reports a member case that will not change any more before issue.
func memberDone(s State) bool {
	return s == ReadyForIssue || s == Issued || s == Closed || s == Terminated || s == Withdrawn || s == NotAccepted
}

// CreateBundleCase opens a bundle case: received at once by a front desk
// (the 一件事 window), or submitted online by an applicant.
func (s *Service) CreateBundleCase(ctx context.Context, actor auth.User, req BundleCreateRequest) (BundleCase, error) {
	now := s.Now()
	var f apperr.Fields
	b := BundleCase{CreatedBy: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now, Form: req.Form}
	if len(b.Form) == 0 {
		b.Form = json.RawMessage(`{}`)
	} else if !json.Valid(b.Form) {
		f.Add("form", "json", apperr.M("表单内容不是有效的JSON", "form is not valid JSON"))
	}
	switch actor.Role {
	case RoleFrontDesk:
		b.State, b.PointCode, b.Channel = Received, actor.PointCode, req.Channel
		if b.Channel == "" {
			b.Channel = ChannelWindow
		}
		if b.Channel == ChannelOnline || !slices.Contains(Channels, b.Channel) {
			f.Add("channel", "unknown", apperr.M("渠道须为 window、self_service 或 assisted", "channel must be window, self_service or assisted"))
		}
		if err := validateApplicant(req.Applicant); err != nil {
			f = append(f, apperr.As(err).Fields...)
		} else {
			b.Applicant = *req.Applicant
			b.Applicant.UserID = nil
		}
	case RoleApplicant:
		b.State, b.Channel, b.PointCode = Submitted, ChannelOnline, req.Point
		if b.PointCode == "" {
			b.PointCode = s.OnlinePoint
		}
		id := actor.ID
		b.Applicant = Applicant{UserID: &id, Kind: actor.Kind, Name: actor.Name, IDNumber: actor.IDNumber, CreditCode: actor.CreditCode, Phone: actor.Phone}
	default:
		return BundleCase{}, apperr.RoleNotAllowed(apperr.M("您的角色不能申请一件事", "your role may not apply for a bundle"))
	}
	if err := f.Err(); err != nil {
		return BundleCase{}, err
	}
	def, err := s.catalog.PublishedBundle(ctx, req.Bundle)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return BundleCase{}, apperr.Fields{apperr.Field("bundle", "not_found", apperr.M("一件事不存在或未发布", "no published bundle with this code"))}.Err()
		}
		return BundleCase{}, err
	}
	guide, err := s.catalog.Guide(ctx, def)
	if err != nil {
		return BundleCase{}, err
	}
	pt, err := s.points.Get(ctx, nil, b.PointCode)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return BundleCase{}, apperr.Fields{apperr.Field("point", "not_found", apperr.M("服务网点不存在", "no such service point"))}.Err()
		}
		return BundleCase{}, err
	}
	for i := range guide.Items {
		if !guide.Items[i].HandledAt(pt.Level) {
			return BundleCase{}, itemNotAtLevel(&guide.Items[i], pt)
		}
	}
	b.BundleCode, b.BundleVersion, b.BundleName, b.LeadDepartment = def.Code, def.Version, def.Name, def.LeadDepartment
	b.Materials = textlist.Distinct(req.Materials)
	for _, t := range b.Materials {
		if !slices.ContainsFunc(guide.Materials, func(m catalog.MergedMaterial) bool { return m.Type == t }) {
			f.Add("materials", "unknown_type", apperr.M("本一件事不需要材料："+t, "this bundle does not ask for material: "+t))
		}
	}
	for _, m := range req.Files {
		f = append(f, checkBundleFile(guide.Materials, m)...)
	}
	if err := f.Err(); err != nil {
		return BundleCase{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		day := workday.DateOf(now).Format("20060102")
		var n int64
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO case_counters (point_code, day, last) VALUES (?, ?, 1)
			ON CONFLICT (point_code, day) DO UPDATE SET last = case_counters.last + 1
			RETURNING last`, b.PointCode+"/B", day).Scan(&n); err != nil {
			return apperr.Wrap(err, "cases: bundle number")
		}
		b.Number = fmt.Sprintf("%s-%s-B%04d", b.PointCode, day, n)
		applicant, _ := json.Marshal(b.Applicant)
		mats, _ := json.Marshal(textlist.OrEmpty(b.Materials))
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO bundle_cases (number, bundle_code, bundle_version, bundle_name, lead_department, point_code, state, version, channel,
				applicant_user_id, applicant_kind, applicant_id_number, applicant_credit, applicant, form, materials, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.Number, b.BundleCode, b.BundleVersion, b.BundleName, b.LeadDepartment, b.PointCode, string(b.State), string(b.Channel),
			b.Applicant.UserID, b.Applicant.Kind, b.Applicant.IDNumber, b.Applicant.CreditCode, string(applicant), string(b.Form), string(mats),
			actor.ID, store.FormatTime(now), store.FormatTime(now)).Scan(&b.ID); err != nil {
			return apperr.Wrap(err, "cases: insert bundle case")
		}
		store.NoteEffect(ctx, "bundle_case:"+strconv.FormatInt(b.ID, 10))
		if len(req.Files) > 0 {
			for _, m := range req.Files {
				if err := putBundleFile(ctx, tx, actor, &b, guide.Materials, m); err != nil {
					return err
				}
			}
			// The files' materials count as presented: stored with the case.
			mats, _ := json.Marshal(textlist.OrEmpty(b.Materials))
			if _, err := tx.ExecContext(ctx, `UPDATE bundle_cases SET materials = ? WHERE id = ?`, string(mats), b.ID); err != nil {
				return apperr.Wrap(err, "cases: bundle materials")
			}
		}
		return s.bundleAudit(ctx, tx, actor, &b, "create", now)
	})
	if err != nil {
		return BundleCase{}, err
	}
	return s.GetBundleCase(ctx, actor, b.ID)
}

func (s *Service) bundleAudit(ctx context.Context, tx *store.Tx, actor auth.User, b *BundleCase, action string, now time.Time) error {
	// The officer's name is kept for the notices printed from the record.
	detail, _ := json.Marshal(map[string]any{"state": b.State, "bundle": b.BundleCode, "officer": actor.Name})
	return s.bundleAuditDetail(ctx, tx, actor, b, action, now, detail)
}

func (s *Service) bundleAuditDetail(ctx context.Context, tx *store.Tx, actor auth.User, b *BundleCase, action string, now time.Time, detail []byte) error {
	_, err := audit.Append(ctx, tx, audit.Record{Chain: b.PointCode, At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "bundle_case." + action, Object: "bundle_case:" + b.Number, Outcome: audit.OK, Detail: string(detail)})
	return err
}

const bundleColumns = `id, number, bundle_code, bundle_version, bundle_name, lead_department, point_code, state, version, channel,
	applicant, form, materials, reasons, promised_due, issue_method, issued_at, verify_code, created_by, created_at, updated_at`

func scanBundleCase(sc interface{ Scan(...any) error }) (BundleCase, error) {
	var b BundleCase
	var state, channel, applicant, form, mats, reasons, issuedAt, created, updated string
	var verify sql.NullString
	err := sc.Scan(&b.ID, &b.Number, &b.BundleCode, &b.BundleVersion, &b.BundleName, &b.LeadDepartment, &b.PointCode, &state, &b.Version,
		&channel, &applicant, &form, &mats, &reasons, &b.PromisedDue, &b.IssueMethod, &issuedAt, &verify, &b.CreatedBy, &created, &updated)
	if err != nil {
		return b, err
	}
	b.State, b.Channel, b.Form, b.VerifyCode = State(state), Channel(channel), json.RawMessage(form), verify.String
	json.Unmarshal([]byte(applicant), &b.Applicant)
	json.Unmarshal([]byte(mats), &b.Materials)
	json.Unmarshal([]byte(reasons), &b.Reasons)
	b.IssuedAt = ptrTime(issuedAt)
	b.CreatedAt, b.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return b, nil
}

func (s *Service) loadBundleCase(ctx context.Context, q store.Querier, id int64, forUpdate bool) (BundleCase, error) {
	query := `SELECT ` + bundleColumns + ` FROM bundle_cases WHERE id = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE`
	}
	b, err := scanBundleCase(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return BundleCase{}, apperr.NotFoundf("bundle_case_not_found", apperr.M("一件事申请不存在", "no such bundle case"))
	}
	if err != nil {
		return BundleCase{}, apperr.Wrap(err, "cases: load bundle case")
	}
	return b, nil
}

// checkBundleScope: the applicant, the point's front desk, issuers and hall
// manager, the lead department's reviewers, administrators.
func (s *Service) checkBundleScope(actor auth.User, b *BundleCase) error {
	as := Case{Applicant: b.Applicant, PointCode: b.PointCode, DepartmentCode: b.LeadDepartment}
	if err := s.checkScope(actor, &as); err != nil {
		if actor.Role == RoleApplicant {
			e := apperr.NotFoundf("bundle_case_not_found", apperr.M("一件事申请不存在", "no such bundle case"))
			e.Denied = true
			return e
		}
		return err
	}
	return nil
}

// GetBundleCase returns a bundle case with its members' status, the
// applicant's numbers whole (see Get).
func (s *Service) GetBundleCase(ctx context.Context, actor auth.User, id int64) (BundleCase, error) {
	b, err := s.loadBundleCase(ctx, s.db, id, false)
	if err != nil {
		return BundleCase{}, err
	}
	if err := s.checkBundleScope(actor, &b); err != nil {
		return BundleCase{}, err
	}
	if err := s.fillMembers(ctx, s.db, &b); err != nil {
		return BundleCase{}, err
	}
	if b.Files, err = bundleFiles(ctx, s.db, b.ID); err != nil {
		return BundleCase{}, err
	}
	return b, nil
}

// fillMembers computes the members' status from the definition and the member cases.
func (s *Service) fillMembers(ctx context.Context, q store.Querier, b *BundleCase) error {
	def, err := s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, number, item_code, item_name, department_code, state,
		(SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.id AND e.action = 'refuse')
		FROM cases WHERE bundle_case_id = ? ORDER BY id`, b.ID)
	if err != nil {
		return apperr.Wrap(err, "cases: bundle members")
	}
	type member struct {
		id                     int64
		number, name, dept, st string
		refused                int
	}
	started := map[string]member{}
	for rows.Next() {
		var m member
		var item string
		if err := rows.Scan(&m.id, &m.number, &item, &m.name, &m.dept, &m.st, &m.refused); err != nil {
			rows.Close()
			return apperr.Wrap(err, "cases: bundle members")
		}
		started[item] = m
	}
	rows.Close()
	deps := map[string][]string{}
	for _, dm := range def.Members {
		deps[dm.Item] = dm.DependsOn
	}
	// A member that will never start: a prerequisite was refused or stopped,
	// or will itself never start. The definition is a DAG, so this ends.
	var stopped func(item string) bool
	stopped = func(item string) bool {
		if m, ok := started[item]; ok {
			return m.refused > 0 || m.st == string(Terminated) || m.st == string(Withdrawn) || m.st == string(NotAccepted)
		}
		return slices.ContainsFunc(deps[item], stopped)
	}
	b.Members, b.HoldingUp = nil, []string{}
	for _, dm := range def.Members {
		ms := MemberStatus{Item: dm.Item, DependsOn: dm.DependsOn}
		if m, ok := started[dm.Item]; ok {
			id := m.id
			ms.CaseID, ms.Number, ms.State, ms.ItemName, ms.Department = &id, m.number, State(m.st), m.name, m.dept
			ms.Refused = m.refused > 0
			if !memberDone(ms.State) {
				b.HoldingUp = append(b.HoldingUp, dm.Item)
			}
		} else {
			it, err := s.catalog.Version(ctx, dm.Item, dm.Version)
			if err != nil {
				return err
			}
			ms.ItemName, ms.Department = it.Name, it.DepartmentCode
			ms.Skipped = slices.ContainsFunc(dm.DependsOn, stopped) || (b.State.Final() && b.State != Closed)
			ms.Waiting = !ms.Skipped && b.State != Received && b.State != Submitted && b.State != SupplementNeeded
			if ms.Waiting {
				b.HoldingUp = append(b.HoldingUp, dm.Item)
			}
		}
		b.Members = append(b.Members, ms)
	}
	return nil
}

// ListBundleCases returns the bundle cases actor may see; staff get the
// applicants' numbers masked (BundleCase.ShownTo).
func (s *Service) ListBundleCases(ctx context.Context, actor auth.User, limit, offset int) ([]BundleCase, int, error) {
	var where string
	var args []any
	switch {
	case actor.Role == RoleAdmin:
		where = "1 = 1"
	case actor.Role == RoleApplicant && actor.IdentityUnverified:
		// A bundle keeps the desk's phone inside its applicant record, not
		// in a column: an account nobody has checked lists only the bundles
		// made from it (ownsCase still opens a walk-in one with its phone).
		where, args = "applicant_user_id = ?", []any{actor.ID}
	case actor.Role == RoleApplicant:
		where, args = "(applicant_user_id = ? OR (applicant_kind = 'person' AND applicant_id_number <> '' AND applicant_id_number = ?) OR (applicant_kind = 'enterprise' AND applicant_credit <> '' AND applicant_credit = ?))",
			[]any{actor.ID, actor.IDNumber, actor.CreditCode}
	case actor.Role == RoleReviewer:
		where, args = "lead_department = ?", []any{actor.DepartmentCode}
	default:
		where, args = "point_code = ?", []any{actor.PointCode}
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bundle_cases WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "cases: count bundle cases")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+bundleColumns+` FROM bundle_cases WHERE `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, min(max(limit, 1), 200), max(offset, 0))...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "cases: list bundle cases")
	}
	defer rows.Close()
	out := []BundleCase{}
	for rows.Next() {
		b, err := scanBundleCase(rows)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "cases: list bundle cases")
		}
		b = b.ShownTo(actor)
		out = append(out, b)
	}
	return out, total, apperr.Wrap(rows.Err(), "cases: list bundle cases")
}

// bundleRules: who may do what to a bundle case, from which states.
var bundleRules = map[Action]rule{
	BundleAccept:        {[]State{Submitted, Received}, Accepted, []auth.Role{RoleFrontDesk}, false},
	BundleNotifyMissing: {[]State{Submitted, Received}, SupplementNeeded, []auth.Role{RoleFrontDesk}, false},
	BundleSupplement:    {[]State{SupplementNeeded}, Received, []auth.Role{RoleFrontDesk, RoleApplicant}, false},
	BundleNotAccept:     {[]State{Submitted, Received, SupplementNeeded}, NotAccepted, []auth.Role{RoleFrontDesk}, false},
	BundleWithdraw:      {[]State{Submitted, Received, SupplementNeeded, Accepted}, Withdrawn, []auth.Role{RoleApplicant, RoleFrontDesk}, false},
	BundleIssue:         {[]State{Accepted, ReadyForIssue}, Issued, []auth.Role{RoleIssuer}, false},
}

// ActOnBundle applies a bundle-level action in one transaction.
func (s *Service) ActOnBundle(ctx context.Context, actor auth.User, id int64, action Action, req ActRequest) (BundleCase, error) {
	r, ok := bundleRules[action]
	if !ok {
		return BundleCase{}, apperr.New(apperr.NotFound, "unknown_action", apperr.M("未知的操作", "unknown action")).With("action", action)
	}
	if err := validateAct(action, &req); err != nil {
		return BundleCase{}, err
	}
	now := s.Now()
	today := workday.DateOf(now)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		b, err := s.loadBundleCase(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := s.checkBundleScope(actor, &b); err != nil {
			return err
		}
		if req.Version != nil && *req.Version != b.Version {
			return apperr.New(apperr.Conflict, "case_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the application was changed by someone else; reload and try again")).
				With("state", b.State).With("version", b.Version)
		}
		if !slices.Contains(r.roles, actor.Role) {
			return apperr.RoleNotAllowed(apperr.M("您的角色不能执行此操作", "your role may not do this"))
		}
		if !slices.Contains(r.from, b.State) {
			return apperr.New(apperr.Conflict, "illegal_transition", apperr.M("一件事申请当前状态（"+StateNames[b.State].ZH+"）不允许此操作",
				"the application is "+StateNames[b.State].EN+" and does not allow this action")).With("state", b.State).With("version", b.Version)
		}
		def, err := s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
		if err != nil {
			return err
		}
		guide, err := s.catalog.Guide(ctx, def)
		if err != nil {
			return err
		}
		for _, t := range req.Materials {
			if !slices.ContainsFunc(guide.Materials, func(m catalog.MergedMaterial) bool { return m.Type == t }) {
				return apperr.Fields{apperr.Field("materials", "unknown_type", apperr.M("本一件事不需要材料："+t, "this bundle does not ask for material: "+t))}.Err()
			}
			if !slices.Contains(b.Materials, t) {
				b.Materials = append(b.Materials, t)
			}
		}
		missing, waivable := mergedCheck(catalog.Asked(guide.Materials), b.Materials)
		to := r.to
		switch action {
		case BundleAccept:
			if len(missing) > 0 {
				return apperr.New(apperr.Conflict, "materials_missing", apperr.M("必要材料不齐，不能受理；请出具一次性告知书", "required materials are missing: issue a one-time notice instead")).
					With("missing", missing)
			}
			due, fb := s.calendar.Add(today, def.PromisedLimitDays)
			s.noteFallback(&Case{}, fb)
			b.PromisedDue = workday.FormatDate(due)
			b.Reasons = nil
		case BundleNotifyMissing:
			if len(missing)+len(waivable) == 0 {
				return apperr.New(apperr.Conflict, "nothing_missing", apperr.M("材料齐全，无需一次性告知，请直接受理", "nothing is missing: accept instead"))
			}
			b.Reasons = nil
			for _, m := range append(missing, waivable...) {
				b.Reasons = append(b.Reasons, m.Name)
			}
		case BundleNotAccept:
			b.Reasons = req.Reasons
		case BundleIssue:
			if err := s.issueMembers(ctx, tx, actor, &b, def, req, now); err != nil {
				return err
			}
			b.IssueMethod, b.IssuedAt = req.IssueMethod, &now
			if b.VerifyCode == "" {
				// A partial issue gave the code already: what it printed keeps verifying.
				b.VerifyCode = newVerifyCode()
			}
			if err := s.fillMembers(ctx, tx, &b); err != nil {
				return err
			}
			if len(b.HoldingUp) > 0 {
				to = Accepted // a partial issue: the rest follow
			}
		}
		b.State, b.UpdatedAt = to, now
		if err := s.saveBundleCase(ctx, tx, &b); err != nil {
			return err
		}
		if action == BundleAccept {
			for _, m := range catalog.Ready(def.Members, nil, nil) {
				if err := s.startMember(ctx, tx, actor, &b, m, now); err != nil {
					return err
				}
			}
		}
		if action == BundleWithdraw {
			if err := s.stopMembers(ctx, tx, &b, -1, Withdraw, "申请人撤回一件事申请 / the applicant withdrew the bundle application", now); err != nil {
				return err
			}
		}
		return s.bundleAudit(ctx, tx, actor, &b, string(action), now)
	})
	if err != nil {
		return BundleCase{}, err
	}
	return s.GetBundleCase(ctx, actor, id)
}

// mergedCheck lists the merged materials not presented: required, and 容缺-able.
func mergedCheck(all []catalog.MergedMaterial, presented []string) (missing, waivable []catalog.MergedMaterial) {
	for _, m := range all {
		if slices.Contains(presented, m.Type) {
			continue
		}
		switch m.Requirement {
		case catalog.Required:
			missing = append(missing, m)
		case catalog.Waivable:
			waivable = append(waivable, m)
		}
	}
	return missing, waivable
}

func (s *Service) saveBundleCase(ctx context.Context, tx *store.Tx, b *BundleCase) error {
	mats, _ := json.Marshal(textlist.OrEmpty(b.Materials))
	reasons, _ := json.Marshal(textlist.OrEmpty(b.Reasons))
	var verify any
	if b.VerifyCode != "" {
		verify = b.VerifyCode
	}
	res, err := tx.ExecContext(ctx, `UPDATE bundle_cases SET state = ?, version = version + 1, materials = ?, reasons = ?, promised_due = ?,
		issue_method = ?, issued_at = ?, verify_code = ?, updated_at = ? WHERE id = ? AND version = ?`,
		string(b.State), string(mats), string(reasons), b.PromisedDue, b.IssueMethod, store.StampOf(b.IssuedAt), verify,
		store.FormatTime(b.UpdatedAt), b.ID, b.Version)
	if err != nil {
		return apperr.Wrap(err, "cases: save bundle case")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "case_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the application was changed by someone else; reload and try again"))
	}
	b.Version++
	return nil
}

// bundleDesk acts for the bundle when the system starts or stops a member.
func bundleDesk(point string) auth.User {
	return auth.User{ID: 0, Username: "system", Name: "系统（一件事）", Role: RoleFrontDesk, PointCode: point}
}

// startMember creates and accepts one member case, routed to its department,
// with the bundle's materials that the item asks for.
func (s *Service) startMember(ctx context.Context, tx *store.Tx, actor auth.User, b *BundleCase, m catalog.BundleMember, now time.Time) error {
	it, err := s.catalog.Version(ctx, m.Item, m.Version)
	if err != nil {
		return err
	}
	if actor.Role != RoleFrontDesk {
		actor = bundleDesk(b.PointCode)
	}
	c := Case{CreatedBy: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now, Form: b.Form, State: Received, Channel: b.Channel,
		PointCode: b.PointCode, Applicant: b.Applicant, ItemCode: it.Code, ItemVersion: it.Version, ItemName: it.Name, DepartmentCode: it.DepartmentCode}
	if actor.ID != 0 {
		staff := actor.ID
		c.ActingStaffID = &staff
	}
	num, err := allocateNumber(ctx, tx, c.PointCode, now)
	if err != nil {
		return err
	}
	c.Number = num
	if err := insertCase(ctx, tx, &c); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET bundle_case_id = ? WHERE id = ?`, b.ID, c.ID); err != nil {
		return apperr.Wrap(err, "cases: link member")
	}
	bid := b.ID
	c.BundleCaseID = &bid
	files, err := bundleFiles(ctx, tx, b.ID)
	if err != nil {
		return err
	}
	for _, t := range b.Materials {
		if slices.ContainsFunc(it.Materials, func(im catalog.Material) bool { return im.Type == t }) {
			m := memberMaterial(files, &it, t, actor, now)
			if err := putMaterial(ctx, tx, c.ID, m); err != nil {
				return err
			}
		}
	}
	data := map[string]any{"bundle_case": b.Number, "bundle": b.BundleCode}
	if err := s.record(ctx, tx, actor, &c, "create", "", Received, "一件事："+b.BundleName, data); err != nil {
		return err
	}
	accept, err := s.memberStarting(ctx, tx, b, &c, it)
	if err != nil {
		return err
	}
	return s.transition(ctx, tx, actor, &c, &accept, Accept, ActRequest{}, now)
}

// stopMembers moves every open member of b (but except) to Withdrawn or
// Terminated with reason.
func (s *Service) stopMembers(ctx context.Context, tx *store.Tx, b *BundleCase, except int64, action Action, reason string, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE bundle_case_id = ? AND id <> ? ORDER BY id`, b.ID, except)
	if err != nil {
		return apperr.Wrap(err, "cases: bundle members")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return apperr.Wrap(err, "cases: bundle members")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !slices.Contains(beforeDecision, c.State) {
			continue
		}
		it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
		if err != nil {
			return err
		}
		actor := systemActor
		if action == Withdraw {
			actor = bundleDesk(b.PointCode)
		}
		if err := s.transition(ctx, tx, actor, &c, &it, action, ActRequest{Reasons: []string{reason}, Note: reason}, now); err != nil {
			return err
		}
	}
	return nil
}

// afterMember keeps the bundle in step with a member's transition, in the
// same transaction: start the members it unblocks, stop the others on a
// refusal when the bundle says so, tell the applicant of every open 补正 in
// one notice, and mark the bundle ready for issue when no member can move.
func (s *Service) afterMember(ctx context.Context, tx *store.Tx, c *Case, action Action, now time.Time) error {
	if action == Issue {
		return nil // issuing is the bundle's own action, or a partial issue the bundle allows
	}
	b, err := s.loadBundleCase(ctx, tx, *c.BundleCaseID, true)
	if err != nil {
		return err
	}
	if b.State != Accepted {
		return nil
	}
	def, err := s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
	if err != nil {
		return err
	}
	switch action {
	case Approve:
		if err := s.fillMembers(ctx, tx, &b); err != nil {
			return err
		}
		var approved, started []string
		for _, m := range b.Members {
			if m.CaseID != nil {
				started = append(started, m.Item)
				if !m.Refused && (m.State == Approved || m.State == ReadyForIssue || m.State == Issued || m.State == Closed) {
					approved = append(approved, m.Item)
				}
			}
		}
		for _, m := range catalog.Ready(def.Members, approved, started) {
			if err := s.startMember(ctx, tx, systemActor, &b, m, now); err != nil {
				return err
			}
		}
	case Refuse:
		if def.OnRefusal == catalog.OnRefusalStop {
			reason := fmt.Sprintf("一件事中“%s”不予办理，其余事项一并终止 / %s was refused, so the bundle stops", c.ItemName, c.ItemName)
			if err := s.stopMembers(ctx, tx, &b, c.ID, Terminate, reason, now); err != nil {
				return err
			}
		}
	case RequestSupplement:
		if err := s.combinedNotice(ctx, tx, &b, now); err != nil {
			return err
		}
	}
	// Starting or stopping members may have moved the bundle already.
	if b, err = s.loadBundleCase(ctx, tx, b.ID, false); err != nil {
		return err
	}
	if b.State != Accepted {
		return nil
	}
	if err := s.fillMembers(ctx, tx, &b); err != nil {
		return err
	}
	if len(b.HoldingUp) == 0 {
		b.State, b.UpdatedAt = ReadyForIssue, now
		return s.saveBundleCase(ctx, tx, &b)
	}
	return nil
}

func (s *Service) bundleOf(ctx context.Context, q store.Querier, id int64) (catalog.Bundle, error) {
	b, err := s.loadBundleCase(ctx, q, id, false)
	if err != nil {
		return catalog.Bundle{}, err
	}
	return s.catalog.BundleVersion(ctx, b.BundleCode, b.BundleVersion)
}
