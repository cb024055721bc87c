package finance

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// PutFund sets up the fund or changes its rules (administrators). Changing
// the capital moves the balance by the same amount; a balance that would go
// below zero is refused.
func (s *Service) PutFund(ctx context.Context, actor auth.User, f Fund) error {
	if actor.Role != auth.RoleAdmin {
		return errAdminOnly()
	}
	var fe apperr.Fields
	f.Code, f.Name = strings.TrimSpace(f.Code), strings.TrimSpace(f.Name)
	if f.Code == "" {
		fe.Add("code", "required", apperr.M("请填写周转金编码", "code is required"))
	}
	checkText(&fe, "name", f.Name, 100, true)
	if f.Capital <= 0 {
		fe.Add("capital", "positive", apperr.M("资金规模须大于零", "capital must be positive"))
	}
	if f.LimitPerEnterprise <= 0 {
		fe.Add("limit_per_enterprise", "positive", apperr.M("每户额度须大于零", "limit_per_enterprise must be positive"))
	}
	if f.MaxDays < 1 || f.MaxDays > 365 {
		fe.Add("max_days", "range", apperr.M("最长使用天数为1到365天", "max_days is 1 to 365"))
	}
	if f.FeeBPPerDay < 0 || f.FeeBPPerDay > 100 {
		fe.Add("fee_bp_per_day", "range", apperr.M("日费率为0到100个基点", "fee_bp_per_day is 0 to 100"))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	now := s.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO fin_funds (code, name, capital, balance, limit_per_enterprise, max_days, fee_bp_per_day, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, balance = fin_funds.balance + excluded.capital - fin_funds.capital,
				capital = excluded.capital, limit_per_enterprise = excluded.limit_per_enterprise, max_days = excluded.max_days,
				fee_bp_per_day = excluded.fee_bp_per_day, updated_at = excluded.updated_at`,
			f.Code, f.Name, f.Capital, f.Capital, f.LimitPerEnterprise, f.MaxDays, f.FeeBPPerDay, store.FormatTime(now))
		if err != nil {
			if strings.Contains(strings.ToLower(err.Error()), "check") {
				return apperr.New(apperr.Conflict, "fund_in_use", apperr.M("资金规模不能低于已借出的金额", "the capital cannot be below what is lent out"))
			}
			return apperr.Wrap(err, "finance: put fund")
		}
		return s.audit(ctx, tx, actor, "finance.fund_put", "fin_fund:"+f.Code, map[string]any{"capital": f.Capital,
			"limit_per_enterprise": f.LimitPerEnterprise, "max_days": f.MaxDays, "fee_bp_per_day": f.FeeBPPerDay}, now)
	})
}

// Funds lists the funds with their balances.
func (s *Service) Funds(ctx context.Context) ([]Fund, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, capital, balance, limit_per_enterprise, max_days, fee_bp_per_day FROM fin_funds ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: funds")
	}
	defer rows.Close()
	out := []Fund{}
	for rows.Next() {
		var f Fund
		if err := rows.Scan(&f.Code, &f.Name, &f.Capital, &f.Balance, &f.LimitPerEnterprise, &f.MaxDays, &f.FeeBPPerDay); err != nil {
			return nil, apperr.Wrap(err, "finance: funds")
		}
		out = append(out, f)
	}
	return out, apperr.Wrap(rows.Err(), "finance: funds")
}

func (s *Service) fund(ctx context.Context, q store.Querier, code string) (Fund, error) {
	f := Fund{Code: code}
	err := q.QueryRowContext(ctx, `SELECT name, capital, balance, limit_per_enterprise, max_days, fee_bp_per_day FROM fin_funds WHERE code = ?`, code).
		Scan(&f.Name, &f.Capital, &f.Balance, &f.LimitPerEnterprise, &f.MaxDays, &f.FeeBPPerDay)
	if errors.Is(err, sql.ErrNoRows) {
		return f, apperr.NotFoundf("fund_not_found", apperr.M("没有这项周转金", "no such fund"))
	}
	return f, apperr.Wrap(err, "finance: fund")
}

// BridgeInput is an enterprise's application for a bridge loan: the bank
// loan falling due, and the bank's written commitment to renew it (an
// uploaded file, by its SHA-256 in the file store).
type BridgeInput struct {
	FundCode         string `json:"fund_code"`
	BankName         string `json:"bank_name"`
	MaturingAmount   int64  `json:"maturing_amount"`
	MaturingOn       string `json:"maturing_on"`
	CommitmentSHA256 string `json:"commitment_sha256"`
	Amount           int64  `json:"amount"`
	Days             int    `json:"days"`
	Industry         string `json:"industry,omitempty"`
}

// BridgeLoan is one use of the fund.
type BridgeLoan struct {
	ID               int64        `json:"id"`
	Number           string       `json:"number"`
	FundCode         string       `json:"fund_code"`
	EnterpriseID     int64        `json:"enterprise_user_id"`
	EnterpriseName   string       `json:"enterprise_name"`
	CreditCode       string       `json:"credit_code"`
	Industry         string       `json:"industry"`
	BankName         string       `json:"bank_name"`
	MaturingAmount   int64        `json:"maturing_amount"`
	MaturingOn       string       `json:"maturing_on"`
	CommitmentSHA256 string       `json:"commitment_sha256"`
	Amount           int64        `json:"amount"`
	Days             int          `json:"days"`
	Fee              int64        `json:"fee"`
	Status           BridgeStatus `json:"status"`
	Version          int          `json:"version"`
	DecidedOn        string       `json:"decided_on,omitempty"`
	RefusalReason    string       `json:"refusal_reason,omitempty"`
	DisbursedOn      string       `json:"disbursed_on,omitempty"`
	DueOn            string       `json:"due_on,omitempty"`
	RepaidOn         string       `json:"repaid_on,omitempty"`
	EscalatedOn      string       `json:"escalated_on,omitempty"`
	CreatedAt        time.Time    `json:"created_at"`
}

// ApplyBridge records an enterprise's application. The fund's rules are
// checked now, against what the enterprise already holds, and again when
// the administrator approves.
func (s *Service) ApplyBridge(ctx context.Context, actor auth.User, in BridgeInput) (BridgeLoan, error) {
	if !isEnterprise(actor) {
		return BridgeLoan{}, errEnterpriseOnly()
	}
	var fe apperr.Fields
	in.BankName = strings.TrimSpace(in.BankName)
	checkText(&fe, "bank_name", in.BankName, 100, true)
	if in.MaturingAmount <= 0 {
		fe.Add("maturing_amount", "positive", apperr.M("到期贷款金额须大于零", "maturing_amount must be positive"))
	}
	maturing, err := workday.ParseDate(in.MaturingOn)
	today := workday.DateOf(s.Now())
	switch {
	case err != nil:
		fe.Add("maturing_on", "format", apperr.M("到期日格式为 YYYY-MM-DD", "maturing_on is YYYY-MM-DD"))
	case maturing.Before(today):
		fe.Add("maturing_on", "past", apperr.M("贷款已经到期，请在到期前申请", "the loan has already fallen due; apply before it does"))
	}
	in.CommitmentSHA256 = strings.ToLower(strings.TrimSpace(in.CommitmentSHA256))
	if !isSHA256(in.CommitmentSHA256) {
		fe.Add("commitment_sha256", "required", apperr.M("请上传银行的续贷承诺书", "upload the bank's written commitment to renew"))
	}
	if in.Industry != "" && !knownIndustry(in.Industry) {
		fe.Add("industry", "unknown", apperr.M("未知的行业", "unknown industry"))
	}
	if err := fe.Err(); err != nil {
		return BridgeLoan{}, err
	}
	now := s.Now()
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		f, err := s.fund(ctx, tx, in.FundCode)
		if err != nil {
			return err
		}
		held, err := outstanding(ctx, tx, f.Code, actor.CreditCode, 0)
		if err != nil {
			return err
		}
		if err := f.CheckBridge(in.Amount, in.Days, in.MaturingAmount, held); err != nil {
			return err
		}
		number, err := allocateNumber(ctx, tx, "ZZJ", now)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO fin_bridge_loans (number, fund_code, enterprise_user_id, enterprise_name, credit_code, industry,
			bank_name, maturing_amount, maturing_on, commitment_sha256, amount, days, fee, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			number, f.Code, actor.ID, actor.Name, actor.CreditCode, in.Industry, in.BankName, in.MaturingAmount, in.MaturingOn,
			in.CommitmentSHA256, in.Amount, in.Days, f.Fee(in.Amount, in.Days), string(BridgeApplied), store.FormatTime(now), store.FormatTime(now)).Scan(&id)
		if err != nil {
			return apperr.Wrap(err, "finance: insert bridge loan")
		}
		payload := map[string]any{"bridge_loan": number, "enterprise": actor.Name, "amount": in.Amount, "days": in.Days}
		if err := outbox.Add(ctx, tx, now, "bridge_loan.applied", payload, "role:admin"); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "bridge_loan.applied", "fin_bridge_loan:"+number, payload, now)
	})
	if err != nil {
		return BridgeLoan{}, err
	}
	return s.BridgeLoan(ctx, actor, id)
}

// outstanding is what an enterprise holds of a fund, leaving out one loan.
func outstanding(ctx context.Context, q store.Querier, fund, credit string, except int64) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM fin_bridge_loans
		WHERE fund_code = ? AND credit_code = ? AND status IN ('approved', 'disbursed', 'overdue') AND id <> ?`, fund, credit, except).Scan(&n)
	return n, apperr.Wrap(err, "finance: outstanding")
}

const bridgeColumns = `id, number, fund_code, enterprise_user_id, enterprise_name, credit_code, industry, bank_name, maturing_amount, maturing_on,
	commitment_sha256, amount, days, fee, status, version, decided_on, refusal_reason, disbursed_on, due_on, repaid_on, escalated_on, created_at`

func scanBridge(row interface{ Scan(...any) error }) (BridgeLoan, error) {
	var b BridgeLoan
	var created string
	err := row.Scan(&b.ID, &b.Number, &b.FundCode, &b.EnterpriseID, &b.EnterpriseName, &b.CreditCode, &b.Industry, &b.BankName, &b.MaturingAmount,
		&b.MaturingOn, &b.CommitmentSHA256, &b.Amount, &b.Days, &b.Fee, &b.Status, &b.Version, &b.DecidedOn, &b.RefusalReason, &b.DisbursedOn,
		&b.DueOn, &b.RepaidOn, &b.EscalatedOn, &created)
	b.CreatedAt = store.ParseTime(created)
	return b, err
}

// BridgeLoan returns one loan to its enterprise or an administrator; others get 404.
func (s *Service) BridgeLoan(ctx context.Context, actor auth.User, id int64) (BridgeLoan, error) {
	b, err := scanBridge(s.db.QueryRowContext(ctx, `SELECT `+bridgeColumns+` FROM fin_bridge_loans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !(actor.Role == auth.RoleAdmin || isEnterprise(actor) && actor.CreditCode == b.CreditCode) {
		return BridgeLoan{}, apperr.NotFoundf("bridge_loan_not_found", apperr.M("没有这笔周转金申请", "no such bridge loan"))
	}
	return b, apperr.Wrap(err, "finance: bridge loan")
}

// BridgeLoans lists an enterprise's own loans, or every loan for administrators.
func (s *Service) BridgeLoans(ctx context.Context, actor auth.User) ([]BridgeLoan, error) {
	where, args := "", []any{}
	switch {
	case isEnterprise(actor):
		where, args = " WHERE credit_code = ?", []any{actor.CreditCode}
	case actor.Role == auth.RoleAdmin:
	default:
		return nil, apperr.RoleNotAllowed(apperr.M("您的角色不能查看周转金", "your role may not see bridge loans"))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+bridgeColumns+` FROM fin_bridge_loans`+where+` ORDER BY id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "finance: bridge loans")
	}
	defer rows.Close()
	out := []BridgeLoan{}
	for rows.Next() {
		b, err := scanBridge(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "finance: bridge loans")
		}
		out = append(out, b)
	}
	return out, apperr.Wrap(rows.Err(), "finance: bridge loans")
}

// BridgeActInput carries what a step on a bridge loan needs.
type BridgeActInput struct {
	Version *int   `json:"version,omitempty"`
	Reason  string `json:"reason,omitempty"` // refuse: required
}

// ActBridge takes one step on a bridge loan (administrators): approve takes
// the amount from the fund's balance in the same UPDATE that checks it is
// there, so concurrent approvals queue on the fund's row and the balance
// never goes below zero; repay gives it back.
func (s *Service) ActBridge(ctx context.Context, actor auth.User, id int64, action string, in BridgeActInput) (BridgeLoan, error) {
	if actor.Role != auth.RoleAdmin {
		return BridgeLoan{}, errAdminOnly()
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if action == "refuse" {
		var fe apperr.Fields
		checkText(&fe, "reason", in.Reason, 1000, true)
		if err := fe.Err(); err != nil {
			return BridgeLoan{}, err
		}
	}
	now := s.Now()
	today := workday.DateOf(now)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		lock := ""
		if tx.Dialect() == store.Postgres {
			lock = " FOR UPDATE"
		}
		b, err := scanBridge(tx.QueryRowContext(ctx, `SELECT `+bridgeColumns+` FROM fin_bridge_loans WHERE id = ?`+lock, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFoundf("bridge_loan_not_found", apperr.M("没有这笔周转金申请", "no such bridge loan"))
		}
		if err != nil {
			return apperr.Wrap(err, "finance: bridge loan")
		}
		if in.Version != nil && *in.Version != b.Version {
			return apperr.New(apperr.Conflict, "bridge_loan_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the bridge loan was changed; reload and try again")).
				With("status", b.Status).With("version", b.Version)
		}
		to, err := NextBridge(b.Status, action)
		if err != nil {
			return err
		}
		switch action {
		case "approve":
			if err := s.takeFromFund(ctx, tx, &b); err != nil {
				return err
			}
			b.DecidedOn = workday.FormatDate(today)
		case "refuse":
			b.DecidedOn, b.RefusalReason = workday.FormatDate(today), in.Reason
		case "disburse":
			b.DisbursedOn = workday.FormatDate(today)
			b.DueOn = workday.FormatDate(today.AddDate(0, 0, b.Days))
		case "repay":
			if _, err := tx.ExecContext(ctx, `UPDATE fin_funds SET balance = balance + ?, updated_at = ? WHERE code = ?`,
				b.Amount, store.FormatTime(now), b.FundCode); err != nil {
				return apperr.Wrap(err, "finance: return to fund")
			}
			b.RepaidOn = workday.FormatDate(today)
		}
		if err := updateBridge(ctx, tx, &b, to, now); err != nil {
			return err
		}
		payload := map[string]any{"bridge_loan": b.Number, "status": to, "amount": b.Amount, "due_on": b.DueOn}
		if err := outbox.Add(ctx, tx, now, "bridge_loan."+action, payload, outbox.User(b.EnterpriseID)); err != nil {
			return err
		}
		if in.Reason != "" {
			payload["reason"] = in.Reason
		}
		return s.audit(ctx, tx, actor, "bridge_loan."+action, "fin_bridge_loan:"+b.Number, payload, now)
	})
	if err != nil {
		return BridgeLoan{}, err
	}
	return s.BridgeLoan(ctx, actor, id)
}

// takeFromFund checks the fund's rules again and takes b's amount from the
// balance. The UPDATE both tests and lowers the balance: on PostgreSQL it
// locks the fund's row, so the limit check below it sees every approval
// committed before; on SQLite the writer is already alone.
func (s *Service) takeFromFund(ctx context.Context, tx *store.Tx, b *BridgeLoan) error {
	res, err := tx.ExecContext(ctx, `UPDATE fin_funds SET balance = balance - ? WHERE code = ? AND balance >= ?`, b.Amount, b.FundCode, b.Amount)
	if err != nil {
		return apperr.Wrap(err, "finance: take from fund")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return apperr.New(apperr.Conflict, "fund_insufficient", apperr.M("周转金余额不足", "the fund's balance is too low for this loan")).With("amount", b.Amount)
	}
	f, err := s.fund(ctx, tx, b.FundCode)
	if err != nil {
		return err
	}
	held, err := outstanding(ctx, tx, b.FundCode, b.CreditCode, b.ID)
	if err != nil {
		return err
	}
	if err := f.CheckBridge(b.Amount, b.Days, b.MaturingAmount, held); err != nil {
		return apperr.New(apperr.Conflict, "fund_rules", apperr.M("不符合周转金规则："+apperr.As(err).Fields[0].Message.ZH,
			"against the fund's rules: "+apperr.As(err).Fields[0].Message.EN))
	}
	return nil
}

func updateBridge(ctx context.Context, tx *store.Tx, b *BridgeLoan, to BridgeStatus, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE fin_bridge_loans SET status = ?, version = version + 1, decided_on = ?, refusal_reason = ?,
		disbursed_on = ?, due_on = ?, repaid_on = ?, escalated_on = ?, updated_at = ? WHERE id = ? AND version = ?`,
		string(to), b.DecidedOn, b.RefusalReason, b.DisbursedOn, b.DueOn, b.RepaidOn, b.EscalatedOn, store.FormatTime(now), b.ID, b.Version)
	if err != nil {
		return apperr.Wrap(err, "finance: update bridge loan")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "bridge_loan_version_conflict", apperr.M("申请已被他人更新，请刷新后重试", "the bridge loan was changed; reload and try again"))
	}
	b.Status, b.Version = to, b.Version+1
	return nil
}

// ScanBridge marks every disbursed loan not repaid by its due day overdue
// and escalates it to the administrators and the enterprise, once.
func (s *Service) ScanBridge(ctx context.Context) (int, error) {
	now := s.Now()
	today := workday.FormatDate(workday.DateOf(now))
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM fin_bridge_loans WHERE status = 'disbursed' AND due_on < ? ORDER BY id`, today)
	if err != nil {
		return 0, apperr.Wrap(err, "finance: scan bridge loans")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, apperr.Wrap(err, "finance: scan bridge loans")
		}
		ids = append(ids, id)
	}
	rows.Close()
	marked := 0
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			b, err := scanBridge(tx.QueryRowContext(ctx, `SELECT `+bridgeColumns+` FROM fin_bridge_loans WHERE id = ?`, id))
			if err != nil {
				return apperr.Wrap(err, "finance: bridge loan")
			}
			if b.Status != BridgeDisbursed || b.DueOn >= today {
				return nil // repaid or marked by another server meanwhile
			}
			b.EscalatedOn = today
			if err := updateBridge(ctx, tx, &b, BridgeOverdue, now); err != nil {
				return err
			}
			payload := map[string]any{"bridge_loan": b.Number, "enterprise": b.EnterpriseName, "amount": b.Amount, "due_on": b.DueOn}
			if err := outbox.Add(ctx, tx, now, "bridge_loan.overdue", payload, "role:admin", outbox.User(b.EnterpriseID)); err != nil {
				return err
			}
			marked++
			return s.audit(ctx, tx, systemActor, "bridge_loan.overdue", "fin_bridge_loan:"+b.Number, payload, now)
		})
		if err != nil && apperr.CodeOf(err) != apperr.Conflict {
			return marked, err
		}
	}
	return marked, nil
}

// systemActor is who the scans act as.
var systemActor = auth.User{Username: "system", Name: "超时扫描 / scan", Role: "system"}

// FlagOverdueApplications tells the administrators, once per application,
// of each application not answered by its due day.
func (s *Service) FlagOverdueApplications(ctx context.Context) (int, error) {
	now := s.Now()
	today := workday.FormatDate(workday.DateOf(now))
	flagged := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		flagged = 0
		rows, err := tx.QueryContext(ctx, `SELECT a.number, i.name, a.answer_due FROM fin_applications a JOIN fin_institutions i ON i.code = a.institution_code
			WHERE a.status IN ('sent', 'accepted') AND a.answer_due < ? ORDER BY a.id`, today)
		if err != nil {
			return apperr.Wrap(err, "finance: overdue applications")
		}
		type late struct{ number, institution, due string }
		var list []late
		for rows.Next() {
			var l late
			if err := rows.Scan(&l.number, &l.institution, &l.due); err != nil {
				rows.Close()
				return apperr.Wrap(err, "finance: overdue applications")
			}
			list = append(list, l)
		}
		rows.Close()
		for _, l := range list {
			// The counter row per (number, day) doubles as the claim: one flag per application.
			res, err := tx.ExecContext(ctx, `INSERT INTO fin_counters (kind, day, last) VALUES (?, 'overdue', 1) ON CONFLICT DO NOTHING`, "flag:"+l.number)
			if err != nil {
				return apperr.Wrap(err, "finance: claim flag")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			if err := outbox.Add(ctx, tx, now, "finance_application.overdue", map[string]any{"application": l.number, "institution": l.institution, "answer_due": l.due}, "role:admin"); err != nil {
				return err
			}
			flagged++
		}
		return nil
	})
	return flagged, err
}

// isSHA256 reports whether h names a stored file: 64 lowercase hex digits.
func isSHA256(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
