package finance

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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

// Service runs the platform and the fund on a database.
type Service struct {
	db       *store.DB
	calendar workday.Calendar
	// Now is the server's clock: answer days and bridge-loan days start from it.
	Now clock.Clock
}

// NewService returns a Service counting answer days on cal.
func NewService(db *store.DB, cal workday.Calendar, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, calendar: cal, Now: clk}
}

func (s *Service) today() string { return workday.FormatDate(workday.DateOf(s.Now())) }

func errAdminOnly() error {
	return apperr.RoleNotAllowed(apperr.M("只有系统管理员可以执行此操作", "only administrators may do this"))
}

func isEnterprise(u auth.User) bool {
	return u.Role == auth.RoleApplicant && u.Kind == auth.KindEnterprise && u.CreditCode != "" && !u.Disabled
}

func errEnterpriseOnly() error {
	return apperr.RoleNotAllowed(apperr.M("只有企业账号可以办理融资业务", "only enterprise accounts do this"))
}

// PutInstitution adds or renames an institution (administrators).
func (s *Service) PutInstitution(ctx context.Context, actor auth.User, in Institution) error {
	if actor.Role != auth.RoleAdmin {
		return errAdminOnly()
	}
	var f apperr.Fields
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if in.Code == "" || len(in.Code) > 64 {
		f.Add("code", "required", apperr.M("请填写机构编码（不超过64个字符）", "code is required (at most 64 characters)"))
	}
	checkText(&f, "name", in.Name, 100, true)
	if in.AnswerDays < 1 || in.AnswerDays > 60 {
		f.Add("answer_days", "range", apperr.M("答复时限为1到60个工作日", "answer_days is 1 to 60 working days"))
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO fin_institutions (code, name, answer_days, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, answer_days = excluded.answer_days`,
			in.Code, in.Name, in.AnswerDays, store.FormatTime(now)); err != nil {
			return apperr.Wrap(err, "finance: put institution")
		}
		return s.audit(ctx, tx, actor, "finance.institution_put", "fin_institution:"+in.Code, map[string]any{"answer_days": in.AnswerDays}, now)
	})
}

// AddOfficer binds a finance_officer user to an institution (administrators).
func (s *Service) AddOfficer(ctx context.Context, actor auth.User, institution string, user auth.User) error {
	if actor.Role != auth.RoleAdmin {
		return errAdminOnly()
	}
	if user.Role != auth.RoleFinanceOfficer {
		var f apperr.Fields
		f.Add("user_id", "role", apperr.M("该用户不是金融机构人员", "the user is not a financial institution officer"))
		return f.Err()
	}
	now := s.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.institution(ctx, tx, institution); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fin_officers (institution_code, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			institution, user.ID); err != nil {
			return apperr.Wrap(err, "finance: add officer")
		}
		return s.audit(ctx, tx, actor, "finance.officer_added", "fin_institution:"+institution, map[string]any{"user_id": user.ID}, now)
	})
}

// Institutions lists every institution.
func (s *Service) Institutions(ctx context.Context) ([]Institution, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, answer_days FROM fin_institutions ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: institutions")
	}
	defer rows.Close()
	out := []Institution{}
	for rows.Next() {
		var in Institution
		if err := rows.Scan(&in.Code, &in.Name, &in.AnswerDays); err != nil {
			return nil, apperr.Wrap(err, "finance: institutions")
		}
		out = append(out, in)
	}
	return out, apperr.Wrap(rows.Err(), "finance: institutions")
}

func (s *Service) institution(ctx context.Context, q store.Querier, code string) (Institution, error) {
	in := Institution{Code: code}
	err := q.QueryRowContext(ctx, `SELECT name, answer_days FROM fin_institutions WHERE code = ?`, code).Scan(&in.Name, &in.AnswerDays)
	if errors.Is(err, sql.ErrNoRows) {
		return in, apperr.NotFoundf("institution_not_found", apperr.M("没有这个金融机构", "no such institution"))
	}
	return in, apperr.Wrap(err, "finance: institution")
}

// InstitutionOf returns the institution an officer acts for, or a
// role_not_allowed refusal for anyone else.
func (s *Service) InstitutionOf(ctx context.Context, actor auth.User) (Institution, error) {
	if actor.Role != auth.RoleFinanceOfficer || actor.Disabled {
		return Institution{}, apperr.RoleNotAllowed(apperr.M("只有金融机构人员可以执行此操作", "only financial institution officers may do this"))
	}
	var code string
	err := s.db.QueryRowContext(ctx, `SELECT institution_code FROM fin_officers WHERE user_id = ? ORDER BY institution_code LIMIT 1`, actor.ID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("您的账号尚未绑定金融机构", "your account is bound to no institution"))
		e.Denied = true
		return Institution{}, e
	}
	if err != nil {
		return Institution{}, apperr.Wrap(err, "finance: officer")
	}
	return s.institution(ctx, s.db, code)
}

func checkText(f *apperr.Fields, field, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && required:
		f.Add(field, "required", apperr.M("请填写"+field, field+" is required"))
	case n > max:
		f.Add(field, "too_long", apperr.M(fmt.Sprintf("%s不超过%d字", field, max), fmt.Sprintf("%s has at most %d characters", field, max)))
	}
}

func checkList(f *apperr.Fields, field string, values []string, known func(string) bool) []string {
	out := []string{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !known(v) {
			f.Add(field, "unknown", apperr.M(field+"含未知的值："+v, field+" has an unknown value: "+v))
			return out
		}
		out = append(out, v)
	}
	return out
}

func knownCollateral(v string) bool { _, ok := CollateralNames[v]; return ok }
func knownIndustry(v string) bool   { _, ok := Industries[v]; return ok }
func regionCode(v string) bool {
	if len(v) < 2 || len(v) > 12 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// audit appends the audit record of an action, in the caller's transaction.
func (s *Service) audit(ctx context.Context, tx *store.Tx, actor auth.User, action, object string, detail map[string]any, now time.Time) error {
	raw, _ := json.Marshal(detail)
	_, err := audit.Append(ctx, tx, audit.Record{At: now, ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: object, Outcome: audit.OK, Detail: string(raw)})
	return err
}

// allocateNumber returns the next number of kind (RZSQ, ZZJ) on the day of now in China.
func allocateNumber(ctx context.Context, tx *store.Tx, kind string, now time.Time) (string, error) {
	day := workday.DateOf(now).Format("20060102")
	var n int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO fin_counters (kind, day, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, day) DO UPDATE SET last = fin_counters.last + 1
		RETURNING last`, kind, day).Scan(&n)
	if err != nil {
		return "", apperr.Wrap(err, "finance: allocate number")
	}
	return fmt.Sprintf("%s-%s-%04d", kind, day, n), nil
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out)
	return out
}
