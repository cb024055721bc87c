package finance

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Send sends one of the enterprise's needs to each of the products chosen.
// Each application's answer is due AnswerDays working days after today, on
// the working-day calendar. A product sent twice for one need is a 409.
func (s *Service) Send(ctx context.Context, actor auth.User, needID int64, productIDs []int64) ([]Application, error) {
	n, err := s.Need(ctx, actor, needID)
	if err != nil {
		return nil, err
	}
	if len(productIDs) == 0 || len(productIDs) > 10 {
		var f apperr.Fields
		f.Add("product_ids", "count", apperr.M("请选择1到10个产品", "choose 1 to 10 products"))
		return nil, f.Err()
	}
	now := s.Now()
	today := workday.DateOf(now)
	var ids []int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		ids = ids[:0]
		for _, pid := range productIDs {
			p, err := s.product(ctx, tx, pid)
			if err != nil {
				return err
			}
			if !p.ValidOn(workday.FormatDate(today)) {
				return apperr.New(apperr.Conflict, "product_not_offered", apperr.M("该产品不在有效期内", "the product is not offered today")).With("product_id", pid)
			}
			inst, err := s.institution(ctx, tx, p.InstitutionCode)
			if err != nil {
				return err
			}
			due, _ := s.calendar.Add(today, inst.AnswerDays)
			number, err := allocateNumber(ctx, tx, "RZSQ", now)
			if err != nil {
				return err
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO fin_applications (number, need_id, product_id, institution_code, status, version,
				sent_on, answer_due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
				ON CONFLICT (need_id, product_id) DO NOTHING RETURNING id`,
				number, n.ID, p.ID, p.InstitutionCode, string(Sent), workday.FormatDate(today), workday.FormatDate(due),
				store.FormatTime(now), store.FormatTime(now)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.Conflict, "already_sent", apperr.M("该需求已向此产品提交过申请", "the need was already sent to this product")).With("product_id", pid)
			}
			if err != nil {
				return apperr.Wrap(err, "finance: insert application")
			}
			ids = append(ids, id)
			payload := map[string]any{"application": number, "enterprise": n.EnterpriseName, "product": p.Name, "answer_due": workday.FormatDate(due)}
			if err := s.notifyOfficers(ctx, tx, p.InstitutionCode, "finance_application.sent", payload); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, "finance_application.sent", "fin_application:"+number, payload, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := []Application{}
	for _, id := range ids {
		a, err := s.Application(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *Service) notifyOfficers(ctx context.Context, tx *store.Tx, institution, topic string, payload map[string]any) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM fin_officers WHERE institution_code = ? ORDER BY user_id`, institution)
	if err != nil {
		return apperr.Wrap(err, "finance: officers")
	}
	var to []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return apperr.Wrap(err, "finance: officers")
		}
		to = append(to, outbox.User(id))
	}
	rows.Close()
	return outbox.Add(ctx, tx, s.Now(), topic, payload, to...)
}

const applicationColumns = `a.id, a.number, a.product_id, pr.name, a.institution_code, i.name, a.status, a.version, a.sent_on, a.answer_due,
	a.accepted_on, a.decided_on, a.approved_amount, a.disbursed_amount, a.disbursed_on, a.refusal_reason, a.created_at, ` + needColumns

const applicationFrom = ` FROM fin_applications a JOIN fin_needs n ON n.id = a.need_id JOIN fin_products pr ON pr.id = a.product_id
	JOIN fin_institutions i ON i.code = a.institution_code`

func (s *Service) scanApplication(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var created, ncoll, ncreated string
	n := &a.Need
	err := row.Scan(&a.ID, &a.Number, &a.ProductID, &a.ProductName, &a.InstitutionCode, &a.InstitutionName, &a.Status, &a.Version,
		&a.SentOn, &a.AnswerDue, &a.AcceptedOn, &a.DecidedOn, &a.ApprovedAmount, &a.DisbursedAmount, &a.DisbursedOn, &a.RefusalReason, &created,
		&n.ID, &n.EnterpriseID, &n.EnterpriseName, &n.CreditCode, &n.Industry, &n.RegionCode, &n.Amount, &n.Term, &n.Purpose, &ncoll, &ncreated)
	a.CreatedAt, n.Collateral, n.CreatedAt = store.ParseTime(created), parseList(ncoll), store.ParseTime(ncreated)
	a.Overdue = Overdue(a.Status, a.AnswerDue, s.today())
	return a, err
}

// partyFor says what actor is to a: the enterprise that sent it, an officer
// of the institution it was sent to, or (for administrators) a reader.
// Applicants see nothing else (404); other officers get out_of_scope.
func (s *Service) partyFor(ctx context.Context, q store.Querier, actor auth.User, a *Application) (Party, error) {
	switch {
	case isEnterprise(actor) && actor.CreditCode == a.Need.CreditCode:
		return PartyEnterprise, nil
	case actor.Role == auth.RoleApplicant:
		return PartyNone, apperr.NotFoundf("application_not_found", apperr.M("没有这份融资申请", "no such application"))
	case actor.Role == auth.RoleFinanceOfficer:
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM fin_officers WHERE user_id = ? AND institution_code = ?`, actor.ID, a.InstitutionCode).Scan(&one)
		if err == nil {
			return PartyInstitution, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return PartyNone, apperr.Wrap(err, "finance: officer")
		}
		e := apperr.New(apperr.Forbidden, "out_of_scope", apperr.M("该申请不是向您所在机构提交的", "the application was not sent to your institution"))
		e.Denied = true
		return PartyNone, e
	case actor.Role == auth.RoleAdmin:
		return PartyNone, nil
	}
	return PartyNone, apperr.RoleNotAllowed(apperr.M("您的角色不能查看融资申请", "your role may not see financing applications"))
}

// Application returns one application if actor may see it.
func (s *Service) Application(ctx context.Context, actor auth.User, id int64) (Application, error) {
	a, err := s.scanApplication(s.db.QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.NotFoundf("application_not_found", apperr.M("没有这份融资申请", "no such application"))
	}
	if err != nil {
		return a, apperr.Wrap(err, "finance: application")
	}
	_, err = s.partyFor(ctx, s.db, actor, &a)
	return a, err
}

// ApplicationFilter narrows a list; OverdueOnly is for the administrator's queue.
type ApplicationFilter struct {
	OverdueOnly bool
}

// Applications lists what actor may see, newest first: an enterprise its
// own, an officer those sent to the institution, an administrator all.
func (s *Service) Applications(ctx context.Context, actor auth.User, f ApplicationFilter) ([]Application, error) {
	where, args := "", []any{}
	switch {
	case isEnterprise(actor):
		where, args = " WHERE n.credit_code = ?", append(args, actor.CreditCode)
	case actor.Role == auth.RoleFinanceOfficer:
		where, args = " WHERE a.institution_code IN (SELECT institution_code FROM fin_officers WHERE user_id = ?)", append(args, actor.ID)
	case actor.Role == auth.RoleAdmin:
		where = " WHERE 1 = 1"
	default:
		return nil, apperr.RoleNotAllowed(apperr.M("您的角色不能查看融资申请", "your role may not see financing applications"))
	}
	if f.OverdueOnly {
		where += " AND a.status IN ('sent', 'accepted') AND a.answer_due < ?"
		args = append(args, s.today())
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+applicationColumns+applicationFrom+where+` ORDER BY a.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: applications")
	}
	defer rows.Close()
	out := []Application{}
	for rows.Next() {
		a, err := s.scanApplication(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "finance: applications")
		}
		out = append(out, a)
	}
	return out, apperr.Wrap(rows.Err(), "finance: applications")
}

// ActInput carries what a step needs.
type ActInput struct {
	Version *int   `json:"version,omitempty"`
	Amount  int64  `json:"amount,omitempty"` // approve: the amount approved; disburse: the amount paid out
	Reason  string `json:"reason,omitempty"` // refuse: required
}

// Act takes one step on an application, in one transaction.
func (s *Service) Act(ctx context.Context, actor auth.User, id int64, action Action, in ActInput) (Application, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var f apperr.Fields
	switch action {
	case ActApprove, ActDisburse:
		if in.Amount <= 0 {
			f.Add("amount", "positive", apperr.M("金额须大于零", "the amount must be positive"))
		}
	case ActRefuse:
		checkText(&f, "reason", in.Reason, 1000, true)
	}
	if err := f.Err(); err != nil {
		return Application{}, err
	}
	now := s.Now()
	today := s.today()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		lock := ""
		if tx.Dialect() == store.Postgres {
			lock = " FOR UPDATE OF a"
		}
		a, err := s.scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE a.id = ?`+lock, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFoundf("application_not_found", apperr.M("没有这份融资申请", "no such application"))
		}
		if err != nil {
			return apperr.Wrap(err, "finance: application")
		}
		party, err := s.partyFor(ctx, tx, actor, &a)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != a.Version {
			return apperr.New(apperr.Conflict, "application_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the application was changed; reload and try again")).
				With("status", a.Status).With("version", a.Version)
		}
		to, err := Next(a.Status, action, party)
		if err != nil {
			return err
		}
		switch action {
		case ActAccept:
			a.AcceptedOn = today
		case ActApprove:
			a.DecidedOn, a.ApprovedAmount = today, in.Amount
		case ActDisburse:
			if in.Amount > a.ApprovedAmount {
				var f apperr.Fields
				f.Add("amount", "over_approved", apperr.M("放款金额不能超过审批金额", "cannot pay out more than approved"))
				return f.Err()
			}
			a.DisbursedAmount, a.DisbursedOn = in.Amount, today
		case ActRefuse:
			a.DecidedOn, a.RefusalReason = today, in.Reason
		}
		res, err := tx.ExecContext(ctx, `UPDATE fin_applications SET status = ?, version = version + 1, accepted_on = ?, decided_on = ?,
			approved_amount = ?, disbursed_amount = ?, disbursed_on = ?, refusal_reason = ?, updated_at = ? WHERE id = ? AND version = ?`,
			string(to), a.AcceptedOn, a.DecidedOn, a.ApprovedAmount, a.DisbursedAmount, a.DisbursedOn, a.RefusalReason, store.FormatTime(now), a.ID, a.Version)
		if err != nil {
			return apperr.Wrap(err, "finance: update application")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "application_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the application was changed; reload and try again"))
		}
		payload := map[string]any{"application": a.Number, "product": a.ProductName, "institution": a.InstitutionName, "status": to}
		if party == PartyInstitution {
			if err := outbox.Add(ctx, tx, now, "finance_application."+string(action), payload, outbox.User(a.Need.EnterpriseID)); err != nil {
				return err
			}
		}
		detail := map[string]any{"from": a.Status, "to": to, "amount": in.Amount}
		if in.Reason != "" {
			detail["reason"] = in.Reason
		}
		return s.audit(ctx, tx, actor, "finance_application."+string(action), "fin_application:"+a.Number, detail, now)
	})
	if err != nil {
		return Application{}, err
	}
	return s.Application(ctx, actor, id)
}
