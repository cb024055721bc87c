-- +goose Up
-- The cases whose time limit runs (accepted or in review, not paused), by
-- the day their warning period starts: the counts and lists of the cases in
-- warning or overdue (the hall's page, a department's queue filtered by
-- time-limit status) and the SLA scan read the cases in warning and overdue
-- only, from the index alone for a count, instead of every open case of the
-- point. A case's warning period starts on or before its promised due date,
-- so the overdue ones are in the same range (cases.List names it). The
-- queries write the condition word for word, as SQLite needs to use a
-- partial index. It replaces cases_point_sla, which held every case of
-- every state and was read for nothing else.
CREATE INDEX cases_point_running ON cases (point_code, warn_from, promised_due, state, created_at, id)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
CREATE INDEX cases_department_running ON cases (department_code, warn_from, promised_due, state, id)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
DROP INDEX cases_point_sla;

-- +goose Down
CREATE INDEX cases_point_sla ON cases (point_code, state, warn_from);
DROP INDEX cases_department_running;
DROP INDEX cases_point_running;
