package cases

import (
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// runningSQL is the condition of the indexes of running cases
// (cases_point_running, cases_point_due, cases_department_due,
// cases_running_due: accepted or in review, not paused), word for word:
// SQLite uses a partial index only when the query repeats its condition.
const runningSQL = "state IN ('accepted', 'in_review') AND paused_since = ''"

// slaDays is the condition of a time-limit status of running cases on today
// (YYYY-MM-DD) on their warning and due days alone, the columns the kept
// counts (case_sla_points, case_sla_departments) share with cases; ok is
// false for the other statuses. A case's warning period starts on or before
// its due date (or is unset, ”, which sorts first), so an overdue case has
// warn_from <= today too. A case without a warning day is on time until it
// is due, as ComputeSLA has it.
func slaDays(sla, today string) (cond string, args []any, ok bool) {
	switch sla {
	case SLAOverdue:
		return "warn_from <= ? AND promised_due < ?", []any{today, today}, true
	case SLAWarning:
		return "warn_from <> '' AND warn_from <= ? AND promised_due >= ?", []any{today, today}, true
	case SLAOnTime:
		return "(warn_from > ? OR warn_from = '') AND promised_due >= ?", []any{today, today}, true
	}
	return "", nil, false
}

// slaCondition is the condition on cases of a list by time-limit status on
// today (YYYY-MM-DD): the running cases with a due date, on their days.
func slaCondition(sla, today string) (string, []any, error) {
	if days, args, ok := slaDays(sla, today); ok {
		return runningSQL + " AND promised_due <> '' AND " + days, args, nil
	}
	if sla == SLAPaused {
		return "paused_since <> '' AND state IN ('accepted', 'in_review', 'supplement_required')", nil, nil
	}
	return "", nil, apperr.Fields{apperr.Field("sla", "unknown", apperr.M("时限状态须为 on_time、warning、overdue 或 paused", "sla must be on_time, warning, overdue or paused"))}.Err()
}

// runningOrder is the order of a list of running cases by time-limit
// status: earliest due first, the order of cases_point_due,
// cases_department_due and cases_running_due, so that a page is read from
// the index in order and stops at its end.
const runningOrder = " ORDER BY promised_due, id"

// statesAllowRunning reports whether a list's state filter lets every
// running case through (none, or both running states): a list by a running
// time-limit status then needs no state condition of its own.
func statesAllowRunning(states []State) bool {
	return len(states) == 0 || slices.Contains(states, Accepted) && slices.Contains(states, InReview)
}

// keptSLACount is the query of a list's total by running time-limit status
// from the kept counts, with the latest due day among them (” when none),
// which bounds the page's read of the index: the rows of one point
// (column point_code) or one department (department_code), or of every
// department (column ""). They are a few rows per day in warning or
// overdue, whatever the number of cases.
func keptSLACount(column, days string) string {
	from, where := "case_sla_departments", " WHERE "
	if column == "point_code" {
		from = "case_sla_points"
	}
	if column != "" {
		where += column + " = ? AND "
	}
	return `SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT), COALESCE(MAX(promised_due), '') FROM ` + from + where + days
}

// pageByIDs is the query of a page of a list by time-limit status: the
// page's ids first, from an index of running cases alone (it holds the
// condition's and the order's columns), then the page's rows, instead of
// every matching case read whole. from is the table the ids are read from:
// "cases", or runningEveryPoint's.
func pageByIDs(from, cond, order string) string {
	return `SELECT ` + caseColumns + ` FROM cases WHERE id IN (` + pageIDs(from, cond, order) + `)` + order
}

// pageIDs is the query of the ids of a page (pageByIDs): the one that reads
// the index.
func pageIDs(from, cond, order string) string {
	return `SELECT id FROM ` + from + cond + order + ` LIMIT ? OFFSET ?`
}

// runningEveryPoint is the table a page of running cases of every point
// (an administrator's list across the province) reads its ids from. SQLite
// is told the index: without statistics its planner prefers any index with
// the state first and sorts every overdue case of the province, where
// cases_running_due gives them in due order; and INDEXED BY fails the query
// rather than sort should the index ever not fit it. PostgreSQL's planner
// chooses by its statistics.
func runningEveryPoint(d store.Dialect) string {
	if d == store.SQLite {
		return "cases INDEXED BY cases_running_due"
	}
	return "cases"
}
