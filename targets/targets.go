// Package targets holds 民生实事: the province's yearly public-service targets,
// the responsible departments' progress reports with evidence, and how each stands.
package targets

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Target is one yearly target. Quantities are whole units; DoneOn is the
// day the reported quantity first reached the target.
type Target struct {
	ID             int64     `json:"id"`
	Year           int       `json:"year"`
	Name           string    `json:"name"`
	DepartmentCode string    `json:"department_code"`
	Unit           string    `json:"unit"`
	Quantity       int64     `json:"quantity"`
	Deadline       string    `json:"deadline"`
	DoneQuantity   int64     `json:"done_quantity"`
	DoneOn         string    `json:"done_on,omitempty"`
	Standing       Standing  `json:"standing"`
	Percent        int       `json:"percent"` // 0–100, rounded down; 100 only when done
	UpdatedAt      time.Time `json:"updated_at"`
}

// Standing is how a target stands on a day.
type Standing string

const (
	OnTrack    Standing = "on_track"     // not done, deadline not passed
	DoneOnTime Standing = "done_on_time" // reached on or before the deadline
	DoneLate   Standing = "done_late"    // reached after the deadline
	Overdue    Standing = "overdue"      // not reached and the deadline has passed
)

// StandingNames labels each standing.
var StandingNames = map[Standing]apperr.Msg{
	OnTrack: apperr.M("推进中", "on track"), DoneOnTime: apperr.M("按期完成", "done on time"),
	DoneLate: apperr.M("逾期完成", "done late"), Overdue: apperr.M("逾期未完成", "overdue"),
}

// Judge returns the standing and the percentage done of a target on today
// (all dates YYYY-MM-DD). The deadline is a whole day.
func Judge(quantity, done int64, deadline, doneOn, today string) (Standing, int) {
	pct := 0
	if quantity > 0 {
		pct = int(min(done, quantity) * 100 / quantity)
	}
	switch {
	case doneOn != "" && doneOn <= deadline:
		return DoneOnTime, 100
	case doneOn != "":
		return DoneLate, 100
	case today > deadline:
		return Overdue, pct
	}
	return OnTrack, min(pct, 99)
}

// Report is one progress report: the quantity done so far, with evidence.
type Report struct {
	ID             int64     `json:"id"`
	TargetID       int64     `json:"target_id"`
	ReportedOn     string    `json:"reported_on"`
	DoneQuantity   int64     `json:"done_quantity"`
	Note           string    `json:"note,omitempty"`
	EvidenceSHA256 string    `json:"evidence_sha256,omitempty"`
	EvidenceName   string    `json:"evidence_name,omitempty"`
	ActorName      string    `json:"actor_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// Service keeps targets on a database.
type Service struct {
	db  *store.DB
	Now clock.Clock
}

// NewService returns a Service reading today from clk.
func NewService(db *store.DB, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, Now: clk}
}

func (s *Service) today() string { return workday.FormatDate(workday.DateOf(s.Now())) }

// TargetInput is what an administrator writes to set a target.
type TargetInput struct {
	Year           int    `json:"year"`
	Name           string `json:"name"`
	DepartmentCode string `json:"department_code"`
	Unit           string `json:"unit"`
	Quantity       int64  `json:"quantity"`
	Deadline       string `json:"deadline"`
}

func checkText(f *apperr.Fields, field, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && required:
		f.Add(field, "required", apperr.M("请填写"+field, field+" is required"))
	case n > max:
		f.Add(field, "too_long", apperr.M(field+"不超过"+strconv.Itoa(max)+"字", field+" has at most "+strconv.Itoa(max)+" characters"))
	}
}

// Create sets a target (administrators).
func (s *Service) Create(ctx context.Context, actor auth.User, in TargetInput) (Target, error) {
	if actor.Role != auth.RoleAdmin {
		return Target{}, apperr.RoleNotAllowed(apperr.M("只有系统管理员可以设定民生实事目标", "only administrators set targets"))
	}
	var f apperr.Fields
	in.Name, in.Unit, in.DepartmentCode = strings.TrimSpace(in.Name), strings.TrimSpace(in.Unit), strings.TrimSpace(in.DepartmentCode)
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "range", apperr.M("年度为2000到2100", "year is 2000 to 2100"))
	}
	checkText(&f, "name", in.Name, 200, true)
	checkText(&f, "department_code", in.DepartmentCode, 64, true)
	checkText(&f, "unit", in.Unit, 10, true)
	if in.Quantity <= 0 {
		f.Add("quantity", "positive", apperr.M("目标数量须大于零", "quantity must be positive"))
	}
	if _, err := workday.ParseDate(in.Deadline); err != nil {
		f.Add("deadline", "format", apperr.M("完成期限格式为 YYYY-MM-DD", "deadline is YYYY-MM-DD"))
	}
	if err := f.Err(); err != nil {
		return Target{}, err
	}
	now := s.Now()
	t := Target{Year: in.Year, Name: in.Name, DepartmentCode: in.DepartmentCode, Unit: in.Unit, Quantity: in.Quantity, Deadline: in.Deadline, UpdatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO tgt_targets (year, name, department_code, unit, quantity, deadline, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.Year, t.Name, t.DepartmentCode, t.Unit, t.Quantity, t.Deadline,
			store.FormatTime(now), store.FormatTime(now)).Scan(&t.ID)
		if err != nil {
			return apperr.Wrap(err, "targets: insert")
		}
		return record(ctx, tx, actor, "target.created", t.ID, map[string]any{"name": t.Name, "quantity": t.Quantity, "deadline": t.Deadline}, now)
	})
	t.Standing, t.Percent = Judge(t.Quantity, 0, t.Deadline, "", s.today())
	return t, err
}

func record(ctx context.Context, tx *store.Tx, actor auth.User, action string, id int64, detail map[string]any, now time.Time) error {
	raw, _ := json.Marshal(detail)
	_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: "target:" + strconv.FormatInt(id, 10), Outcome: audit.OK, Detail: string(raw)})
	return err
}

// ReportInput is a department's progress report. DoneQuantity is the total
// done so far, not the increment, so a repeated report changes nothing.
type ReportInput struct {
	DoneQuantity   int64  `json:"done_quantity"`
	Note           string `json:"note,omitempty"`
	EvidenceSHA256 string `json:"evidence_sha256,omitempty"` // an uploaded file in the file store
	EvidenceName   string `json:"evidence_name,omitempty"`
}

// ReportProgress records progress on a target: by a reviewer of the
// responsible department or an administrator. The first report that reaches
// the quantity sets the day the target was done.
func (s *Service) ReportProgress(ctx context.Context, actor auth.User, id int64, in ReportInput) (Target, error) {
	if actor.Role != auth.RoleReviewer && actor.Role != auth.RoleAdmin {
		return Target{}, apperr.RoleNotAllowed(apperr.M("只有责任部门的工作人员可以报送进度", "only the responsible department reports progress"))
	}
	var f apperr.Fields
	in.Note = strings.TrimSpace(in.Note)
	in.EvidenceName = strings.TrimSpace(in.EvidenceName)
	if in.DoneQuantity < 0 {
		f.Add("done_quantity", "negative", apperr.M("完成数量不能为负数", "done_quantity cannot be negative"))
	}
	checkText(&f, "note", in.Note, 1000, false)
	checkText(&f, "evidence_name", in.EvidenceName, 200, false)
	if in.EvidenceSHA256 != "" && len(in.EvidenceSHA256) != 64 {
		f.Add("evidence_sha256", "format", apperr.M("佐证材料的编号无效", "evidence_sha256 is not a file's SHA-256"))
	}
	if err := f.Err(); err != nil {
		return Target{}, err
	}
	now := s.Now()
	today := s.today()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if actor.Role == auth.RoleReviewer && actor.DepartmentCode != t.DepartmentCode {
			e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该目标不由您所在的部门负责", "your department is not responsible for this target"))
			e.Denied = true
			return e
		}
		doneOn := t.DoneOn
		if doneOn == "" && in.DoneQuantity >= t.Quantity {
			doneOn = today
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tgt_targets SET done_quantity = ?, done_on = ?, updated_at = ? WHERE id = ?`,
			in.DoneQuantity, doneOn, store.FormatTime(now), id); err != nil {
			return apperr.Wrap(err, "targets: update")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tgt_reports (target_id, reported_on, done_quantity, note, evidence_sha256, evidence_name,
			actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, today, in.DoneQuantity, in.Note,
			in.EvidenceSHA256, in.EvidenceName, actor.ID, actor.Name, store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "targets: insert report")
		}
		return record(ctx, tx, actor, "target.progress", id, map[string]any{"done_quantity": in.DoneQuantity, "evidence": in.EvidenceSHA256}, now)
	})
	if err != nil {
		return Target{}, err
	}
	return s.Get(ctx, id)
}

const columns = `id, year, name, department_code, unit, quantity, deadline, done_quantity, done_on, updated_at`

func scan(row interface{ Scan(...any) error }) (Target, error) {
	var t Target
	var updated string
	err := row.Scan(&t.ID, &t.Year, &t.Name, &t.DepartmentCode, &t.Unit, &t.Quantity, &t.Deadline, &t.DoneQuantity, &t.DoneOn, &updated)
	t.UpdatedAt = store.ParseTime(updated)
	return t, err
}

func load(ctx context.Context, q store.Querier, id int64) (Target, error) {
	t, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM tgt_targets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.NotFoundf("target_not_found", apperr.M("没有这项民生实事", "no such target"))
	}
	return t, apperr.Wrap(err, "targets: load")
}

// Get returns one target as it stands today. Targets are public.
func (s *Service) Get(ctx context.Context, id int64) (Target, error) {
	t, err := load(ctx, s.db, id)
	t.Standing, t.Percent = Judge(t.Quantity, t.DoneQuantity, t.Deadline, t.DoneOn, s.today())
	return t, err
}

// Year lists a year's targets as they stand today, optionally of one department.
func (s *Service) Year(ctx context.Context, year int, department string) ([]Target, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM tgt_targets WHERE year = ? AND (? = '' OR department_code = ?)
		ORDER BY department_code, id`, year, department, department)
	if err != nil {
		return nil, apperr.Wrap(err, "targets: year")
	}
	defer rows.Close()
	today := s.today()
	out := []Target{}
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "targets: year")
		}
		t.Standing, t.Percent = Judge(t.Quantity, t.DoneQuantity, t.Deadline, t.DoneOn, today)
		out = append(out, t)
	}
	return out, apperr.Wrap(rows.Err(), "targets: year")
}

// Reports lists a target's progress reports, newest first.
func (s *Service) Reports(ctx context.Context, id int64) ([]Report, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, target_id, reported_on, done_quantity, note, evidence_sha256, evidence_name, actor_name, created_at
		FROM tgt_reports WHERE target_id = ? ORDER BY id DESC`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "targets: reports")
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		var r Report
		var created string
		if err := rows.Scan(&r.ID, &r.TargetID, &r.ReportedOn, &r.DoneQuantity, &r.Note, &r.EvidenceSHA256, &r.EvidenceName, &r.ActorName, &created); err != nil {
			return nil, apperr.Wrap(err, "targets: reports")
		}
		r.CreatedAt = store.ParseTime(created)
		out = append(out, r)
	}
	return out, apperr.Wrap(rows.Err(), "targets: reports")
}

// DepartmentSummary counts a department's targets by standing.
type DepartmentSummary struct {
	DepartmentCode string `json:"department_code"`
	Targets        int    `json:"targets"`
	OnTrack        int    `json:"on_track"`
	DoneOnTime     int    `json:"done_on_time"`
	DoneLate       int    `json:"done_late"`
	Overdue        int    `json:"overdue"`
}

func (d *DepartmentSummary) count(s Standing) {
	switch s {
	case OnTrack:
		d.OnTrack++
	case DoneOnTime:
		d.DoneOnTime++
	case DoneLate:
		d.DoneLate++
	case Overdue:
		d.Overdue++
	}
}

// Summarise groups targets by department, in the order given.
func Summarise(list []Target) []DepartmentSummary {
	out := []DepartmentSummary{}
	index := map[string]int{}
	for _, t := range list {
		i, ok := index[t.DepartmentCode]
		if !ok {
			i = len(out)
			index[t.DepartmentCode] = i
			out = append(out, DepartmentSummary{DepartmentCode: t.DepartmentCode})
		}
		out[i].Targets++
		out[i].count(t.Standing)
	}
	return out
}
