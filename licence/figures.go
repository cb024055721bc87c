package licence

import (
	"context"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// Figures are a month's numbers of electronic licences (China time).
type Figures struct {
	Month         string        `json:"month"` // YYYY-MM
	Issued        []TypeCount   `json:"issued"`
	Verifications []ReasonCount `json:"verifications"`
	Reuse         []ItemReuse   `json:"reuse"`
}

// TypeCount is the licences of one type issued in the month (corrections
// included) and how many of those are revoked now.
type TypeCount struct {
	TypeCode string `json:"type_code"`
	Issued   int    `json:"issued"`
	Revoked  int    `json:"revoked"`
}

// ReasonCount is the verifications answered with one outcome ("valid" or
// the reason of the failure).
type ReasonCount struct {
	Outcome string `json:"outcome"`
	Count   int    `json:"count"`
}

// ItemReuse is 免提交率 for one item: of the materials a licence could stand
// in for, on the cases opened in the month, how many a licence provided.
type ItemReuse struct {
	ItemCode  string  `json:"item_code"`
	Materials int     `json:"materials"`  // provided in any way
	ByLicence int     `json:"by_licence"` // provided by a licence (免提交)
	Rate      float64 `json:"rate"`       // ByLicence / Materials, 0–1
}

// MonthFigures returns the figures of month (YYYY-MM) for administrators.
func (s *Service) MonthFigures(ctx context.Context, actor auth.User, month string) (Figures, error) {
	if err := auth.Require(actor, auth.RoleAdmin); err != nil {
		return Figures{}, err
	}
	start, err := time.ParseInLocation("2006-01", month, clock.China)
	if err != nil {
		return Figures{}, apperr.Fields{apperr.Field("month", "format", apperr.M("月份格式为 YYYY-MM", "month is YYYY-MM"))}.Err()
	}
	end := start.AddDate(0, 1, 0)
	f := Figures{Month: month, Issued: []TypeCount{}, Verifications: []ReasonCount{}, Reuse: []ItemReuse{}}
	// issued_on is a China date.
	rows, err := s.db.QueryContext(ctx, `SELECT type_code, COUNT(*), SUM(CASE WHEN status = 'revoked' THEN 1 ELSE 0 END)
		FROM licences WHERE issued_on >= ? AND issued_on < ? GROUP BY type_code ORDER BY type_code`,
		start.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return Figures{}, apperr.Wrap(err, "licence: figures")
	}
	defer rows.Close()
	for rows.Next() {
		var t TypeCount
		if err := rows.Scan(&t.TypeCode, &t.Issued, &t.Revoked); err != nil {
			return Figures{}, apperr.Wrap(err, "licence: figures")
		}
		f.Issued = append(f.Issued, t)
	}
	if err := rows.Err(); err != nil {
		return Figures{}, apperr.Wrap(err, "licence: figures")
	}
	vrows, err := s.db.QueryContext(ctx, `SELECT reason, SUM(n) FROM licence_verifications WHERE day >= ? AND day < ? GROUP BY reason ORDER BY reason`,
		start.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return Figures{}, apperr.Wrap(err, "licence: figures")
	}
	defer vrows.Close()
	for vrows.Next() {
		var r ReasonCount
		if err := vrows.Scan(&r.Outcome, &r.Count); err != nil {
			return Figures{}, apperr.Wrap(err, "licence: figures")
		}
		if r.Outcome == "" {
			r.Outcome = "valid"
		}
		f.Verifications = append(f.Verifications, r)
	}
	if err := vrows.Err(); err != nil {
		return Figures{}, apperr.Wrap(err, "licence: figures")
	}
	reuse, err := s.reuse(ctx, store.FormatTime(start), store.FormatTime(end))
	if err != nil {
		return Figures{}, err
	}
	f.Reuse = reuse
	return f, nil
}

// reuse counts, per item, the materials of licence-able types on the cases
// opened between from and to (stored UTC times), by whether a licence
// provided them. Which types a licence can stand in for is read from each
// case's pinned item version.
func (s *Service) reuse(ctx context.Context, from, to string) ([]ItemReuse, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.item_code, c.item_version, m.type, m.source FROM case_materials m
		JOIN cases c ON c.id = m.case_id WHERE c.created_at >= ? AND c.created_at < ? ORDER BY c.item_code`, from, to)
	if err != nil {
		return nil, apperr.Wrap(err, "licence: reuse figures")
	}
	type row struct {
		item       string
		version    int
		typ, sourc string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.item, &r.version, &r.typ, &r.sourc); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "licence: reuse figures")
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "licence: reuse figures")
	}
	out := []ItemReuse{}
	idx := map[string]int{}
	licenceable := map[string]map[string]bool{} // item@version → material types
	for _, r := range all {
		key := r.item + "@" + strconv.Itoa(r.version)
		types, ok := licenceable[key]
		if !ok {
			types = map[string]bool{}
			if s.catalog != nil {
				if it, err := s.catalog.Version(ctx, r.item, r.version); err == nil {
					for _, m := range it.Materials {
						if m.Licence != "" {
							types[m.Type] = true
						}
					}
				}
			}
			licenceable[key] = types
		}
		if !types[r.typ] {
			continue
		}
		i, ok := idx[r.item]
		if !ok {
			i = len(out)
			idx[r.item] = i
			out = append(out, ItemReuse{ItemCode: r.item})
		}
		out[i].Materials++
		if r.sourc == cases.SourceLicence {
			out[i].ByLicence++
		}
	}
	for i := range out {
		out[i].Rate = float64(out[i].ByLicence) / float64(out[i].Materials)
	}
	return out, nil
}
