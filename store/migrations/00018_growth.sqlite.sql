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
) WITHOUT ROWID;
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
) WITHOUT ROWID;
CREATE TABLE case_month_departments (
    month           TEXT NOT NULL,
    department_code TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    accepted        BIGINT NOT NULL DEFAULT 0,
    online          BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    on_time         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, department_code, slot)
) WITHOUT ROWID;

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
) WITHOUT ROWID;
CREATE TABLE case_state_counts_departments (
    department_code TEXT NOT NULL,
    state           TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_code, state, slot)
) WITHOUT ROWID;

-- SQLite keeps the counted tables WITHOUT ROWID: a row lives in its key's
-- B-tree, so a range of months is read in one pass, not key then row.

-- The cases already there.
INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
SELECT point_code, department_code, month, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, CASE WHEN substr(accepted_at, 12, 2) >= '16' THEN substr(date(substr(accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(accepted_at, 1, 7) END AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, CASE WHEN substr(decided_at, 12, 2) >= '16' THEN substr(date(substr(decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(decided_at, 1, 7) END, 0, 0, 1, CASE WHEN length(promised_due) = 10 AND (substr(decided_at, 1, 10) < promised_due OR substr(decided_at, 1, 10) = promised_due AND substr(decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY point_code, department_code, month;
INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
SELECT month, point_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, CASE WHEN substr(accepted_at, 12, 2) >= '16' THEN substr(date(substr(accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(accepted_at, 1, 7) END AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, CASE WHEN substr(decided_at, 12, 2) >= '16' THEN substr(date(substr(decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(decided_at, 1, 7) END, 0, 0, 1, CASE WHEN length(promised_due) = 10 AND (substr(decided_at, 1, 10) < promised_due OR substr(decided_at, 1, 10) = promised_due AND substr(decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY month, point_code;
INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
SELECT month, department_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT point_code, department_code, CASE WHEN substr(accepted_at, 12, 2) >= '16' THEN substr(date(substr(accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(accepted_at, 1, 7) END AS month,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT point_code, department_code, CASE WHEN substr(decided_at, 12, 2) >= '16' THEN substr(date(substr(decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(decided_at, 1, 7) END, 0, 0, 1, CASE WHEN length(promised_due) = 10 AND (substr(decided_at, 1, 10) < promised_due OR substr(decided_at, 1, 10) = promised_due AND substr(decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY month, department_code;
INSERT INTO case_state_counts (point_code, department_code, state, slot, cases)
SELECT point_code, department_code, state, 0, COUNT(*) FROM cases GROUP BY point_code, department_code, state;
INSERT INTO case_state_counts_departments (department_code, state, slot, cases)
SELECT department_code, state, 0, COUNT(*) FROM cases GROUP BY department_code, state;

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_insert AFTER INSERT ON cases
WHEN NEW.accepted_at <> '' OR NEW.decided_at <> ''
BEGIN
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT NEW.point_code, NEW.department_code, CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> ''
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.point_code, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> ''
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.department_code, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> ''
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT NEW.point_code, NEW.department_code, CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> ''
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.point_code, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> ''
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.department_code, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> ''
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_update
AFTER UPDATE OF accepted_at, decided_at, promised_due, channel, point_code, department_code ON cases
WHEN OLD.accepted_at IS NOT NEW.accepted_at OR OLD.decided_at IS NOT NEW.decided_at
    OR OLD.promised_due IS NOT NEW.promised_due OR OLD.channel IS NOT NEW.channel
    OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code
BEGIN
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT OLD.point_code, OLD.department_code, CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.point_code, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.department_code, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT NEW.point_code, NEW.department_code, CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.point_code, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.department_code, 0, 1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT OLD.point_code, OLD.department_code, CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.point_code, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.department_code, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT NEW.point_code, NEW.department_code, CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.point_code, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.department_code, 0, 0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_delete AFTER DELETE ON cases
WHEN OLD.accepted_at <> '' OR OLD.decided_at <> ''
BEGIN
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT OLD.point_code, OLD.department_code, CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> ''
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.point_code, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> ''
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.department_code, 0, -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> ''
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
    INSERT INTO case_month_figures (point_code, department_code, month, slot, accepted, online, decided, on_time)
        SELECT OLD.point_code, OLD.department_code, CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> ''
        ON CONFLICT (point_code, department_code, month, slot) DO UPDATE SET accepted = case_month_figures.accepted + excluded.accepted, online = case_month_figures.online + excluded.online, decided = case_month_figures.decided + excluded.decided, on_time = case_month_figures.on_time + excluded.on_time;
    INSERT INTO case_month_points (month, point_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.point_code, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> ''
        ON CONFLICT (month, point_code, slot) DO UPDATE SET accepted = case_month_points.accepted + excluded.accepted, online = case_month_points.online + excluded.online, decided = case_month_points.decided + excluded.decided, on_time = case_month_points.on_time + excluded.on_time;
    INSERT INTO case_month_departments (month, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.department_code, 0, 0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> ''
        ON CONFLICT (month, department_code, slot) DO UPDATE SET accepted = case_month_departments.accepted + excluded.accepted, online = case_month_departments.online + excluded.online, decided = case_month_departments.decided + excluded.decided, on_time = case_month_departments.on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (NEW.point_code, NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts_departments (department_code, state, slot, cases) VALUES (NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (department_code, state, slot) DO UPDATE SET cases = case_state_counts_departments.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_update AFTER UPDATE OF state, point_code, department_code ON cases
WHEN OLD.state IS NOT NEW.state OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (OLD.point_code, OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts_departments (department_code, state, slot, cases) VALUES (OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (department_code, state, slot) DO UPDATE SET cases = case_state_counts_departments.cases + excluded.cases;
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (NEW.point_code, NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts_departments (department_code, state, slot, cases) VALUES (NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (department_code, state, slot) DO UPDATE SET cases = case_state_counts_departments.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (OLD.point_code, OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts_departments (department_code, state, slot, cases) VALUES (OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (department_code, state, slot) DO UPDATE SET cases = case_state_counts_departments.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_state_counts_delete;
DROP TRIGGER cases_state_counts_update;
DROP TRIGGER cases_state_counts_insert;
DROP TRIGGER cases_month_figures_delete;
DROP TRIGGER cases_month_figures_update;
DROP TRIGGER cases_month_figures_insert;
DROP TABLE case_state_counts_departments;
DROP TABLE case_state_counts;
DROP TABLE case_month_departments;
DROP TABLE case_month_points;
DROP TABLE case_month_figures;
DROP INDEX case_events_action;
DROP INDEX cases_open_queue;
