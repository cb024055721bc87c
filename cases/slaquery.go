package cases

import "github.com/onewindow/onewindow/apperr"

// runningSQL is the condition of the indexes of running cases
// (cases_point_running, cases_department_running: accepted or in review,
// not paused), word for word: SQLite uses a partial index only when the
// query repeats its condition.
const runningSQL = "state IN ('accepted', 'in_review') AND paused_since = ''"

// slaCondition is the condition of a list of cases by time-limit status on
// today (YYYY-MM-DD). The running cases are read by the day their warning
// period starts: a case's warning period starts on or before its due date
// (or is unset, ”, which sorts first), so an overdue case has warn_from <=
// today too, and saying so bounds the read of the overdue and warning lists
// to the cases in warning and overdue instead of every open case. A case
// without a warning day is on time until it is due, as ComputeSLA has it.
func slaCondition(sla, today string) (string, []any, error) {
	running := runningSQL + " AND promised_due <> ''"
	switch sla {
	case SLAOverdue:
		return running + " AND warn_from <= ? AND promised_due < ?", []any{today, today}, nil
	case SLAWarning:
		return running + " AND warn_from <> '' AND warn_from <= ? AND promised_due >= ?", []any{today, today}, nil
	case SLAOnTime:
		return running + " AND (warn_from > ? OR warn_from = '') AND promised_due >= ?", []any{today, today}, nil
	case SLAPaused:
		return "paused_since <> '' AND state IN ('accepted', 'in_review', 'supplement_required')", nil, nil
	}
	return "", nil, apperr.Fields{apperr.Field("sla", "unknown", apperr.M("时限状态须为 on_time、warning、overdue 或 paused", "sla must be on_time, warning, overdue or paused"))}.Err()
}

// pageByIDs is the query of a page of a list by time-limit status: the
// page's ids first, sorted from the index of running cases alone (it holds
// the order's columns and id), then the page's rows, instead of every
// matching case read whole to be sorted.
func pageByIDs(cond, order string) string {
	return `SELECT ` + caseColumns + ` FROM cases WHERE id IN (SELECT id FROM cases` + cond + order + ` LIMIT ? OFFSET ?)` + order
}
