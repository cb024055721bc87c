package figures

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// queryPlan returns the plan the engine chooses for query; PostgreSQL is
// told to avoid sequential scans, as it would on a table bigger than this
// test's.
func queryPlan(t *testing.T, db *store.DB, query string, args []any) string {
	t.Helper()
	return storetest.QueryPlan(t, db, query, args, "enable_seqscan")
}

// The counts of the whole province and of a division read the kept monthly
// figures by month, and the recount and the hall's counts the figures indexes
// (00012_figures_index.sql), instead of the whole table.
func TestCountsReadTheFiguresIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		months := Months(Month{2025, 4}, Month{2026, 3})
		province := &scope{dialect: db.Dialect()}
		division := &scope{hall: " AND point_code IN (?, ?)", hallArg: []any{"HNZWFW", "QZSQ"}, dialect: db.Dialect()}
		division.cond, division.args = division.hall, division.hallArg
		for _, tt := range []struct {
			name  string
			build func(*scope, []Month) (string, []any)
			index string
		}{
			{"kept figures per department", func(sc *scope, m []Month) (string, []any) {
				return keptRows("case_month_departments", "", nil, m)
			}, "case_month_departments"},
			{"kept figures per point", func(sc *scope, m []Month) (string, []any) {
				return keptRows("case_month_points", sc.hall, sc.hallArg, m)
			}, "case_month_points"},
			{"kept figures per point, added up", func(sc *scope, m []Month) (string, []any) {
				return keptTotals("case_month_points", "point_code", sc.hall, sc.hallArg, m)
			}, "case_month_points"},
			{"kept figures per department, added up", func(sc *scope, m []Month) (string, []any) {
				if sc.hall == "" {
					return "", nil // the province reads the coarser grains
				}
				return keptTotals("case_month_figures", "department_code", sc.cond, sc.args, m)
			}, "case_month_figures"},
			{"kept figures per point and department", func(sc *scope, m []Month) (string, []any) {
				if sc.hall == "" {
					return "", nil // the province reads the coarser grains
				}
				return keptRows("case_month_figures", sc.cond, sc.args, m)
			}, "case_month_figures"},
			{"kept figures of a department", func(sc *scope, m []Month) (string, []any) {
				return keptRows("case_month_figures", " AND department_code = ?", []any{"HN-YBJ"}, m)
			}, "case_month_figures_department"},
			{"accepted cases (recount)", acceptedRows, "cases_accepted_month"},
			{"decided cases", decidedRows, "cases_decided_month"},
			{"appointments by month", appointmentsByMonth, "hall_appointments_day"},
			{"lunch-time and extended services", periodServicesByMonth, "hall_tickets_period_day"},
		} {
			for _, sc := range []struct {
				name string
				sc   *scope
			}{{"province", province}, {"division", division}} {
				t.Run(tt.name+" in a "+sc.name, func(t *testing.T) {
					query, args := tt.build(sc.sc, months)
					if query == "" {
						t.Skip("not asked in this scope")
					}
					plan := queryPlan(t, db, query, args)
					if (sc.name == "province" || strings.HasPrefix(tt.name, "kept")) && !strings.Contains(plan, tt.index) {
						t.Errorf("the plan does not read %s:\n%s", tt.index, plan)
					}
					if strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "SCAN cases\n") || strings.HasSuffix(plan, "SCAN cases") ||
						strings.Contains(plan, "SCAN hall_") && !strings.Contains(plan, "INDEX") ||
						strings.Contains(plan, "SCAN case_month_") {
						t.Errorf("the plan reads a whole table:\n%s", plan)
					}
				})
			}
		}
	})
}
