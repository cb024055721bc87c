package figures_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/figures"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// stateCountsAgree holds the counts kept per point, department and state
// against a count of the cases, and the totals of lists counted from them
// (a point's list, a department's queue, everything) against counting the
// cases the list shows.
func stateCountsAgree(t *testing.T, f *fixture, when string) {
	t.Helper()
	ctx := context.Background()
	read := func(query string) map[string]int {
		t.Helper()
		rows, err := f.db.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var p, d, st string
			var n int
			if err := rows.Scan(&p, &d, &st, &n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				out[p+" "+d+" "+st] = n
			}
		}
		return out
	}
	kept := read(`SELECT point_code, department_code, state, CAST(SUM(cases) AS BIGINT) FROM case_state_counts GROUP BY point_code, department_code, state`)
	counted := read(`SELECT point_code, department_code, state, COUNT(*) FROM cases GROUP BY point_code, department_code, state`)
	if len(counted) == 0 || !reflect.DeepEqual(kept, counted) {
		t.Errorf("%s: the kept counts by point, department and state differ from a count:\nkept    %v\ncounted %v", when, kept, counted)
	}
	kept = read(`SELECT '', department_code, state, CAST(SUM(cases) AS BIGINT) FROM case_state_counts_departments GROUP BY department_code, state`)
	counted = read(`SELECT '', department_code, state, COUNT(*) FROM cases GROUP BY department_code, state`)
	if len(counted) == 0 || !reflect.DeepEqual(kept, counted) {
		t.Errorf("%s: the kept counts by department and state differ from a count:\nkept    %v\ncounted %v", when, kept, counted)
	}
	for _, l := range []struct {
		who    auth.User
		filter cases.Filter
	}{
		{desk(hallPt), cases.Filter{}},
		{desk(otherPt), cases.Filter{}},
		{desk(hallPt), cases.Filter{States: []cases.State{cases.Approved, cases.Refused, cases.Accepted}}},
		{reviewer(deptYB), cases.Filter{Sort: "due"}},
		{reviewer(deptRS), cases.Filter{}},
		{reviewer(deptRS), cases.Filter{Point: hallPt}},
		{f.admin, cases.Filter{Department: deptRS, States: []cases.State{cases.Approved}}},
		{f.admin, cases.Filter{}},
		{f.admin, cases.Filter{Point: hallPt, Department: deptYB}},
	} {
		l.filter.Limit = 200
		list, total, err := f.cases.List(ctx, l.who, l.filter)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(list) {
			t.Errorf("%s: %s's list %+v shows %d cases, its total says %d", when, l.who.Username, l.filter, len(list), total)
		}
	}
}

// reportsAgree asks the kept monthly figures and the recount of the cases
// the same questions and fails on any difference.
func reportsAgree(t *testing.T, f *fixture, when string) {
	t.Helper()
	ctx := context.Background()
	recount := figures.Recounting(f.figures)
	for _, q := range []figures.Query{
		{From: figures.Month{Year: 2025, Month: 4}, To: figures.Month{Year: 2026, Month: 3}},
		{From: figures.Month{Year: 2024, Month: 12}, To: figures.Month{Year: 2026, Month: 6}},
		{From: figures.Month{Year: 2025, Month: 6}, To: figures.Month{Year: 2025, Month: 7}},
		{From: figures.Month{Year: 2025, Month: 4}, To: figures.Month{Year: 2026, Month: 3}, Division: huinan},
		{From: figures.Month{Year: 2025, Month: 4}, To: figures.Month{Year: 2026, Month: 3}, Point: hallPt},
		{From: figures.Month{Year: 2025, Month: 4}, To: figures.Month{Year: 2026, Month: 3}, Department: deptRS},
		{From: figures.Month{Year: 2025, Month: 4}, To: figures.Month{Year: 2026, Month: 3}, Division: tonghua, Department: deptYB},
	} {
		kept, err := f.figures.Figures(ctx, f.admin, q)
		if err != nil {
			t.Fatal(err)
		}
		counted, err := recount.Figures(ctx, f.admin, q)
		if err != nil {
			t.Fatal(err)
		}
		if kept.Totals.Accepted+kept.Totals.Decided == 0 && counted.Totals.Accepted+counted.Totals.Decided > 0 {
			t.Errorf("%s, %+v: the kept figures count nothing, the recount %+v", when, q, counted.Totals.Counts)
		}
		if !reflect.DeepEqual(kept, counted) {
			t.Errorf("%s, %+v: the kept figures differ from the recount:\nkept    %+v\ncounted %+v", when, q, kept, counted)
		}
	}
}

// The monthly figures and the counts by state kept as cases change equal a full recount of the
// cases after a mixed history: intakes at the desk and online, not
// accepted, paused, refused, decided on the edges of months and due dates,
// and then cases changed by hand (moved to another point or department,
// their decision withdrawn or redated, their due date moved), copied in
// whole (as a bulk load writes them), and deleted. The counts the figures
// migration starts from equal the recount too.
func TestKeptFiguresAndCountsEqualARecount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, p := range history() {
			f.create(p)
		}
		reportsAgree(t, f, "after the history")
		stateCountsAgree(t, f, "after the history")
		if f.figures == nil || len(f.created) < 8 {
			t.Fatal("the history created too few cases")
		}

		exec := func(query string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, query, args...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		ids := f.created
		exec(`UPDATE cases SET point_code = ? WHERE id = ?`, otherPt, ids[0])
		exec(`UPDATE cases SET department_code = ? WHERE id = ?`, deptSF, ids[1])
		exec(`UPDATE cases SET decided_at = ? WHERE id = ?`, store.Stamp(""), ids[3])
		exec(`UPDATE cases SET decided_at = '2025-10-31T16:00:00.000000Z' WHERE id = ?`, ids[4])
		exec(`UPDATE cases SET promised_due = '2025-06-29' WHERE id = ?`, ids[2])
		exec(`UPDATE cases SET channel = 'online', accepted_at = '2025-08-31T15:59:59.999999Z' WHERE id = ?`, ids[5])
		exec(`UPDATE cases SET state = state WHERE id = ?`, ids[6])
		exec(`UPDATE cases SET state = 'closed' WHERE id = ?`, ids[7])
		reportsAgree(t, f, "after changes by hand")
		stateCountsAgree(t, f, "after changes by hand")

		// A copy of a decided case, inserted whole.
		var columns []string
		rows, err := db.QueryContext(ctx, `SELECT * FROM cases WHERE id = ?`, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if columns, err = rows.Columns(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		var into, from []string
		for _, c := range columns {
			switch c {
			case "id":
			case "number":
				into, from = append(into, c), append(from, "number || '-C'")
			case "verify_code":
			default:
				into, from = append(into, c), append(from, c)
			}
		}
		exec(`INSERT INTO cases (`+strings.Join(into, ", ")+`) SELECT `+strings.Join(from, ", ")+` FROM cases WHERE id = ?`, ids[0])
		reportsAgree(t, f, "after a copy")
		stateCountsAgree(t, f, "after a copy")

		// A case deleted with what refers to it (never done by the services).
		if _, err := db.ExecContext(ctx, `DELETE FROM cases WHERE number LIKE '%-C'`); err != nil {
			t.Fatalf("delete: %v", err)
		}
		reportsAgree(t, f, "after a delete")
		stateCountsAgree(t, f, "after a delete")

		// The counts the migration starts an existing database from.
		for _, table := range []string{"case_month_figures", "case_month_points", "case_month_departments", "case_state_counts", "case_state_counts_departments"} {
			exec(`DELETE FROM ` + table)
		}
		for _, stmt := range initialCounts(t, db.Dialect()) {
			exec(stmt)
		}
		reportsAgree(t, f, "after counting afresh")
		stateCountsAgree(t, f, "after counting afresh")
	})
}

// initialCounts are the statements of the migration that count the cases
// already there into the monthly figures and the counts by state.
func initialCounts(t *testing.T, d store.Dialect) []string {
	t.Helper()
	b, err := os.ReadFile("../store/migrations/00018_growth." + string(d) + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "-- The cases already there.\n")
	block, _, ok2 := strings.Cut(rest, "\n\n")
	if !ok || !ok2 {
		t.Fatal("the migration has no statements counting the cases already there")
	}
	if d == store.Postgres {
		// Not yet is NULL on PostgreSQL since migration 00036.
		block = strings.NewReplacer("accepted_at <> ''", "accepted_at IS NOT NULL", "decided_at <> ''", "decided_at IS NOT NULL").Replace(block)
	}
	var out []string
	for _, stmt := range strings.Split(block, ";\n") {
		if strings.TrimSpace(stmt) != "" {
			out = append(out, stmt)
		}
	}
	if len(out) != 5 {
		t.Fatalf("%d statements count the cases already there, want 5", len(out))
	}
	return out
}
