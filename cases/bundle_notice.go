package cases

// The combined 补正 notice: every member of a bundle case waiting for the
// applicant, in one message.

import (
	"context"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
)

// combinedNotice sends the applicant one notice listing every member's open 补正 request.
func (s *Service) combinedNotice(ctx context.Context, tx *store.Tx, b *BundleCase, now time.Time) error {
	n, err := s.BundleNotice(ctx, tx, b)
	if err != nil {
		return err
	}
	return outbox.Add(ctx, tx, now, "bundle.supplement", map[string]any{"bundle_case": b.Number, "requests": n},
		applicantRecipient(b.Applicant, b.PointCode))
}

// SupplementRequest is one member's open 补正 request.
type SupplementRequest struct {
	Item    string   `json:"item"`
	Number  string   `json:"number"`
	Reasons []string `json:"reasons"`
	Due     string   `json:"due,omitempty"`
}

// BundleNotice lists every member currently waiting for the applicant: the
// combined 补正 notice.
func (s *Service) BundleNotice(ctx context.Context, q store.Querier, b *BundleCase) ([]SupplementRequest, error) {
	if q == nil {
		q = s.db
	}
	rows, err := q.QueryContext(ctx, `SELECT item_name, number, reasons, supplement_due FROM cases
		WHERE bundle_case_id = ? AND state = 'supplement_required' ORDER BY id`, b.ID)
	if err != nil {
		return nil, apperr.Wrap(err, "cases: bundle notice")
	}
	defer rows.Close()
	out := []SupplementRequest{}
	for rows.Next() {
		var r SupplementRequest
		var reasons string
		if err := rows.Scan(&r.Item, &r.Number, &reasons, &r.Due); err != nil {
			return nil, apperr.Wrap(err, "cases: bundle notice")
		}
		json.Unmarshal([]byte(reasons), &r.Reasons)
		out = append(out, r)
	}
	return out, apperr.Wrap(rows.Err(), "cases: bundle notice")
}
