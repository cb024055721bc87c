package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// Plan is the engine's plan for one query the application runs on every
// work-queue or dashboard request.
type Plan struct {
	Name      string   `json:"name"`
	SQL       string   `json:"sql"`
	Plan      []string `json:"plan"`
	UsesIndex bool     `json:"uses_index"` // no full scan of a big table
	Sorts     bool     `json:"sorts"`      // sorts rows instead of reading them in index order
	Millis    float64  `json:"median_ms"`  // median of five executions
}

// explained is a query as the services write it (the text is kept in step
// with cases/list.go, cases/extension.go, cases/escalation.go,
// figures/service.go, figures/recount.go and hall/tickets.go by hand: the
// plan of a different text would prove nothing).
type explained struct {
	name string
	sql  string
	args func(p planArgs) []any
}

type planArgs struct {
	department, point, number, today, day string
	lastWarningDue                        string // the latest due day of the point's cases in warning
	firstMonth, lastMonth, from, to       string // the last twelve months in China, as months and stored instants
	caseID                                int64
}

var explainedQueries = []explained{
	{"work queue: count (reviewer, ?sort=due: the open cases, from the kept counts)",
		`SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_state_counts_departments WHERE department_code = ? AND state IN ('accepted', 'in_review', 'supplement_required')`,
		func(p planArgs) []any { return []any{p.department} }},
	{"work queue: first page, earliest due first (reviewer, ?sort=due)", `SELECT * FROM cases WHERE department_code = ? AND state IN ('accepted', 'in_review', 'supplement_required')
		ORDER BY CASE WHEN promised_due = '' THEN 1 ELSE 0 END, promised_due, id LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.department, 20, 0} }},
	{"review queue of the web pages (five states, from cases_review_queue)", `SELECT * FROM cases WHERE department_code = ?
		AND state IN ('accepted', 'in_review', 'supplement_required', 'approved', 'refused')
		ORDER BY CASE WHEN promised_due = '' THEN 1 ELSE 0 END, promised_due, id LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.department, 20, 0} }},
	{"issuing window's queue of the web pages (four states, from cases_issue_queue)", `SELECT * FROM cases WHERE point_code = ?
		AND state IN ('ready_for_issue', 'approved', 'refused', 'issued')
		ORDER BY CASE WHEN promised_due = '' THEN 1 ELSE 0 END, promised_due, id LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.point, 20, 0} }},
	{"point list: count (front desk, from the kept counts)", `SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_state_counts WHERE point_code = ?`,
		func(p planArgs) []any { return []any{p.point} }},
	{"point list: count, counting the cases (before)", `SELECT COUNT(*) FROM cases WHERE point_code = ?`,
		func(p planArgs) []any { return []any{p.point} }},
	{"point list: first page, newest first (front desk)", `SELECT * FROM cases WHERE point_code = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.point, 20, 0} }},
	{"figures: the province's twelve months, per department (kept monthly figures)", `SELECT month, department_code, '', accepted, online, decided, on_time FROM case_month_departments
		WHERE month >= ? AND month <= ?`,
		func(p planArgs) []any { return []any{p.firstMonth, p.lastMonth} }},
	{"figures: the province's twelve months, per point (kept monthly figures, added up per point)", `SELECT '', '', point_code, CAST(SUM(accepted) AS BIGINT), CAST(SUM(online) AS BIGINT),
		CAST(SUM(decided) AS BIGINT), CAST(SUM(on_time) AS BIGINT) FROM case_month_points
		WHERE month >= ? AND month <= ? GROUP BY point_code`,
		func(p planArgs) []any { return []any{p.firstMonth, p.lastMonth} }},
	{"figures: a department's twelve months, per point (kept monthly figures)", `SELECT month, department_code, point_code, accepted, online, decided, on_time FROM case_month_figures
		WHERE month >= ? AND month <= ? AND department_code = ?`,
		func(p planArgs) []any { return []any{p.firstMonth, p.lastMonth, p.department} }},
	{"figures: the cases accepted in twelve months (the recount, before)", `SELECT accepted_at, department_code, point_code, channel FROM cases
		WHERE accepted_at <> '' AND accepted_at >= ? AND accepted_at < ?`,
		func(p planArgs) []any { return []any{p.from, p.to} }},
	{"extension requests waiting (administrators)", `SELECT cases.* FROM (SELECT DISTINCT case_id FROM case_events WHERE action = ?) asked CROSS JOIN cases
		WHERE cases.id = asked.case_id
		AND state IN (?, ?, ?)
		AND (SELECT e.action FROM case_events e WHERE e.case_id = cases.id AND e.action IN (?, ?, ?) ORDER BY e.id DESC LIMIT 1) = ?
		ORDER BY promised_due, id LIMIT ?`,
		func(p planArgs) []any {
			return []any{"request_extension", "accepted", "in_review", "supplement_required",
				"request_extension", "refuse_extension", "extend", "request_extension", 50}
		}},
	{"case by number (status read)", `SELECT id FROM cases WHERE number = ?`,
		func(p planArgs) []any { return []any{p.number} }},
	{"case events", `SELECT id, case_id, at, actor_id, actor_name, role, action, from_state, to_state, note, data
		FROM case_events WHERE case_id = ? ORDER BY id`,
		func(p planArgs) []any { return []any{p.caseID} }},
	{"dashboard: overdue at a point (kept counts by warning and due day)", `SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT), COALESCE(MAX(promised_due), '')
		FROM case_sla_points WHERE point_code = ? AND warn_from <= ? AND promised_due < ?`,
		func(p planArgs) []any { return []any{p.point, p.today, p.today} }},
	{"dashboard: in warning at a point (kept counts by warning and due day)", `SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT), COALESCE(MAX(promised_due), '')
		FROM case_sla_points WHERE point_code = ? AND warn_from <> '' AND warn_from <= ? AND promised_due >= ?`,
		func(p planArgs) []any { return []any{p.point, p.today, p.today} }},
	{"the point's cases in warning: a page's ids, earliest due first", `SELECT id FROM cases WHERE point_code = ?
		AND state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> '' AND warn_from <> '' AND warn_from <= ? AND promised_due >= ?
		AND promised_due <= ? ORDER BY promised_due, id LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.point, p.today, p.today, p.lastWarningDue, 20, 0} }},
	{"the point's overdue cases: a page's ids, earliest due first", `SELECT id FROM cases WHERE point_code = ?
		AND state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> '' AND warn_from <= ? AND promised_due < ?
		AND promised_due <= ? ORDER BY promised_due, id LIMIT ? OFFSET ?`,
		func(p planArgs) []any { return []any{p.point, p.today, p.today, p.today, 20, 0} }},
	{"SLA scan: running cases in warning at a point", `SELECT * FROM cases
		WHERE point_code = ? AND state IN ('accepted', 'in_review') AND paused_since = '' AND warn_from <> '' AND warn_from <= ?`,
		func(p planArgs) []any { return []any{p.point, p.today} }},
	{"call-next: oldest waiting ticket for a window", `SELECT id, priority, queued_at FROM hall_tickets WHERE point_code = ? AND day = ? AND status = 'waiting'
		AND (target_window = ? OR (target_window = '' AND category IN (?, ?))) ORDER BY queued_at, id LIMIT 1`,
		func(p planArgs) []any { return []any{p.point, p.day, "BW01", "A", "E"} }},
}

// Explain returns the plans of the work-queue and dashboard queries, with
// arguments taken from the data: the department and point with the most
// cases, a real number.
func Explain(ctx context.Context, db *store.DB) ([]Plan, error) {
	var p planArgs
	if err := db.QueryRowContext(ctx, `SELECT department_code FROM cases GROUP BY department_code ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&p.department); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errors.New("no cases to plan queries over: use --cases")
		}
		return nil, err
	}
	p.point = benchPoint
	if err := db.QueryRowContext(ctx, `SELECT id, number FROM cases WHERE point_code = ? ORDER BY id DESC LIMIT 1`, p.point).Scan(&p.caseID, &p.number); err != nil {
		return nil, err
	}
	now := time.Now()
	p.today, p.day = workday.FormatDate(workday.DateOf(now)), hall.DayOf(now)
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(promised_due), '') FROM case_sla_points
		WHERE point_code = ? AND warn_from <> '' AND warn_from <= ? AND promised_due >= ?`, p.point, p.today, p.today).Scan(&p.lastWarningDue); err != nil {
		return nil, err
	}
	first, last := figures.DefaultPeriod(now)
	p.firstMonth, p.lastMonth = first.String(), last.String()
	p.from, p.to = store.FormatTime(first.Start()), store.FormatTime(last.Add(1).Start())
	var out []Plan
	for _, q := range explainedQueries {
		plan, err := explainOne(ctx, db, q.name, q.sql, q.args(p))
		if err != nil {
			return out, fmt.Errorf("%s: %w", q.name, err)
		}
		out = append(out, plan)
	}
	return out, nil
}

// bigTables are the tables a full scan of which would grow with the years.
var bigTables = []string{"cases", "case_events", "hall_tickets", "audit_log"}

func explainOne(ctx context.Context, db *store.DB, name, query string, args []any) (Plan, error) {
	query = strings.Join(strings.Fields(query), " ")
	if db.Dialect() == store.Postgres {
		// The queries are written for SQLite's text times; on PostgreSQL
		// "not yet" is NULL (migration 00036).
		query = strings.ReplaceAll(query, "accepted_at <> ''", "accepted_at IS NOT NULL")
	}
	p := Plan{Name: name, SQL: query, UsesIndex: true}
	if db.Dialect() == store.Postgres {
		rows, err := db.QueryContext(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) `+query, args...)
		if err != nil {
			return p, err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return p, err
			}
			p.Plan = append(p.Plan, line)
			for _, t := range bigTables {
				if strings.Contains(line, "Seq Scan on "+t+" ") || strings.HasSuffix(line, "Seq Scan on "+t) {
					p.UsesIndex = false
				}
			}
			if strings.Contains(line, "Sort") && !strings.Contains(line, "Sort Key") {
				p.Sorts = true
			}
		}
		if err := rows.Err(); err != nil {
			return p, err
		}
	} else {
		rows, err := db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
		if err != nil {
			return p, err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return p, err
			}
			p.Plan = append(p.Plan, detail)
			for _, t := range bigTables {
				if (detail == "SCAN "+t || strings.HasPrefix(detail, "SCAN "+t+" ")) && !strings.Contains(detail, "USING") {
					p.UsesIndex = false
				}
			}
			if strings.Contains(detail, "TEMP B-TREE") {
				p.Sorts = true
			}
		}
		if err := rows.Err(); err != nil {
			return p, err
		}
	}
	var times []float64
	for range 5 {
		t0 := time.Now()
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return p, err
		}
		for rows.Next() {
		}
		rows.Close()
		times = append(times, float64(time.Since(t0).Microseconds())/1000)
	}
	slices.Sort(times)
	p.Millis = times[len(times)/2]
	return p, nil
}
