package cases_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// The lists by time-limit status (the hall's page, a department's queue, the
// API's ?sla=) read the running cases by the day their warning starts
// (00034_sla_running.sql). Their totals and pages equal the status each case
// computes on its own, day after day, after a random history of intakes,
// reviews, pauses, extensions and decisions, and after a warning day cleared
// by hand.
func TestSLAListsMatchEachCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(34, 21))
		admin := f.reviewer
		admin.Role, admin.DepartmentCode, admin.Username = cases.RoleAdmin, "", "admin"
		days := []string{"2026-11-02", "2026-11-03", "2026-11-05", "2026-11-09", "2026-11-12", "2026-11-16", "2026-11-19", "2026-11-24"}
		var all []int64
		seen := map[string]int{}
		for _, day := range days {
			f.at(day)
			for range 3 {
				c := f.walkIn(t, "id_card", "diagnosis", "medical_record")
				all = append(all, c.ID)
			}
			// Move some cases on, at random; refusals (a step that does not
			// apply in the case's state) are part of the history.
			for _, id := range all {
				var a cases.Action
				var u auth.User
				req := cases.ActRequest{}
				switch rng.IntN(9) {
				case 0, 1:
					a, u = cases.Accept, f.front
				case 2, 3:
					a, u = cases.StartReview, f.reviewer
				case 4:
					a, u, req = cases.StartSpecial, f.reviewer, cases.ActRequest{Procedure: "expert_review"}
				case 5:
					if rng.IntN(3) == 0 {
						a, u = cases.EndSpecial, f.reviewer
					}
				case 6:
					a, u, req = cases.Extend, admin, cases.ActRequest{Days: 1 + rng.IntN(3), Reasons: []string{"需补充鉴定"}}
				case 7:
					if rng.IntN(3) == 0 {
						a, u = cases.Approve, f.reviewer
					}
				}
				if a != "" {
					f.svc.Act(ctx, u, id, a, req) //nolint:errcheck // a refused step leaves the case as it was
				}
			}
			if day == "2026-11-12" {
				// A running case whose warning day was never set (as rows
				// from before the SLA clocks have it) still counts when overdue.
				if _, err := db.ExecContext(ctx, `UPDATE cases SET warn_from = '' WHERE id = (SELECT MIN(id) FROM cases WHERE state IN ('accepted', 'in_review'))`); err != nil {
					t.Fatal(err)
				}
			}
			checkSLALists(t, f, day, admin, seen)
			checkKeptSLACounts(t, db, day)
		}
		for _, day := range []string{"2026-11-30", "2026-12-08", "2026-12-21"} {
			f.at(day)
			checkSLALists(t, f, day, admin, seen)
		}
		for _, status := range cases.SLAStatuses {
			if seen[status] == 0 {
				t.Errorf("the history never had a case %s: %v", status, seen)
			}
		}
	})
}

// checkSLALists compares every list by time-limit status, for the front
// desk (its point), the reviewer (its department) and an administrator,
// with the statuses the cases compute themselves.
func checkSLALists(t *testing.T, f *fixture, day string, admin auth.User, seen map[string]int) {
	t.Helper()
	ctx := context.Background()
	everything, _, err := f.svc.List(ctx, admin, cases.Filter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int64{}
	for i := range everything {
		st := f.svc.SLA(&everything[i]).Status
		want[st] = append(want[st], everything[i].ID)
	}
	for _, status := range cases.SLAStatuses {
		slices.Sort(want[status])
		seen[status] += len(want[status])
		for _, u := range []auth.User{f.front, f.reviewer, admin} {
			list, total, err := f.svc.List(ctx, u, cases.Filter{SLA: status, Limit: 200})
			if err != nil {
				t.Fatalf("%s, %s as %s: %v", day, status, u.Username, err)
			}
			var got, paged []int64
			for _, c := range list {
				got = append(got, c.ID)
			}
			// Page by page, two at a time, the same cases in the same order.
			for offset := 0; offset < total; offset += 2 {
				page, _, err := f.svc.List(ctx, u, cases.Filter{SLA: status, Limit: 2, Offset: offset})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page {
					paged = append(paged, c.ID)
				}
			}
			if !slices.Equal(paged, got) {
				t.Errorf("%s, %s as %s: pages of two %v, want %v", day, status, u.Username, paged, got)
			}
			slices.Sort(got)
			if total != len(want[status]) || !slices.Equal(got, want[status]) {
				t.Errorf("%s, %s as %s: %d cases %v, want %v", day, status, u.Username, total, got, want[status])
			}
		}
	}
}

// The totals of the lists by running time-limit status read the kept
// counts by their key (the point's or the department's days in warning or
// overdue), a page reads the running cases of its point or department in due
// order from cases_point_due or cases_department_due (every point's from
// cases_running_due) without sorting them,
// and the SLA scan reads cases_point_running. PostgreSQL is told to avoid
// sorts as well as sequential scans: on an empty table its planner weighs a
// sort and an index alike, and the plan shows whether the index can give the
// order at all.
func TestSLAQueriesReadTheRunningIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		today := "2026-11-24"
		for _, status := range []string{cases.SLAOverdue, cases.SLAWarning, cases.SLAOnTime} {
			// Every point's (an administrator's list across the province):
			// the page's ids in due order from cases_running_due.
			cond, args, err := cases.SLACondition(status, today)
			if err != nil {
				t.Fatal(err)
			}
			page := cases.PageIDs(cases.RunningEveryPoint(db.Dialect()), " WHERE "+cond+" AND promised_due <= ?", cases.RunningOrder)
			plan := queryPlan(t, db, page, append(slices.Clip(args), "2026-12-31", 20, 0))
			if !strings.Contains(plan, "cases_running_due") || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
				t.Errorf("%s page of every point does not read cases_running_due in order:\n%s", status, plan)
			}
		}
		if db.Dialect() == store.Postgres {
			// On empty tables PostgreSQL's planner prices a point's page on
			// cases_running_due (filtering by point) the same as on
			// cases_point_due; with statistics it takes the point's index
			// (the plans at a million cases in docs/PERFORMANCE.md). The
			// checks below are of the point's and department's indexes.
			if _, err := db.ExecContext(context.Background(), `DROP INDEX cases_running_due`); err != nil {
				t.Fatal(err)
			}
		}
		for _, status := range []string{cases.SLAOverdue, cases.SLAWarning, cases.SLAOnTime} {
			cond, args, err := cases.SLACondition(status, today)
			if err != nil {
				t.Fatal(err)
			}
			days, dayArgs, _ := cases.SLADays(status, today)
			for _, by := range []struct{ column, kept, index string }{
				{"point_code", "case_sla_points", "cases_point_due"},
				{"department_code", "case_sla_departments", "cases_department_due"},
			} {
				count := cases.KeptSLACount(by.column, days)
				plan := queryPlan(t, db, count, append([]any{"HNZWFW"}, dayArgs...))
				if !strings.Contains(plan, by.kept) || strings.Contains(plan, " cases ") {
					t.Errorf("%s total by %s does not read %s alone:\n%s", status, by.column, by.kept, plan)
				}
				if db.Dialect() == store.SQLite && !strings.Contains(plan, "PRIMARY KEY ("+by.column+"=?") {
					t.Errorf("%s total by %s does not read %s by its key:\n%s", status, by.column, by.kept, plan)
				}
				page := cases.PageIDs("cases", " WHERE "+by.column+" = ? AND "+cond+" AND promised_due <= ?", cases.RunningOrder)
				plan = queryPlan(t, db, page, append(append([]any{"HNZWFW"}, args...), "2026-12-31", 20, 0))
				if !strings.Contains(plan, by.index) {
					t.Errorf("%s page by %s does not read %s:\n%s", status, by.column, by.index, plan)
				}
				if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
					t.Errorf("%s page by %s sorts:\n%s", status, by.column, plan)
				}
				if db.Dialect() == store.SQLite && !strings.Contains(plan, "COVERING INDEX "+by.index) {
					t.Errorf("%s page by %s reads the rows of the cases it skips:\n%s", status, by.column, plan)
				}
			}
		}
		if db.Dialect() == store.Postgres {
			return
		}
		scan := `SELECT * FROM cases WHERE point_code = ? AND ` + cases.RunningSQL + ` AND warn_from <> '' AND warn_from <= ? ORDER BY id`
		if plan := queryPlan(t, db, scan, []any{"HNZWFW", today}); !strings.Contains(plan, "cases_point_running") {
			t.Errorf("the SLA scan does not read cases_point_running:\n%s", plan)
		}
	})
}

// checkKeptSLACounts compares the kept counts of running cases by point and
// by department, warning day and due day with a count of the cases, and
// checks that no row of zero is left.
func checkKeptSLACounts(t *testing.T, db *store.DB, day string) {
	t.Helper()
	for _, column := range []string{"point_code", "department_code"} {
		table := "case_sla_points"
		if column == "department_code" {
			table = "case_sla_departments"
		}
		read := func(q string) map[string]int64 {
			rows, err := db.QueryContext(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int64{}
			for rows.Next() {
				var code, warn, due string
				var n int64
				if err := rows.Scan(&code, &warn, &due, &n); err != nil {
					t.Fatal(err)
				}
				out[code+" "+warn+" "+due] = n
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		got := read(`SELECT ` + column + `, warn_from, promised_due, CAST(SUM(cases) AS BIGINT) FROM ` + table + ` GROUP BY ` + column + `, warn_from, promised_due`)
		want := read(`SELECT ` + column + `, warn_from, promised_due, COUNT(*) FROM cases WHERE ` + cases.RunningSQL + ` AND promised_due <> '' GROUP BY ` + column + `, warn_from, promised_due`)
		if len(want) == 0 {
			continue
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: %s %v, recounted %v", day, table, got, want)
		}
		var zero int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table+` WHERE cases = 0`).Scan(&zero); err != nil {
			t.Fatal(err)
		}
		if zero > 0 {
			t.Errorf("%s: %s keeps %d rows of zero", day, table, zero)
		}
	}
}

// queryPlan returns the plan the engine chooses for query; PostgreSQL is
// told to avoid sequential scans and sorts, as it would on a big table.
func queryPlan(t *testing.T, db *store.DB, query string, args []any) string {
	t.Helper()
	return storetest.QueryPlan(t, db, query, args, "enable_seqscan", "enable_sort")
}

// The web pages' work queues, open and decided cases together, read their
// first page in order from the index of their states (cases_review_queue
// by department, cases_issue_queue by point, migration 00038), as the open
// queue does from cases_open_queue: no sort of a department's or a point's
// decided history.
func TestQueuePagesReadTheirIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, q := range []struct {
			column, index string
			states        []cases.State
		}{
			{"department_code", "cases_open_queue", []cases.State{cases.Accepted, cases.InReview, cases.SupplementNeeded}},
			{"department_code", "cases_review_queue", cases.ReviewQueueStates},
			{"point_code", "cases_issue_queue", cases.IssueQueueStates},
		} {
			cond := cases.QueueStatesSQL(q.states)
			if cond == "" {
				t.Fatalf("%v: no index condition", q.states)
			}
			page := `SELECT id FROM cases WHERE ` + q.column + ` = ? AND ` + cond +
				` ORDER BY CASE WHEN promised_due = '' THEN 1 ELSE 0 END, promised_due, id LIMIT ? OFFSET ?`
			plan := queryPlan(t, db, page, []any{"HN-SCJG", 20, 0})
			index := q.index
			if db.Dialect() == store.Postgres && q.index == "cases_open_queue" {
				// On empty tables PostgreSQL prices the review queue's index,
				// which holds the open cases too, the same; with statistics
				// it takes the smaller (docs/PERFORMANCE.md, ten million cases).
				index = "_queue on cases"
			}
			if !strings.Contains(plan, index) || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
				t.Errorf("the queue of %v does not read %s in order:\n%s", q.states, q.index, plan)
			}
		}
		if cases.QueueStatesSQL([]cases.State{cases.Accepted}) != "" {
			t.Error("a single state is taken for a queue's set")
		}
	})
}
