-- +goose Up
-- The lists by time-limit status grew with the work in hand: their totals
-- counted every case in warning or overdue, and a page sorted their ids.
--
-- How many running cases (accepted or in review, not paused, with a
-- promised due date) there are per point, and per department, by the day
-- their warning starts and the day they are due, kept by triggers on cases
-- in the same transaction as every change, like case_state_counts: a list's
-- total by time-limit status is a sum over the few days in warning or
-- overdue (cases.List), not a count of the cases. A row whose count falls
-- to zero is deleted, so that the overdue days are those of the cases still
-- running, however long the history.
CREATE TABLE case_sla_points (
    point_code   TEXT NOT NULL,
    warn_from    TEXT NOT NULL,
    promised_due TEXT NOT NULL,
    slot         INTEGER NOT NULL,
    cases        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (point_code, warn_from, promised_due, slot)
) WITHOUT ROWID;
CREATE TABLE case_sla_departments (
    department_code TEXT NOT NULL,
    warn_from       TEXT NOT NULL,
    promised_due    TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_code, warn_from, promised_due, slot)
) WITHOUT ROWID;

-- A page of such a list, earliest due first, read in that order from the
-- running cases of the point or department and stopped at its end, instead
-- of every matching id sorted. warn_from is in the index so that the
-- warning condition is tested without reading the row. The department's
-- replaces cases_department_running, whose counts the kept rows now give;
-- cases_point_running stays for the SLA scan.
CREATE INDEX cases_point_due ON cases (point_code, promised_due, id, warn_from, state, paused_since)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
CREATE INDEX cases_department_due ON cases (department_code, promised_due, id, warn_from, state, paused_since)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
DROP INDEX cases_department_running;

-- The cases already there.
INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases)
SELECT point_code, warn_from, promised_due, 0, COUNT(*) FROM cases
WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''
GROUP BY point_code, warn_from, promised_due;
INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases)
SELECT department_code, warn_from, promised_due, 0, COUNT(*) FROM cases
WHERE state IN ('accepted', 'in_review') AND paused_since = '' AND promised_due <> ''
GROUP BY department_code, warn_from, promised_due;

-- +goose StatementBegin
CREATE TRIGGER cases_sla_counts_insert AFTER INSERT ON cases
WHEN NEW.state IN ('accepted', 'in_review') AND NEW.paused_since = '' AND NEW.promised_due <> ''
BEGIN
    INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases) VALUES (NEW.point_code, NEW.warn_from, NEW.promised_due, 0, 1)
        ON CONFLICT (point_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_points.cases + excluded.cases;
    INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases) VALUES (NEW.department_code, NEW.warn_from, NEW.promised_due, 0, 1)
        ON CONFLICT (department_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_departments.cases + excluded.cases;
END;
-- +goose StatementEnd

-- Fires when the case starts or stops running, or moves between rows
-- (a new due date or warning day: an extension, the end of a pause).
-- +goose StatementBegin
CREATE TRIGGER cases_sla_counts_update
AFTER UPDATE OF state, paused_since, promised_due, warn_from, point_code, department_code ON cases
WHEN (OLD.state IN ('accepted', 'in_review') AND OLD.paused_since = '' AND OLD.promised_due <> '')
        IS NOT (NEW.state IN ('accepted', 'in_review') AND NEW.paused_since = '' AND NEW.promised_due <> '')
    OR OLD.promised_due IS NOT NEW.promised_due OR OLD.warn_from IS NOT NEW.warn_from
    OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code
BEGIN
    INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases)
        SELECT OLD.point_code, OLD.warn_from, OLD.promised_due, 0, -1
        WHERE OLD.state IN ('accepted', 'in_review') AND OLD.paused_since = '' AND OLD.promised_due <> ''
        ON CONFLICT (point_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_points.cases + excluded.cases;
    DELETE FROM case_sla_points
        WHERE point_code = OLD.point_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0 AND cases = 0;
    INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases)
        SELECT OLD.department_code, OLD.warn_from, OLD.promised_due, 0, -1
        WHERE OLD.state IN ('accepted', 'in_review') AND OLD.paused_since = '' AND OLD.promised_due <> ''
        ON CONFLICT (department_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_departments.cases + excluded.cases;
    DELETE FROM case_sla_departments
        WHERE department_code = OLD.department_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0 AND cases = 0;
    INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases)
        SELECT NEW.point_code, NEW.warn_from, NEW.promised_due, 0, 1
        WHERE NEW.state IN ('accepted', 'in_review') AND NEW.paused_since = '' AND NEW.promised_due <> ''
        ON CONFLICT (point_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_points.cases + excluded.cases;
    INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases)
        SELECT NEW.department_code, NEW.warn_from, NEW.promised_due, 0, 1
        WHERE NEW.state IN ('accepted', 'in_review') AND NEW.paused_since = '' AND NEW.promised_due <> ''
        ON CONFLICT (department_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_departments.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_sla_counts_delete AFTER DELETE ON cases
WHEN OLD.state IN ('accepted', 'in_review') AND OLD.paused_since = '' AND OLD.promised_due <> ''
BEGIN
    UPDATE case_sla_points SET cases = cases - 1
        WHERE point_code = OLD.point_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0;
    DELETE FROM case_sla_points
        WHERE point_code = OLD.point_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0 AND cases = 0;
    UPDATE case_sla_departments SET cases = cases - 1
        WHERE department_code = OLD.department_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0;
    DELETE FROM case_sla_departments
        WHERE department_code = OLD.department_code AND warn_from = OLD.warn_from AND promised_due = OLD.promised_due AND slot = 0 AND cases = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_sla_counts_delete;
DROP TRIGGER cases_sla_counts_update;
DROP TRIGGER cases_sla_counts_insert;
CREATE INDEX cases_department_running ON cases (department_code, warn_from, promised_due, state, id)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
DROP INDEX cases_department_due;
DROP INDEX cases_point_due;
DROP TABLE case_sla_departments;
DROP TABLE case_sla_points;
