// Package delegation lets an enterprise's legal representative register it
// online by its 统一社会信用代码 and authorise people to act for it
// (经办人), each until an end date or until withdrawn. People acting for an
// enterprise see and act on its cases and requests: WithAgency puts the
// enterprises a person may act for today on the person (auth.User.ActsFor),
// and the scope rules of cases and enterprise requests read it there.
package delegation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// MaxTerm is the longest an authorisation may run.
const MaxTerm = 3 * 366 * 24 * time.Hour

// Service registers enterprises and keeps their agents.
type Service struct {
	db    *store.DB
	users *auth.Store
	clk   clock.Clock
}

// NewService returns a Service.
func NewService(db *store.DB, users *auth.Store, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, users: users, clk: clk}
}

// Enterprise is a registered enterprise with its agents.
type Enterprise struct {
	CreditCode string    `json:"credit_code"`
	Name       string    `json:"name"`
	LegalRep   string    `json:"legal_rep"` // the legal representative's name
	CreatedAt  time.Time `json:"created_at"`
	// Mine: the caller is the legal representative (and may authorise).
	Mine   bool    `json:"mine"`
	Agents []Agent `json:"agents"`
}

// Agent is one authorisation to act for an enterprise.
type Agent struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	IDNumber    string    `json:"id_number"` // masked
	EndsOn      string    `json:"ends_on"`   // the last China day it holds, YYYY-MM-DD
	GrantedAt   time.Time `json:"granted_at"`
	WithdrawnAt string    `json:"withdrawn_at,omitempty"`
	Live        bool      `json:"live"`
	userID      int64
}

// RegisterRequest registers an enterprise.
type RegisterRequest struct {
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
}

func errNotVerified() error {
	return apperr.New(apperr.Forbidden, "identity_not_verified", apperr.M(
		"只有经实名核验的账号（窗口核验或统一身份认证登录）才能以法定代表人身份登记企业。",
		"Only an account whose holder was verified (at a window or through the identity service) may register an enterprise as its legal representative."))
}

// Register records actor, a verified person, as the legal representative
// of an enterprise. Errors: Invalid with field errors; Forbidden
// "role_not_allowed" (not a person applicant) or "identity_not_verified";
// Conflict "enterprise_registered".
func (s *Service) Register(ctx context.Context, actor auth.User, req RegisterRequest, client string) (Enterprise, error) {
	if actor.Role != auth.RoleApplicant || actor.Kind != auth.KindPerson || actor.Disabled {
		return Enterprise{}, apperr.RoleNotAllowed(apperr.M("只有个人申请人可以以法定代表人身份登记企业", "only a person applicant may register an enterprise as its legal representative"))
	}
	var f apperr.Fields
	code, err := ident.CreditCode(req.CreditCode)
	if strings.TrimSpace(req.CreditCode) == "" {
		f.Add("credit_code", "required", apperr.M("请填写统一社会信用代码", "the unified social credit code is required"))
	} else if err != nil {
		reason, msg := ident.Problem(err)
		f.Add("credit_code", reason, msg)
	}
	name := strings.TrimSpace(req.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add("name", "required", apperr.M("请填写企业名称", "the enterprise's name is required"))
	case n > 100:
		f.Add("name", "too_long", apperr.M("企业名称不能超过100个字", "the name must be at most 100 characters"))
	}
	if err := f.Err(); err != nil {
		return Enterprise{}, err
	}
	if actor.IdentityUnverified {
		return Enterprise{}, errNotVerified()
	}
	e := Enterprise{CreditCode: code, Name: name, LegalRep: actor.Name, CreatedAt: s.clk.Now().UTC().Truncate(time.Microsecond), Mine: true, Agents: []Agent{}}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE credit_code = ?`, code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "enterprise_registered", apperr.M("该统一社会信用代码的企业已登记", "an enterprise with this credit code is registered already"))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprises (credit_code, name, legal_rep_user_id, created_at) VALUES (?, ?, ?, ?)`,
			code, name, actor.ID, store.FormatTime(e.CreatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "enterprise.register", code, client, map[string]any{"name": name})
	})
	if err != nil {
		return Enterprise{}, apperr.Wrap(err, "delegation: register")
	}
	return e, nil
}

// AuthoriseRequest names the person to authorise and the last day.
type AuthoriseRequest struct {
	IDNumber string `json:"id_number"`
	EndsOn   string `json:"ends_on"` // YYYY-MM-DD, China
}

func errNotLegalRep() error {
	return apperr.RoleNotAllowed(apperr.M("只有企业的法定代表人可以授权或管理经办人", "only the enterprise's legal representative may authorise agents"))
}

func errNoEnterprise() error {
	return apperr.NotFoundf("enterprise_not_found", apperr.M("没有这个企业登记", "no such registered enterprise"))
}

// Authorise lets the person holding an ID number act for the enterprise
// until endsOn; an authorisation of the same person still running is
// replaced. Only the legal representative may. Errors: Invalid with field
// errors (id_number, ends_on); NotFound "enterprise_not_found"; Forbidden
// "role_not_allowed".
func (s *Service) Authorise(ctx context.Context, actor auth.User, creditCode string, req AuthoriseRequest, client string) (Agent, error) {
	var f apperr.Fields
	number, err := ident.IDCard(req.IDNumber)
	if strings.TrimSpace(req.IDNumber) == "" {
		f.Add("id_number", "required", apperr.M("请填写经办人的居民身份证号码", "the agent's resident ID card number is required"))
	} else if err != nil {
		reason, msg := ident.Problem(err)
		f.Add("id_number", reason, msg)
	}
	today := s.clk.Today()
	ends, err := time.Parse("2006-01-02", strings.TrimSpace(req.EndsOn))
	switch {
	case strings.TrimSpace(req.EndsOn) == "":
		f.Add("ends_on", "required", apperr.M("请填写授权截止日期", "the end date is required"))
	case err != nil:
		f.Add("ends_on", "format", apperr.M("截止日期格式应为 YYYY-MM-DD", "the end date is YYYY-MM-DD"))
	case ends.Before(today):
		f.Add("ends_on", "past", apperr.M("截止日期不能早于今天", "the end date must not be before today"))
	case ends.After(today.Add(MaxTerm)):
		f.Add("ends_on", "too_far", apperr.M("授权期限最长三年", "an authorisation runs three years at most"))
	}
	if err := f.Err(); err != nil {
		return Agent{}, err
	}
	var a Agent
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.checkLegalRep(ctx, tx, actor, creditCode); err != nil {
			return err
		}
		agent, err := s.users.PersonByIDNumber(ctx, tx, number)
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.Fields{apperr.Field("id_number", "no_account", apperr.M("该身份证号码尚无个人账号，请经办人先注册", "no person has an account with this ID number; the agent registers first"))}.Err()
		} else if err != nil {
			return err
		}
		if agent.ID == actor.ID {
			return apperr.Fields{apperr.Field("id_number", "self", apperr.M("法定代表人无需授权自己", "the legal representative needs no authorisation"))}.Err()
		}
		now := s.clk.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_agents SET withdrawn_at = ?, withdrawn_by = ? WHERE credit_code = ? AND user_id = ? AND `+store.NotYet(tx.Dialect(), "withdrawn_at"),
			store.FormatTime(now), actor.ID, creditCode, agent.ID); err != nil {
			return err
		}
		a = Agent{Name: agent.Name, IDNumber: ident.MaskID(agent.IDNumber), EndsOn: ends.Format("2006-01-02"), GrantedAt: now, Live: true, userID: agent.ID}
		if err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_agents (credit_code, user_id, ends_on, granted_by, granted_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			creditCode, agent.ID, a.EndsOn, actor.ID, store.FormatTime(now)).Scan(&a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "enterprise.agent.authorise", creditCode, client, map[string]any{"agent": agent.ID, "ends_on": a.EndsOn})
	})
	if err != nil {
		return Agent{}, apperr.Wrap(err, "delegation: authorise")
	}
	return a, nil
}

// Withdraw ends an authorisation at once: the legal representative may
// withdraw any of the enterprise's, an agent their own. Errors: NotFound
// "agent_not_found" (also for an authorisation the caller has no part in).
func (s *Service) Withdraw(ctx context.Context, actor auth.User, creditCode string, agentID int64, client string) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var userID int64
		var legalRep int64
		err := tx.QueryRowContext(ctx, `SELECT a.user_id, e.legal_rep_user_id FROM enterprise_agents a JOIN enterprises e ON e.credit_code = a.credit_code
			WHERE a.id = ? AND a.credit_code = ? AND `+store.NotYet(tx.Dialect(), "a.withdrawn_at"), agentID, creditCode).Scan(&userID, &legalRep)
		if err != nil || (actor.ID != userID && actor.ID != legalRep) {
			if err != nil && !isNoRows(err) {
				return err
			}
			return apperr.NotFoundf("agent_not_found", apperr.M("没有这项有效的授权", "no such running authorisation"))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_agents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?`,
			store.FormatTime(s.clk.Now().UTC()), actor.ID, agentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "enterprise.agent.withdraw", creditCode, client, map[string]any{"agent": userID, "authorisation": agentID})
	})
	return apperr.Wrap(err, "delegation: withdraw")
}

func (s *Service) checkLegalRep(ctx context.Context, q store.Querier, actor auth.User, creditCode string) error {
	var legalRep int64
	err := q.QueryRowContext(ctx, `SELECT legal_rep_user_id FROM enterprises WHERE credit_code = ?`, creditCode).Scan(&legalRep)
	if isNoRows(err) {
		return errNoEnterprise()
	} else if err != nil {
		return err
	}
	if legalRep != actor.ID || actor.Disabled {
		return errNotLegalRep()
	}
	return nil
}

// WithAgency returns u with the enterprises it may act for today
// (auth.User.ActsFor): those it represents and those with a running
// authorisation. Only person applicants act for enterprises.
func (s *Service) WithAgency(ctx context.Context, u auth.User) (auth.User, error) {
	u = u.WithActsFor(nil)
	if u.Role != auth.RoleApplicant || u.Kind != auth.KindPerson || u.Disabled {
		return u, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT credit_code FROM enterprises WHERE legal_rep_user_id = ?
		UNION SELECT credit_code FROM enterprise_agents WHERE user_id = ? AND `+store.NotYet(s.db.Dialect(), "withdrawn_at")+` AND ends_on >= ?
		ORDER BY 1`, u.ID, u.ID, s.clk.Today().Format("2006-01-02"))
	if err != nil {
		return u, apperr.Wrap(err, "delegation: agency")
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return u, apperr.Wrap(err, "delegation: agency")
		}
		codes = append(codes, code)
	}
	if err := rows.Err(); err != nil {
		return u, apperr.Wrap(err, "delegation: agency")
	}
	return u.WithActsFor(codes), nil
}

// Mine lists the enterprises actor represents (with every authorisation)
// and those actor acts for (with actor's own).
func (s *Service) Mine(ctx context.Context, actor auth.User) ([]Enterprise, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.credit_code, e.name, u.name, e.created_at, e.legal_rep_user_id FROM enterprises e JOIN users u ON u.id = e.legal_rep_user_id
		WHERE e.legal_rep_user_id = ? OR e.credit_code IN (SELECT credit_code FROM enterprise_agents WHERE user_id = ?)
		ORDER BY e.name, e.credit_code`, actor.ID, actor.ID)
	if err != nil {
		return nil, apperr.Wrap(err, "delegation: mine")
	}
	var out []Enterprise
	for rows.Next() {
		var e Enterprise
		var created string
		var rep int64
		if err := rows.Scan(&e.CreditCode, &e.Name, &e.LegalRep, &created, &rep); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "delegation: mine")
		}
		e.CreatedAt, e.Mine = store.ParseTime(created), rep == actor.ID
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "delegation: mine")
	}
	today := s.clk.Today().Format("2006-01-02")
	for i := range out {
		agents, err := s.agents(ctx, out[i].CreditCode, today)
		if err != nil {
			return nil, err
		}
		out[i].Agents = []Agent{}
		for _, a := range agents {
			if out[i].Mine || a.userID == actor.ID {
				out[i].Agents = append(out[i].Agents, a)
			}
		}
	}
	return out, nil
}

func (s *Service) agents(ctx context.Context, creditCode, today string) ([]Agent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.user_id, u.name, u.id_number, a.ends_on, a.granted_at, a.withdrawn_at
		FROM enterprise_agents a JOIN users u ON u.id = a.user_id WHERE a.credit_code = ? ORDER BY a.withdrawn_at NULLS FIRST, a.id DESC`, creditCode)
	if err != nil {
		return nil, apperr.Wrap(err, "delegation: agents")
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		var granted string
		if err := rows.Scan(&a.ID, &a.userID, &a.Name, &a.IDNumber, &a.EndsOn, &granted, &a.WithdrawnAt); err != nil {
			return nil, apperr.Wrap(err, "delegation: agents")
		}
		a.IDNumber, a.GrantedAt = ident.MaskID(a.IDNumber), store.ParseTime(granted)
		a.Live = a.WithdrawnAt == "" && a.EndsOn >= today
		out = append(out, a)
	}
	return out, apperr.Wrap(rows.Err(), "delegation: agents")
}

func (s *Service) audit(ctx context.Context, tx *store.Tx, actor auth.User, action, creditCode, client string, detail map[string]any) error {
	d, _ := json.Marshal(detail)
	_, err := audit.Append(ctx, tx, audit.Record{At: s.clk.Now(), ActorID: actor.ID, Actor: actor.Username, Role: string(actor.Role),
		Action: action, Object: "enterprise:" + creditCode, Outcome: audit.OK, Detail: string(d), IP: client})
	return err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
