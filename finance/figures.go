package finance

import (
	"context"

	"github.com/onewindow/onewindow/apperr"
)

// Group is a count and an amount under one key (a month, an industry, a region).
type Group struct {
	Key    string `json:"key"`
	Loans  int    `json:"loans"`
	Amount int64  `json:"amount"`
}

// Figures are the platform's and the fund's numbers in the seeds' terms:
// enterprises served, needs matched, loans made and their amounts, bridge
// loans. Loans count applications paid out; the month is the day paid out
// (China time); the region is the need's city (its first four digits).
type Figures struct {
	EnterprisesServed int     `json:"enterprises_served"`
	Needs             int     `json:"needs"`
	NeedsMatched      int     `json:"needs_matched"` // needs sent to at least one product
	Loans             int     `json:"loans"`
	LoanAmount        int64   `json:"loan_amount"`
	ByMonth           []Group `json:"by_month"`
	ByIndustry        []Group `json:"by_industry"`
	ByRegion          []Group `json:"by_region"`

	BridgeEnterprises int     `json:"bridge_enterprises"`
	BridgeLoans       int     `json:"bridge_loans"`
	BridgeAmount      int64   `json:"bridge_amount"`
	BridgeAverageDays float64 `json:"bridge_average_days"`
	BridgeOverdue     int     `json:"bridge_overdue"`
}

// Figures counts over every need, application and bridge loan; read-only.
func (s *Service) Figures(ctx context.Context) (Figures, error) {
	var f Figures
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM (SELECT credit_code FROM fin_needs UNION SELECT credit_code FROM fin_bridge_loans) e),
		(SELECT COUNT(*) FROM fin_needs),
		(SELECT COUNT(DISTINCT need_id) FROM fin_applications),
		(SELECT COUNT(*) FROM fin_applications WHERE status = 'disbursed'),
		(SELECT COALESCE(SUM(disbursed_amount), 0) FROM fin_applications WHERE status = 'disbursed')`).
		Scan(&f.EnterprisesServed, &f.Needs, &f.NeedsMatched, &f.Loans, &f.LoanAmount)
	if err != nil {
		return f, apperr.Wrap(err, "finance: figures")
	}
	groups := func(key string) ([]Group, error) {
		rows, err := s.db.QueryContext(ctx, `SELECT `+key+` AS k, COUNT(*), COALESCE(SUM(a.disbursed_amount), 0)
			FROM fin_applications a JOIN fin_needs n ON n.id = a.need_id WHERE a.status = 'disbursed' GROUP BY k ORDER BY k`)
		if err != nil {
			return nil, apperr.Wrap(err, "finance: figures")
		}
		defer rows.Close()
		out := []Group{}
		for rows.Next() {
			var g Group
			if err := rows.Scan(&g.Key, &g.Loans, &g.Amount); err != nil {
				return nil, apperr.Wrap(err, "finance: figures")
			}
			out = append(out, g)
		}
		return out, apperr.Wrap(rows.Err(), "finance: figures")
	}
	if f.ByMonth, err = groups(`SUBSTR(a.disbursed_on, 1, 7)`); err != nil {
		return f, err
	}
	if f.ByIndustry, err = groups(`n.industry`); err != nil {
		return f, err
	}
	if f.ByRegion, err = groups(`SUBSTR(n.region_code, 1, 4)`); err != nil {
		return f, err
	}
	var avg float64
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT credit_code), COUNT(*), COALESCE(SUM(amount), 0), COALESCE(AVG(days * 1.0), 0),
		COALESCE(SUM(CASE WHEN status = 'overdue' THEN 1 ELSE 0 END), 0)
		FROM fin_bridge_loans WHERE status IN ('disbursed', 'repaid', 'overdue')`).
		Scan(&f.BridgeEnterprises, &f.BridgeLoans, &f.BridgeAmount, &avg, &f.BridgeOverdue)
	f.BridgeAverageDays = float64(int(avg*10+0.5)) / 10
	return f, apperr.Wrap(err, "finance: bridge figures")
}
