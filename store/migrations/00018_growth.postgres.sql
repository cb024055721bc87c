-- +goose Up
-- Requests whose cost grew with the history of cases.
--
-- The departments' work queues read the open cases only, earliest promised
-- date first (those without one last): this index holds the open cases only,
-- in that order, so the first page is read in order and the index stays the
-- size of the work in hand. The queries name the states as literals, word
-- for word, as SQLite needs to use a partial index.
CREATE INDEX cases_open_queue ON cases (department_code, (CASE WHEN promised_due = '' THEN 1 ELSE 0 END), promised_due, id)
    WHERE state IN ('accepted', 'in_review', 'supplement_required');

-- The extension requests waiting for a decision start from the cases that
-- ever asked for one, found by the kind of event.
CREATE INDEX case_events_action ON case_events (action, case_id);

-- The province's figures (package figures) by month: the cases accepted (and
-- of them online) and decided (and of them on time) per month in China, kept
-- up to date by triggers on cases in the same transaction as every change,
-- so that a year's figures read a bounded number of rows however many cases
-- there are. Three grains: per point and department (questions about a
-- department, a division or a point), per point and per department (the
-- whole province: a few rows per point and month). slot spreads one row over
-- several (by case id) where writers run in parallel (PostgreSQL), so that
-- concurrent intakes do not queue on one row; readers add the slots up. The
-- month of an instant is its month in China: stored instants are UTC text,
-- and only the last day of a month from 16:00 UTC on belongs to the next
-- (figures.StoredMonth). A case is on time when decided on its promised due
-- date in China or before (figures.StoredOnTime).
CREATE TABLE case_month_figures (
    point_code      TEXT NOT NULL,
    department_code TEXT NOT NULL,
    month           TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    accepted        BIGINT NOT NULL DEFAULT 0,
    online          BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    on_time         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (point_code, department_code, month, slot)
);
CREATE INDEX case_month_figures_department ON case_month_figures (department_code, month, point_code, accepted, online, decided, on_time);
CREATE TABLE case_month_points (
    month      TEXT NOT NULL,
    point_code TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    accepted   BIGINT NOT NULL DEFAULT 0,
    online     BIGINT NOT NULL DEFAULT 0,
    decided    BIGINT NOT NULL DEFAULT 0,
    on_time    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, point_code, slot)
);
CREATE TABLE case_month_departments (
    month           TEXT NOT NULL,
    department_code TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    accepted        BIGINT NOT NULL DEFAULT 0,
    online          BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    on_time         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, department_code, slot)
);

-- How many cases there are per point, department and state, and per
-- department and state, kept by triggers on cases like the monthly figures,
-- so that a list's total (a point's cases at the front desk, a department's
-- queue, everything) is a sum over a few rows instead of a count of every
-- case (tens of milliseconds at a million).
CREATE TABLE case_state_counts (
    point_code      TEXT NOT NULL,
    department_code TEXT NOT NULL,
    state           TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (point_code, department_code, state, slot)
);
CREATE TABLE case_state_counts_departments (
    department_code TEXT NOT NULL,
    state           TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_code, state, slot)
);

-- The month in China of a stored instant, and whether a decision kept its
-- promised due date; "C" compares the text byte by byte, as the figures do.
-- +goose StatementBegin
CREATE FUNCTION case_month_of(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN substr(t, 12, 2) >= '16' THEN to_char(substr(t, 1, 10)::date + 1, 'YYYY-MM') ELSE substr(t, 1, 7) END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION case_on_time(decided TEXT, due TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(due) = 10 AND (substr(decided, 1, 10) COLLATE "C" < due COLLATE "C"
        OR substr(decided, 1, 10) = due AND substr(decided, 11) COLLATE "C" < 'T16:00:00') THEN 1 ELSE 0 END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION case_month_figures_add(p TEXT, d TEXT, m TEXT, s INTEGER, a INTEGER, o INTEGER, dc INTEGER, ot INTEGER)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
    VALUES (p, d, m, s, a, o, dc, ot)
    ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
    VALUES (m, p, s, a, o, dc, ot)
    ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
    VALUES (m, d, s, a, o, dc, ot)
    ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
$$;
-- +goose StatementEnd

-- The cases already there.
INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
SELECT point_code, department_code, month, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, case_month_of(accepted_at) AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, case_month_of(decided_at), 0, 0, 1, case_on_time(decided_at, promised_due)
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY point_code, department_code, month;
INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
SELECT month, point_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, case_month_of(accepted_at) AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, case_month_of(decided_at), 0, 0, 1, case_on_time(decided_at, promised_due)
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY month, point_code;
INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
SELECT month, department_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, case_month_of(accepted_at) AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, case_month_of(decided_at), 0, 0, 1, case_on_time(decided_at, promised_due)
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY month, department_code;
INSERT INTO case_state_counts (point_code, department_code, state, slot, cases)
SELECT point_code, department_code, state, 0, COUNT(*) FROM cases GROUP BY point_code, department_code, state;
INSERT INTO case_state_counts_departments (department_code, state, slot, cases)
SELECT department_code, state, 0, COUNT(*) FROM cases GROUP BY department_code, state;

-- Eight slots by case id: PostgreSQL runs intakes in parallel, and each
-- holds the rows it adds to until it commits.
-- +goose StatementBegin
CREATE FUNCTION cases_month_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
        IF OLD.accepted_at <> '' AND (TG_OP = 'DELETE' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.accepted_at), (OLD.id % 8)::integer,
                -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0);
        END IF;
        IF OLD.decided_at <> '' AND (TG_OP = 'DELETE' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.decided_at), (OLD.id % 8)::integer,
                0, 0, -1, -case_on_time(OLD.decided_at, OLD.promised_due));
        END IF;
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        IF NEW.accepted_at <> '' AND (TG_OP = 'INSERT' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.accepted_at), (NEW.id % 8)::integer,
                1, CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END, 0, 0);
        END IF;
        IF NEW.decided_at <> '' AND (TG_OP = 'INSERT' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.decided_at), (NEW.id % 8)::integer,
                0, 0, 1, case_on_time(NEW.decided_at, NEW.promised_due));
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_month_figures AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_month_figures();

-- The two rows a change moves a case between are taken in one order (by
-- state, then point and department), so that two transactions moving cases
-- in opposite directions never wait for each other in a circle.
-- +goose StatementBegin
CREATE FUNCTION case_state_counts_add(p TEXT, d TEXT, st TEXT, s INTEGER, n INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (p, d, st, s, n)
    ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts_departments (department_code, state, slot, cases) VALUES (d, st, s, n)
    ON CONFLICT (department_code, state, slot) DO UPDATE SET cases = case_state_counts_departments.cases + excluded.cases;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION cases_state_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM case_state_counts_add(NEW.point_code, NEW.department_code, NEW.state, (NEW.id % 8)::integer, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM case_state_counts_add(OLD.point_code, OLD.department_code, OLD.state, (OLD.id % 8)::integer, -1);
    ELSIF OLD.state IS DISTINCT FROM NEW.state OR OLD.point_code IS DISTINCT FROM NEW.point_code
            OR OLD.department_code IS DISTINCT FROM NEW.department_code THEN
        IF (OLD.state COLLATE "C", OLD.point_code COLLATE "C", OLD.department_code COLLATE "C")
                < (NEW.state COLLATE "C", NEW.point_code COLLATE "C", NEW.department_code COLLATE "C") THEN
            PERFORM case_state_counts_add(OLD.point_code, OLD.department_code, OLD.state, (OLD.id % 8)::integer, -1);
            PERFORM case_state_counts_add(NEW.point_code, NEW.department_code, NEW.state, (NEW.id % 8)::integer, 1);
        ELSE
            PERFORM case_state_counts_add(NEW.point_code, NEW.department_code, NEW.state, (NEW.id % 8)::integer, 1);
            PERFORM case_state_counts_add(OLD.point_code, OLD.department_code, OLD.state, (OLD.id % 8)::integer, -1);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_state_counts AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_state_counts();

-- +goose Down
DROP TRIGGER cases_state_counts ON cases;
DROP FUNCTION cases_state_counts();
DROP FUNCTION case_state_counts_add(TEXT, TEXT, TEXT, INTEGER, INTEGER);
DROP TRIGGER cases_month_figures ON cases;
DROP FUNCTION cases_month_figures();
DROP FUNCTION case_month_figures_add(TEXT, TEXT, TEXT, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER);
DROP FUNCTION case_on_time(TEXT, TEXT);
DROP FUNCTION case_month_of(TEXT);
DROP TABLE case_state_counts_departments;
DROP TABLE case_state_counts;
DROP TABLE case_month_departments;
DROP TABLE case_month_points;
DROP TABLE case_month_figures;
DROP INDEX case_events_action;
DROP INDEX cases_open_queue;
