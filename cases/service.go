package cases

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/metrics"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

// Service runs the lifecycle on a database.
type Service struct {
	db       *store.DB
	catalog  *catalog.Store
	points   *network.Store
	calendar workday.Calendar
	// OnlinePoint receives online applications that name no point.
	OnlinePoint string
	// Now is the server's clock (package clock); business dates come from it.
	Now clock.Clock
	// A case enters its warning period when at most WarnDays working days,
	// or at most WarnFraction of its promised limit, are left.
	WarnDays     int
	WarnFraction float64

	// track counts wrong query codes of 办件查询 (track.go).
	track trackLimits
}

// NewService returns a Service. cal decides working days for due dates;
// clk is the server's clock (nil: the wall clock).
func NewService(db *store.DB, cat *catalog.Store, points *network.Store, cal workday.Calendar, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	s := &Service{db: db, catalog: cat, points: points, calendar: cal, Now: clk, WarnDays: 1, WarnFraction: 0.2}
	s.track.client = auth.Limiter{MaxFailures: TrackFailuresPerClient, Window: TrackWindow}
	s.track.number = auth.Limiter{MaxFailures: TrackFailuresPerNumber, Window: TrackWindow}
	return s
}

// CreateRequest opens a case. A front desk creates it for the person at the
// desk (received at once); an applicant creates an online draft.
type CreateRequest struct {
	Item      string          `json:"item"`
	Point     string          `json:"point,omitempty"`
	Channel   Channel         `json:"channel,omitempty"`
	Applicant *Applicant      `json:"applicant,omitempty"`
	Materials []string        `json:"materials,omitempty"` // material types presented at the desk
	Form      json.RawMessage `json:"form,omitempty"`
	Submit    bool            `json:"submit,omitempty"` // applicant: send at once instead of keeping a draft
	// Then is a front desk's decision on the person at the desk (受理,
	// 一次性告知, 不予受理), taken in the transaction that opens the case:
	// a decision the rules refuse opens no case.
	Then *FirstAction `json:"-"`
}

// FirstAction is an action taken on a case as it is opened.
type FirstAction struct {
	Action  Action
	Request ActRequest
}

func errNotFound() *apperr.Error {
	return apperr.NotFoundf("case_not_found", apperr.M("案件不存在", "no such case"))
}

// errHidden looks exactly like errNotFound to the caller but is audited.
func errHidden() *apperr.Error {
	e := errNotFound()
	e.Denied = true
	return e
}

func errScope() *apperr.Error {
	e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该案件不在您的办理范围内", "this case is outside your scope"))
	e.Denied = true
	return e
}

// validateApplicant checks the person or enterprise a front desk enters.
func validateApplicant(a *Applicant) error {
	var f apperr.Fields
	if a == nil {
		f.Add("applicant", "required", apperr.M("请填写申请人信息", "applicant is required"))
		return f.Err()
	}
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 100 {
		f.Add("applicant.name", "required", apperr.M("请填写申请人姓名或名称（不超过100字）", "applicant name is required (at most 100 characters)"))
	}
	switch a.Kind {
	case "person":
		if v, err := ident.IDCard(a.IDNumber); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.id_number", reason, msg)
		} else {
			a.IDNumber = v
		}
	case "enterprise":
		if v, err := ident.CreditCode(a.CreditCode); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.credit_code", reason, msg)
		} else {
			a.CreditCode = v
		}
		if a.IDNumber != "" {
			if v, err := ident.IDCard(a.IDNumber); err != nil {
				reason, msg := ident.Problem(err)
				f.Add("applicant.id_number", reason, msg)
			} else {
				a.IDNumber = v
			}
		}
	default:
		f.Add("applicant.kind", "unknown", apperr.M("申请人类型须为 person（自然人）或 enterprise（法人）", "applicant kind must be person or enterprise"))
	}
	if a.Phone != "" {
		if v, err := ident.Mobile(a.Phone); err != nil {
			reason, msg := ident.Problem(err)
			f.Add("applicant.phone", reason, msg)
		} else {
			a.Phone = v
		}
	}
	return f.Err()
}

// Create opens a case for actor and returns it as a fresh Get would.
func (s *Service) Create(ctx context.Context, actor auth.User, req CreateRequest) (Case, error) {
	now := s.storedNow()
	var f apperr.Fields
	if strings.TrimSpace(req.Item) == "" {
		f.Add("item", "required", apperr.M("请选择办理事项", "item is required"))
	}
	if len(req.Form) > 0 && !json.Valid(req.Form) {
		f.Add("form", "json", apperr.M("表单内容不是有效的JSON", "form is not valid JSON"))
	}
	c := Case{CreatedBy: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now, Form: req.Form}
	switch actor.Role {
	case RoleApplicant:
		c.Channel = ChannelOnline
		c.State = Draft
		c.PointCode = req.Point
		if c.PointCode == "" {
			c.PointCode = s.OnlinePoint
		}
		id := actor.ID
		c.Applicant = Applicant{UserID: &id, Kind: actor.Kind, Name: actor.Name, IDNumber: actor.IDNumber,
			CreditCode: actor.CreditCode, Phone: actor.Phone}
		if req.Applicant != nil {
			f.Add("applicant", "not_allowed", apperr.M("网上申请以登录账号为申请人", "online applications are made by the signed-in applicant"))
		}
	case RoleFrontDesk:
		c.State = Received
		c.PointCode = actor.PointCode
		if req.Point != "" && req.Point != actor.PointCode {
			f.Add("point", "out_of_scope", apperr.M("只能在您所在的网点受理", "you can only accept cases at your own service point"))
		}
		c.Channel = req.Channel
		if c.Channel == "" {
			c.Channel = ChannelWindow
		}
		if c.Channel == ChannelOnline {
			f.Add("channel", "unknown", apperr.M("窗口受理的渠道须为 window、self_service 或 assisted", "channel must be window, self_service or assisted"))
		} else if !slices.Contains(Channels, c.Channel) {
			f.Add("channel", "unknown", apperr.M("渠道须为 window、self_service 或 assisted", "channel must be window, self_service or assisted"))
		}
		if err := validateApplicant(req.Applicant); err != nil {
			f = append(f, apperr.As(err).Fields...)
		} else {
			c.Applicant = *req.Applicant
			// A walk-in applicant is linked to an account only through the
			// identity number checked at the desk, never by what the desk types.
			c.Applicant.UserID = nil
		}
		staff := actor.ID
		c.ActingStaffID = &staff
	default:
		return Case{}, apperr.RoleNotAllowed(apperr.M("您的角色不能创建案件", "your role may not create cases"))
	}
	if err := f.Err(); err != nil {
		return Case{}, err
	}

	it, err := s.catalog.Published(ctx, req.Item)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			f.Add("item", "not_found", apperr.M("事项不存在或未发布", "no published item with this code"))
			return Case{}, f.Err()
		}
		return Case{}, err
	}
	pt, err := s.points.Get(ctx, nil, c.PointCode)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			f.Add("point", "not_found", apperr.M("服务网点不存在", "no such service point"))
			return Case{}, f.Err()
		}
		return Case{}, err
	}
	if !it.HandledAt(pt.Level) {
		return Case{}, itemNotAtLevel(&it, pt)
	}
	if c.Applicant.Kind == "person" && it.ServesEnterprises && !it.ServesPersons {
		f.Add("applicant.kind", "enterprise_only", apperr.M("本事项仅面向法人办理", "this item is for enterprises only"))
		return Case{}, f.Err()
	}
	c.ItemCode, c.ItemVersion, c.ItemName, c.DepartmentCode = it.Code, it.Version, it.Name, it.DepartmentCode
	if len(c.Form) == 0 {
		c.Form = json.RawMessage(`{}`)
	}
	presented := textlist.Distinct(req.Materials)
	for _, t := range presented {
		if !slices.ContainsFunc(it.Materials, func(m catalog.Material) bool { return m.Type == t }) {
			f.Add("materials", "unknown_type", apperr.M("本事项不需要材料："+t, "this item does not ask for material: "+t))
		}
	}
	if err := f.Err(); err != nil {
		return Case{}, err
	}

	draft := c
	if req.Then != nil {
		if err := validateAct(req.Then.Action, &req.Then.Request); err != nil {
			return Case{}, err
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		c = draft // a retried attempt starts again from the draft
		num, err := allocateNumber(ctx, tx, c.PointCode, now)
		if err != nil {
			return err
		}
		c.Number = num
		if err := insertCase(ctx, tx, &c); err != nil {
			return err
		}
		store.NoteEffect(ctx, "case:"+strconv.FormatInt(c.ID, 10))
		for _, t := range presented {
			m := Material{Type: t, Name: materialOf(&it, t).Name, Source: SourcePresented, AddedBy: actor.ID, AddedAt: now}
			if err := putMaterial(ctx, tx, c.ID, m); err != nil {
				return err
			}
			c.Materials = append(c.Materials, m)
		}
		sortMaterials(c.Materials)
		data, _ := json.Marshal(map[string]any{"channel": c.Channel, "materials": presented})
		if err := s.record(ctx, tx, actor, &c, "create", "", c.State, "", data); err != nil {
			return err
		}
		if actor.Role == RoleApplicant && req.Submit {
			return s.transition(ctx, tx, actor, &c, &it, Submit, ActRequest{}, now)
		}
		if req.Then != nil {
			return s.transition(ctx, tx, actor, &c, &it, req.Then.Action, req.Then.Request, now)
		}
		return nil
	})
	if err != nil {
		return Case{}, err
	}
	return c, nil
}

// storedNow is the clock's time as the database keeps it (UTC, whole
// microseconds), so that a case answered from memory equals one read back.
func (s *Service) storedNow() time.Time {
	return s.Now().UTC().Truncate(time.Microsecond)
}

func itemNotAtLevel(it *catalog.Item, pt network.Point) error {
	var zh, en []string
	for _, l := range it.Levels {
		zh = append(zh, catalog.LevelNames[l][0])
		en = append(en, catalog.LevelNames[l][1])
	}
	return apperr.New(apperr.Conflict, "item_not_at_level", apperr.M(
		fmt.Sprintf("“%s”不能在%s办理：本事项可办理层级为%s，本网点为%s", it.Name, pt.Name, strings.Join(zh, "、"), catalog.LevelNames[pt.Level][0]),
		fmt.Sprintf("%s cannot be handled at %s: the item is handled at %s level, this point is %s level", nameEN(it), pt.EnglishName(), strings.Join(en, ", "), catalog.LevelNames[pt.Level][1]))).
		With("item_levels", it.Levels).With("point_level", pt.Level)
}

func nameEN(it *catalog.Item) string {
	if it.NameEN != "" {
		return it.NameEN
	}
	return it.Name
}

func materialOf(it *catalog.Item, typ string) catalog.Material {
	for _, m := range it.Materials {
		if m.Type == typ {
			return m
		}
	}
	return catalog.Material{Type: typ, Name: typ}
}

// allocateNumber returns the next case number for a point and day, e.g.
// HNZWFW-20261122-00042. The counter row is updated in the caller's
// transaction, so concurrent creators (also in other processes) queue on it.
func allocateNumber(ctx context.Context, tx *store.Tx, point string, now time.Time) (string, error) {
	day := workday.DateOf(now).Format("20060102")
	var n int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO case_counters (point_code, day, last) VALUES (?, ?, 1)
		ON CONFLICT (point_code, day) DO UPDATE SET last = case_counters.last + 1
		RETURNING last`, point, day).Scan(&n)
	if err != nil {
		return "", apperr.Wrap(err, "cases: allocate number")
	}
	return fmt.Sprintf("%s-%s-%05d", point, day, n), nil
}

func insertCase(ctx context.Context, tx *store.Tx, c *Case) error {
	waived, _ := json.Marshal(textlist.OrEmpty(c.Waived))
	reasons, _ := json.Marshal(textlist.OrEmpty(c.Reasons))
	err := tx.QueryRowContext(ctx, `
		INSERT INTO cases (number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
			applicant_user_id, applicant_kind, applicant_name, applicant_id_number, applicant_credit, applicant_phone,
			acting_staff_id, created_by, form, waived, reasons, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		c.Number, c.ItemCode, c.ItemVersion, c.ItemName, c.DepartmentCode, c.PointCode, string(c.State), c.Version, string(c.Channel),
		c.Applicant.UserID, c.Applicant.Kind, c.Applicant.Name, c.Applicant.IDNumber, c.Applicant.CreditCode, c.Applicant.Phone,
		c.ActingStaffID, c.CreatedBy, string(c.Form), string(waived), string(reasons),
		store.FormatTime(c.CreatedAt), store.FormatTime(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return apperr.Wrap(err, "cases: insert")
	}
	_, err = assignQueryCode(ctx, tx, c.ID)
	return err
}

func putMaterial(ctx context.Context, tx *store.Tx, caseID int64, m Material) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_materials (case_id, type, name, source, file_name, file_hash, content_type, size, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id, type) DO UPDATE SET name = excluded.name, source = excluded.source, file_name = excluded.file_name,
			file_hash = excluded.file_hash, content_type = excluded.content_type, size = excluded.size,
			added_by = excluded.added_by, added_at = excluded.added_at`,
		caseID, m.Type, m.Name, m.Source, m.FileName, m.FileHash, m.ContentType, m.Size, m.AddedBy, store.FormatTime(m.AddedAt))
	return apperr.Wrap(err, "cases: put material")
}

// record appends the event, the audit record and the applicant's
// notification, all in the caller's transaction.
func (s *Service) record(ctx context.Context, tx *store.Tx, actor auth.User, c *Case, action string, from, to State, note string, data []byte) error {
	if len(data) == 0 {
		data = []byte(`{}`)
	}
	at := store.FormatTime(s.Now())
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, at, actor.ID, actor.Name, string(actor.Role), action, string(from), string(to), note, string(data))
	if err != nil {
		return apperr.Wrap(err, "cases: append event")
	}
	detail, _ := json.Marshal(map[string]any{"from": from, "to": to, "version": c.Version, "acting_for": c.Applicant.Kind})
	if _, err := audit.Append(ctx, tx, audit.Record{At: s.Now(), ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "case." + action, Object: "case:" + c.Number, Outcome: "ok", Detail: string(detail)}); err != nil {
		return err
	}
	if c.Applicant.UserID != nil || c.Applicant.Phone != "" {
		recipient := "phone:" + c.Applicant.Phone
		if c.Applicant.UserID != nil {
			recipient = fmt.Sprintf("user:%d", *c.Applicant.UserID)
		}
		// The step's own data (missing materials, reasons, dates, the issue
		// method) goes with it, so that the message can say what to do.
		fields := map[string]any{}
		json.Unmarshal(data, &fields)
		fields["case"], fields["item"], fields["state"], fields["action"] = c.Number, c.ItemName, to, action
		fields["department"], fields["point"] = c.DepartmentCode, c.PointCode
		if c.PromisedDue != "" {
			fields["promised_due"] = c.PromisedDue
		}
		if _, named := fields["waived"]; !named && to == Accepted && len(c.Waived) > 0 {
			fields["waived"], fields["waiver_due"] = c.Waived, c.WaiverDue
		}
		payload, _ := json.Marshal(fields)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, recipient, payload, created_at) VALUES (?, ?, ?, ?)`,
			"case."+action, recipient, string(payload), at); err != nil {
			return apperr.Wrap(err, "cases: enqueue notification")
		}
	}
	return nil
}

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

	jointIssue bool // the bundle issues its members together
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
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := s.checkScope(actor, &c); err != nil {
			return err
		}
		if req.Version != nil && *req.Version != c.Version {
			return apperr.New(apperr.Conflict, "case_version_conflict",
				apperr.M("案件已被他人更新，请刷新后重试", "the case was changed by someone else; reload and try again")).
				With("state", c.State).With("version", c.Version)
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
	c.Materials, err = caseMaterials(ctx, tx, c.ID)
	if err != nil {
		return err
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
					apperr.M("容缺受理的材料尚未补齐，不能作出准予决定", "materials accepted under 容缺 are still outstanding")).With("outstanding", still)
			}
		}
	case Issue:
		if c.BundleCaseID != nil && !req.jointIssue {
			def, err := s.bundleOf(ctx, tx, *c.BundleCaseID)
			if err != nil {
				return err
			}
			if !def.PartialIssue {
				return apperr.New(apperr.Conflict, "bundle_joint_issue", apperr.M("一件事的结果须统一出证，请在一件事申请上出证", "a bundle's results are issued together: issue the bundle application"))
			}
		}
		c.IssueMethod, c.IssueAddress = req.IssueMethod, strings.TrimSpace(req.Address)
		c.IssuedAt, c.IssuedBy = &now, &actor.ID
		c.VerifyCode = newVerifyCode()
		data["method"] = c.IssueMethod
		data["verify_code"] = c.VerifyCode
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
	raw, _ := json.Marshal(data)
	if err := s.record(ctx, tx, actor, c, string(action), from, to, strings.TrimSpace(req.Note), raw); err != nil {
		return err
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
	return apperr.New(apperr.Conflict, "clock_paused", apperr.M("案件的办理时限已暂停（补正或特别程序中）", "the case's clock is already paused (补正 or a special procedure)")).
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
		fmtTimePtr(c.AcceptedAt), c.AcceptedBy, c.PromisedDue, c.LegalDue, store.BoolInt(c.CalendarFallback), c.PausedSince, c.PausedDays,
		fmtTimePtr(c.DecidedAt), c.DecidedBy, c.IssueMethod, c.IssueAddress, fmtTimePtr(c.IssuedAt), c.IssuedBy, verify,
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

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return store.FormatTime(*t)
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

const caseColumns = `id, number, item_code, item_version, item_name, department_code, point_code, state, version, channel,
	applicant_user_id, applicant_kind, applicant_name, applicant_id_number, applicant_credit, applicant_phone,
	acting_staff_id, created_by, form, resume_state, waived, waiver_due, reasons, accepted_at, accepted_by,
	promised_due, legal_due, calendar_fallback, paused_since, paused_days, decided_at, decided_by,
	issue_method, issue_address, issued_at, issued_by, verify_code, created_at, updated_at,
	warn_from, special_procedure, supplement_due, extended_days, promised_limit, bundle_case_id`

func scanCase(sc interface{ Scan(...any) error }, extra ...any) (Case, error) {
	var c Case
	var state, channel, form, resume, waived, reasons, acceptedAt, decidedAt, issuedAt, created, updated string
	var userID, acting, acceptedBy, decidedBy, issuedBy, bundleID sql.NullInt64
	var verify sql.NullString
	var fallback int
	dest := append([]any{&c.ID, &c.Number, &c.ItemCode, &c.ItemVersion, &c.ItemName, &c.DepartmentCode, &c.PointCode, &state, &c.Version, &channel,
		&userID, &c.Applicant.Kind, &c.Applicant.Name, &c.Applicant.IDNumber, &c.Applicant.CreditCode, &c.Applicant.Phone,
		&acting, &c.CreatedBy, &form, &resume, &waived, &c.WaiverDue, &reasons, &acceptedAt, &acceptedBy,
		&c.PromisedDue, &c.LegalDue, &fallback, &c.PausedSince, &c.PausedDays, &decidedAt, &decidedBy,
		&c.IssueMethod, &c.IssueAddress, &issuedAt, &issuedBy, &verify, &created, &updated,
		&c.WarnFrom, &c.SpecialProcedure, &c.SupplementDue, &c.ExtendedDays, &c.PromisedLimit, &bundleID}, extra...)
	err := sc.Scan(dest...)
	if err != nil {
		return c, err
	}
	c.State, c.Channel, c.ResumeState = State(state), Channel(channel), State(resume)
	c.Form = json.RawMessage(form)
	json.Unmarshal([]byte(waived), &c.Waived)
	json.Unmarshal([]byte(reasons), &c.Reasons)
	c.Applicant.UserID = ptrInt(userID)
	c.ActingStaffID, c.AcceptedBy, c.DecidedBy, c.IssuedBy = ptrInt(acting), ptrInt(acceptedBy), ptrInt(decidedBy), ptrInt(issuedBy)
	c.AcceptedAt, c.DecidedAt, c.IssuedAt = ptrTime(acceptedAt), ptrTime(decidedAt), ptrTime(issuedAt)
	c.CalendarFallback = fallback != 0
	c.BundleCaseID = ptrInt(bundleID)
	c.VerifyCode = verify.String
	c.CreatedAt, c.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return c, nil
}

func ptrInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func ptrTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

// load reads a case; forUpdate locks its row on PostgreSQL (SQLite's write
// transaction already excludes other writers).
func (s *Service) load(ctx context.Context, q store.Querier, id int64, forUpdate bool) (Case, error) {
	query := `SELECT ` + caseColumns + ` FROM cases WHERE id = ?`
	if forUpdate && q.Dialect() == store.Postgres {
		query += ` FOR UPDATE`
	}
	c, err := scanCase(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, errNotFound()
	}
	if err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	return c, nil
}

// checkScope enforces who may see and act on a case. Applicants get "not
// found" for other people's cases, so that a case number reveals nothing;
// staff outside their point or department get "forbidden".
func (s *Service) checkScope(actor auth.User, c *Case) error {
	switch actor.Role {
	case RoleAdmin:
		return nil
	case RoleApplicant:
		if ownsCase(actor, c) {
			return nil
		}
		return errHidden()
	case RoleReviewer:
		if actor.DepartmentCode != "" && c.DepartmentCode == actor.DepartmentCode {
			return nil
		}
	case RoleFrontDesk, RoleIssuer, RoleHallManager:
		if actor.PointCode != "" && c.PointCode == actor.PointCode {
			return nil
		}
	}
	return errScope()
}

// ownsCase: an applicant's cases are those made from their account, and
// those a front desk made for them in person, matched by the identity number
// checked at the desk (实名). An account whose holder nobody has checked (a
// resident who registered alone, with a confirmed phone) matches a walk-in
// case only where the desk also recorded that phone: knowing someone's ID
// number must not be enough to read their cases.
func ownsCase(actor auth.User, c *Case) bool {
	if c.Applicant.UserID != nil && *c.Applicant.UserID == actor.ID {
		return true
	}
	switch {
	case actor.Kind == "person" && actor.IDNumber != "":
		return c.Applicant.Kind == "person" && c.Applicant.IDNumber == actor.IDNumber &&
			(!actor.IdentityUnverified || (actor.Phone != "" && c.Applicant.Phone == actor.Phone))
	case actor.Kind == "enterprise" && actor.CreditCode != "":
		return c.Applicant.Kind == "enterprise" && c.Applicant.CreditCode == actor.CreditCode
	}
	return false
}

// Get returns a case with its materials, if actor may see it. The
// applicant's numbers are whole, as every single case the service returns
// has them: whatever shows a case to staff shows Case.ShownTo, and the
// whole numbers only through RevealIdentity, which audits it.
func (s *Service) Get(ctx context.Context, actor auth.User, id int64) (Case, error) {
	return s.getWhere(ctx, actor, `c.id = ?`, id)
}

// GetByNumber returns a case by its number, if actor may see it.
func (s *Service) GetByNumber(ctx context.Context, actor auth.User, number string) (Case, error) {
	return s.getWhere(ctx, actor, `c.number = ?`, number)
}

// caseColumnsOfC is caseColumns qualified by the alias c, for joins.
var caseColumnsOfC = func() string {
	cols := strings.Split(caseColumns, ",")
	for i, col := range cols {
		cols[i] = "c." + strings.TrimSpace(col)
	}
	return strings.Join(cols, ", ")
}()

// getWhere reads one case and its materials in one statement: the case's
// columns repeat on each material's row, which costs less than a second
// statement (a second parse on SQLite, a second round trip on PostgreSQL).
// The materials are put in order here rather than by the database.
func (s *Service) getWhere(ctx context.Context, actor auth.User, cond string, arg any) (Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseColumnsOfC+`,
			m.type, m.name, m.source, m.file_name, m.file_hash, m.content_type, m.size, m.added_by, m.added_at
		FROM cases c LEFT JOIN case_materials m ON m.case_id = c.id
		WHERE `+cond, arg)
	if err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	defer rows.Close()
	var c Case
	found := false
	for rows.Next() {
		var typ, name, source, fileName, fileHash, contentType, addedAt sql.NullString
		var size, addedBy sql.NullInt64
		row, err := scanCase(rows, &typ, &name, &source, &fileName, &fileHash, &contentType, &size, &addedBy, &addedAt)
		if err != nil {
			return Case{}, apperr.Wrap(err, "cases: load")
		}
		if !found {
			c, found = row, true
		}
		if typ.Valid {
			c.Materials = append(c.Materials, Material{Type: typ.String, Name: name.String, Source: source.String,
				FileName: fileName.String, FileHash: fileHash.String, ContentType: contentType.String, Size: size.Int64,
				AddedBy: addedBy.Int64, AddedAt: store.ParseTime(addedAt.String)})
		}
	}
	if err := rows.Err(); err != nil {
		return Case{}, apperr.Wrap(err, "cases: load")
	}
	if !found {
		return Case{}, errNotFound()
	}
	if err := s.checkScope(actor, &c); err != nil {
		return Case{}, err
	}
	sortMaterials(c.Materials)
	return c, nil
}

// caseMaterials reads the materials of a case, in the order every answer
// shows them.
func caseMaterials(ctx context.Context, q store.Querier, caseID int64) ([]Material, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, source, file_name, file_hash, content_type, size, added_by, added_at
		FROM case_materials WHERE case_id = ? ORDER BY added_at, type`, caseID)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: materials")
	}
	defer rows.Close()
	var out []Material
	for rows.Next() {
		var m Material
		var at string
		if err := rows.Scan(&m.Type, &m.Name, &m.Source, &m.FileName, &m.FileHash, &m.ContentType, &m.Size, &m.AddedBy, &at); err != nil {
			return nil, apperr.Wrap(err, "cases: materials")
		}
		m.AddedAt = store.ParseTime(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "cases: materials")
	}
	sortMaterials(out)
	return out, nil
}

// sortMaterials orders materials by when they were added, then by type
// byte by byte, so that the order does not depend on the database's
// collation and an answer built in memory matches one read back.
func sortMaterials(ms []Material) {
	slices.SortStableFunc(ms, func(a, b Material) int {
		if c := a.AddedAt.Compare(b.AddedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
}

func materialTypesOf(ms []Material) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Type
	}
	return out
}

// Events returns a case's history, oldest first.
func (s *Service) Events(ctx context.Context, actor auth.User, id int64) ([]Event, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.events(ctx, id)
}

// AddMaterial records an uploaded or declared material on an open case.
// The file itself is stored by the caller (by content hash) before this.
func (s *Service) AddMaterial(ctx context.Context, actor auth.User, id int64, m Material) (Case, error) {
	now := s.storedNow()
	var out Case
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		it, err := s.materialAllowed(ctx, actor, &c, m.Type)
		if err != nil {
			return err
		}
		m.Name = materialOf(&it, m.Type).Name
		m.AddedBy, m.AddedAt = actor.ID, now
		if err := putMaterial(ctx, tx, c.ID, m); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := updateCase(ctx, tx, &c); err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]any{"type": m.Type, "source": m.Source, "file_hash": m.FileHash, "size": m.Size})
		if err := s.record(ctx, tx, actor, &c, "add_material", c.State, c.State, "", data); err != nil {
			return err
		}
		if c.Materials, err = caseMaterials(ctx, tx, c.ID); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Case{}, err
	}
	return out, nil
}

// CanAddMaterial tells, without writing anything, whether actor may add a
// material of type typ to case id: the API asks before storing an upload.
func (s *Service) CanAddMaterial(ctx context.Context, actor auth.User, id int64, typ string) error {
	c, err := s.load(ctx, s.db, id, false)
	if err != nil {
		return err
	}
	_, err = s.materialAllowed(ctx, actor, &c, typ)
	return err
}

func (s *Service) materialAllowed(ctx context.Context, actor auth.User, c *Case, typ string) (catalog.Item, error) {
	if err := s.checkScope(actor, c); err != nil {
		return catalog.Item{}, err
	}
	if actor.Role != RoleApplicant && actor.Role != RoleFrontDesk {
		e := apperr.RoleNotAllowed(apperr.M("您的角色不能提交材料", "your role may not add materials"))
		return catalog.Item{}, e
	}
	if c.State.Final() || c.State == Approved || c.State == Refused || c.State == ReadyForIssue || c.State == Issued {
		return catalog.Item{}, apperr.New(apperr.Conflict, "illegal_transition", apperr.M("案件当前状态不能再提交材料", "materials can no longer be added to this case")).With("state", c.State)
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return catalog.Item{}, err
	}
	if !slices.ContainsFunc(it.Materials, func(im catalog.Material) bool { return im.Type == typ }) {
		return catalog.Item{}, apperr.Fields{apperr.Field("type", "unknown_type", apperr.M("本事项不需要材料："+typ, "this item does not ask for material: "+typ))}.Err()
	}
	return it, nil
}

// Check returns the materials check of a case as it stands: what the
// 一次性告知书 would list.
func (s *Service) Check(ctx context.Context, actor auth.User, id int64) (MaterialCheck, error) {
	c, err := s.Get(ctx, actor, id)
	if err != nil {
		return MaterialCheck{}, err
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return MaterialCheck{}, err
	}
	var types []string
	for _, m := range c.Materials {
		types = append(types, m.Type)
	}
	return CheckMaterials(&it, types), nil
}
