-- +goose Up
-- The lists by time-limit status grew with the work in hand: their totals
-- counted every case in warning or overdue, and a page sorted their ids.
--
-- How many running cases (accepted or in review, not paused, with a
-- promised due date) there are per point, and per department, by the day
-- their warning starts and the day they are due, kept by triggers on cases
-- in the same transaction as every change, like case_state_counts (eight
-- slots by case id, for intakes in parallel): a list's total by time-limit
-- status is a sum over the few days in warning or overdue (cases.List), not
-- a count of the cases. A row whose count falls to zero is deleted, so that
-- the overdue days are those of the cases still running, however long the
-- history.
CREATE TABLE case_sla_points (
    point_code   TEXT NOT NULL,
    warn_from    TEXT NOT NULL,
    promised_due TEXT NOT NULL,
    slot         INTEGER NOT NULL,
    cases        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (point_code, warn_from, promised_due, slot)
);
CREATE TABLE case_sla_departments (
    department_code TEXT NOT NULL,
    warn_from       TEXT NOT NULL,
    promised_due    TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_code, warn_from, promised_due, slot)
);

-- A page of such a list, earliest due first, read in that order from the
-- running cases of the point or department and stopped at its end, instead
-- of every matching id sorted. The department's replaces
-- cases_department_running, whose counts the kept rows now give;
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

-- Adds n to the rows of a point's and a department's day, and deletes them
-- when they fall to zero.
-- +goose StatementBegin
CREATE FUNCTION case_sla_counts_add(p TEXT, d TEXT, w TEXT, due TEXT, s INTEGER, n INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_sla_points (point_code, warn_from, promised_due, slot, cases) VALUES (p, w, due, s, n)
    ON CONFLICT (point_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_points.cases + excluded.cases;
    DELETE FROM case_sla_points WHERE point_code = p AND warn_from = w AND promised_due = due AND slot = s AND cases = 0;
    INSERT INTO case_sla_departments (department_code, warn_from, promised_due, slot, cases) VALUES (d, w, due, s, n)
    ON CONFLICT (department_code, warn_from, promised_due, slot) DO UPDATE SET cases = case_sla_departments.cases + excluded.cases;
    DELETE FROM case_sla_departments WHERE department_code = d AND warn_from = w AND promised_due = due AND slot = s AND cases = 0;
$$;
-- +goose StatementEnd

-- The two rows a change moves a case between are taken in one order (by
-- warning day, due day, point, department), so that two transactions moving
-- cases in opposite directions never wait for each other in a circle.
-- +goose StatementBegin
CREATE FUNCTION cases_sla_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was BOOLEAN := false;
    is_now BOOLEAN := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := OLD.state IN ('accepted', 'in_review') AND OLD.paused_since = '' AND OLD.promised_due <> '';
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_now := NEW.state IN ('accepted', 'in_review') AND NEW.paused_since = '' AND NEW.promised_due <> '';
    END IF;
    IF was AND is_now AND OLD.warn_from = NEW.warn_from AND OLD.promised_due = NEW.promised_due
            AND OLD.point_code = NEW.point_code AND OLD.department_code = NEW.department_code THEN
        RETURN NULL;
    END IF;
    IF was AND is_now AND (OLD.warn_from COLLATE "C", OLD.promised_due COLLATE "C", OLD.point_code COLLATE "C", OLD.department_code COLLATE "C")
            > (NEW.warn_from COLLATE "C", NEW.promised_due COLLATE "C", NEW.point_code COLLATE "C", NEW.department_code COLLATE "C") THEN
        PERFORM case_sla_counts_add(NEW.point_code, NEW.department_code, NEW.warn_from, NEW.promised_due, (NEW.id % 8)::integer, 1);
        PERFORM case_sla_counts_add(OLD.point_code, OLD.department_code, OLD.warn_from, OLD.promised_due, (OLD.id % 8)::integer, -1);
        RETURN NULL;
    END IF;
    IF was THEN
        PERFORM case_sla_counts_add(OLD.point_code, OLD.department_code, OLD.warn_from, OLD.promised_due, (OLD.id % 8)::integer, -1);
    END IF;
    IF is_now THEN
        PERFORM case_sla_counts_add(NEW.point_code, NEW.department_code, NEW.warn_from, NEW.promised_due, (NEW.id % 8)::integer, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_sla_counts AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_sla_counts();

-- +goose Down
DROP TRIGGER cases_sla_counts ON cases;
DROP FUNCTION cases_sla_counts();
DROP FUNCTION case_sla_counts_add(TEXT, TEXT, TEXT, TEXT, INTEGER, INTEGER);
CREATE INDEX cases_department_running ON cases (department_code, warn_from, promised_due, state, id)
    WHERE state IN ('accepted', 'in_review') AND paused_since = '';
DROP INDEX cases_department_due;
DROP INDEX cases_point_due;
DROP TABLE case_sla_departments;
DROP TABLE case_sla_points;
