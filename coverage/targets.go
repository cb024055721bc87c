package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// Target is a coverage target: the share of a level's places (townships or
// villages) that must be within Minutes of a point offering Service.
type Target struct {
	Service   string    `json:"service"`
	Level     int       `json:"level"`
	Minutes   int       `json:"minutes"`
	Rate      float64   `json:"rate"` // 0..1
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

// validate checks a target's numbers; at names the target in errors.
func (t *Target) validate(at string) apperr.Fields {
	var f apperr.Fields
	if t.Level != catalog.LevelTownship && t.Level != catalog.LevelVillage {
		f.Add(at+".level", "range", apperr.M("层级须为5（乡镇、街道）或6（村、社区）", "level must be 5 (township/street) or 6 (village/community)"))
	}
	if t.Minutes < 1 || t.Minutes > 240 {
		f.Add(at+".minutes", "range", apperr.M("分钟数须在1到240之间", "minutes must be from 1 to 240"))
	}
	if !(t.Rate >= 0 && t.Rate <= 1) {
		f.Add(at+".rate", "range", apperr.M("覆盖率目标须在0到1之间（如0.8表示80%）", "rate must be from 0 to 1 (0.8 means 80%)"))
	}
	return f
}

// PutTargets inserts or replaces targets with q (a transaction).
func PutTargets(ctx context.Context, q store.Querier, targets []Target, by string, now time.Time) error {
	for _, t := range targets {
		_, err := q.ExecContext(ctx, `
				INSERT INTO coverage_targets (service, level, minutes, rate, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (service, level) DO UPDATE SET minutes = excluded.minutes, rate = excluded.rate,
					updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.Service, t.Level, t.Minutes, t.Rate, store.FormatTime(now), by)
		if err != nil {
			return apperr.Wrap(err, "coverage: put target")
		}
	}
	return nil
}

// ListTargets returns the stored targets, of one service when service is not empty.
func ListTargets(ctx context.Context, q store.Querier, service string) ([]Target, error) {
	query := `SELECT service, level, minutes, rate, updated_at, updated_by FROM coverage_targets`
	var args []any
	if service != "" {
		query += ` WHERE service = ?`
		args = append(args, service)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY service, level`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "coverage: list targets")
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		var at string
		if err := rows.Scan(&t.Service, &t.Level, &t.Minutes, &t.Rate, &at, &t.UpdatedBy); err != nil {
			return nil, apperr.Wrap(err, "coverage: list targets")
		}
		t.UpdatedAt = store.ParseTime(at)
		out = append(out, t)
	}
	return out, apperr.Wrap(rows.Err(), "coverage: list targets")
}

// FormatRate writes a rate as a percentage with one decimal.
func FormatRate(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }
