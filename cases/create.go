package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
	"github.com/onewindow/onewindow/workday"
)

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
	if !it.OpenTo(c.Applicant.Kind) {
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
		data := map[string]any{"channel": c.Channel, "materials": presented}
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
//
// data is the step's own data, kept with the event and sent with the
// notification; it is encoded once, and the notification's fields are
// added to a copy of it rather than to the event's data decoded again.
func (s *Service) record(ctx context.Context, tx *store.Tx, actor auth.User, c *Case, action string, from, to State, note string, data map[string]any) error {
	encoded := []byte(`{}`)
	if len(data) > 0 {
		var err error
		if encoded, err = json.Marshal(data); err != nil {
			return apperr.Wrap(err, "cases: event data")
		}
	}
	now := s.Now()
	at := store.FormatTime(now)
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data, on_behalf)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, at, actor.ID, actor.Name, string(actor.Role), action, string(from), string(to), note, string(encoded), onBehalf(actor, c))
	if err != nil {
		return apperr.Wrap(err, "cases: append event")
	}
	// The audit detail's fields in the order a map of them would be encoded
	// (by name), without a map.
	detail, _ := json.Marshal(struct {
		ActingFor string `json:"acting_for"`
		From      State  `json:"from"`
		To        State  `json:"to"`
		Version   int    `json:"version"`
	}{c.Applicant.Kind, from, to, c.Version})
	if _, err := audit.Append(ctx, tx, audit.Record{Chain: c.PointCode, At: s.Now(), ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: "case." + action, Object: "case:" + c.Number, Outcome: "ok", Detail: string(detail)}); err != nil {
		return err
	}
	if c.Applicant.UserID != nil || c.Applicant.Phone != "" {
		// The step's own data (missing materials, reasons, dates, the issue
		// method) goes with it, so that the message can say what to do.
		fields := make(map[string]any, len(data)+8)
		maps.Copy(fields, data)
		fields["case"], fields["item"], fields["state"], fields["action"] = c.Number, c.ItemName, to, action
		fields["department"], fields["point"] = c.DepartmentCode, c.PointCode
		if c.PromisedDue != "" {
			fields["promised_due"] = c.PromisedDue
		}
		if _, named := fields["waived"]; !named && to == Accepted && len(c.Waived) > 0 {
			fields["waived"], fields["waiver_due"] = c.Waived, c.WaiverDue
		}
		if err := outbox.Add(ctx, tx, now, "case."+action, fields, applicantRecipient(c.Applicant, c.PointCode)); err != nil {
			return err
		}
	}
	return nil
}
