-- +goose Up
-- The running cases of every point in due order (accepted or in review, not
-- paused): an administrator's list by time-limit status across the
-- province reads its page's ids from here, earliest due first, and stops at
-- the page's end, as a point's list does from cases_point_due; without it
-- the page sorted every overdue case of the province, a number that grows
-- with the cases. Its condition is the others' word for word (SQLite uses a
-- partial index only when the query repeats it).
CREATE INDEX cases_running_due ON cases (promised_due, id, warn_from, state, paused_since)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';

-- +goose Down
DROP INDEX cases_running_due;
