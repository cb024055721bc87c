-- +goose Up
-- Requests whose cost grew with the history of cases.
--
-- The departments' work queues read the open cases only; this index holds
-- nothing else, so it stays the size of the work in hand. The queries name the
-- states as literals, word for word, as SQLite needs to use a partial index.
CREATE INDEX cases_open_queue ON cases (department_code, promised_due, id)
    WHERE state IN ('accepted', 'in_review', 'supplement_required');

-- The extension requests waiting for a decision start from the cases that
-- ever asked for one, found by the kind of event.
CREATE INDEX case_events_action ON case_events (action, case_id);

-- The province's figures (package figures) by month: the cases accepted (and
-- of them online) and decided (and of them on time) per month in China,
-- point and department, kept up to date by triggers on cases in the same
-- transaction as every change, so a year's figures read a few thousand rows
-- however many cases there are. slot spreads one point's and department's
-- month over several rows (by case id) where writers run in parallel
-- (PostgreSQL), so that concurrent intakes do not queue on one row; readers
-- add the slots up. The month of an instant is its month in China: stored
-- instants are UTC text, and only the last day of a month from 16:00 UTC on
-- belongs to the next (figures.StoredMonth). A case is on time when decided
-- on its promised due date in China or before (figures.StoredOnTime).
CREATE TABLE case_month_figures (
    month           TEXT NOT NULL,
    point_code      TEXT NOT NULL,
    department_code TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    accepted        BIGINT NOT NULL DEFAULT 0,
    online          BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    on_time         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, point_code, department_code, slot)
);

-- The cases already there.
INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
SELECT month, point_code, department_code, 0, SUM(accepted), SUM(online), SUM(decided), SUM(on_time) FROM (
    SELECT CASE WHEN substr(accepted_at, 12, 2) >= '16' THEN substr(date(substr(accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(accepted_at, 1, 7) END AS month, point_code, department_code,
        1 AS accepted, CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, 0 AS decided, 0 AS on_time
    FROM cases WHERE accepted_at <> ''
    UNION ALL
    SELECT CASE WHEN substr(decided_at, 12, 2) >= '16' THEN substr(date(substr(decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(decided_at, 1, 7) END, point_code, department_code, 0, 0, 1, CASE WHEN length(promised_due) = 10 AND (substr(decided_at, 1, 10) < promised_due OR substr(decided_at, 1, 10) = promised_due AND substr(decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END
    FROM cases WHERE decided_at <> ''
) AS counted GROUP BY month, point_code, department_code;

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_insert AFTER INSERT ON cases
WHEN NEW.accepted_at <> '' OR NEW.decided_at <> ''
BEGIN
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.point_code, NEW.department_code, 0,
            1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> ''
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.point_code, NEW.department_code, 0,
            0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> ''
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_update
AFTER UPDATE OF accepted_at, decided_at, promised_due, channel, point_code, department_code ON cases
WHEN OLD.accepted_at IS NOT NEW.accepted_at OR OLD.decided_at IS NOT NEW.decided_at
    OR OLD.promised_due IS NOT NEW.promised_due OR OLD.channel IS NOT NEW.channel
    OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code
BEGIN
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.point_code, OLD.department_code, 0,
            -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.accepted_at, 12, 2) >= '16' THEN substr(date(substr(NEW.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.accepted_at, 1, 7) END, NEW.point_code, NEW.department_code, 0,
            1, (CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE NEW.accepted_at <> '' AND (OLD.accepted_at IS NOT NEW.accepted_at OR OLD.channel IS NOT NEW.channel OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.point_code, OLD.department_code, 0,
            0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(NEW.decided_at, 12, 2) >= '16' THEN substr(date(substr(NEW.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(NEW.decided_at, 1, 7) END, NEW.point_code, NEW.department_code, 0,
            0, 0, 1, (CASE WHEN length(NEW.promised_due) = 10 AND (substr(NEW.decided_at, 1, 10) < NEW.promised_due OR substr(NEW.decided_at, 1, 10) = NEW.promised_due AND substr(NEW.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE NEW.decided_at <> '' AND (OLD.decided_at IS NOT NEW.decided_at OR OLD.promised_due IS NOT NEW.promised_due OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code)
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_month_figures_delete AFTER DELETE ON cases
WHEN OLD.accepted_at <> '' OR OLD.decided_at <> ''
BEGIN
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.accepted_at, 12, 2) >= '16' THEN substr(date(substr(OLD.accepted_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.accepted_at, 1, 7) END, OLD.point_code, OLD.department_code, 0,
            -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0
        WHERE OLD.accepted_at <> ''
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
    INSERT INTO case_month_figures (month, point_code, department_code, slot, accepted, online, decided, on_time)
        SELECT CASE WHEN substr(OLD.decided_at, 12, 2) >= '16' THEN substr(date(substr(OLD.decided_at, 1, 10), '+1 day'), 1, 7) ELSE substr(OLD.decided_at, 1, 7) END, OLD.point_code, OLD.department_code, 0,
            0, 0, -1, -(CASE WHEN length(OLD.promised_due) = 10 AND (substr(OLD.decided_at, 1, 10) < OLD.promised_due OR substr(OLD.decided_at, 1, 10) = OLD.promised_due AND substr(OLD.decided_at, 11) < 'T16:00:00') THEN 1 ELSE 0 END)
        WHERE OLD.decided_at <> ''
        ON CONFLICT (month, point_code, department_code, slot) DO UPDATE SET accepted = accepted + excluded.accepted, online = online + excluded.online, decided = decided + excluded.decided, on_time = on_time + excluded.on_time;
END;
-- +goose StatementEnd

-- How many cases there are per point, department and state, kept by triggers
-- on cases like the monthly figures, so that a list's total (a point's cases
-- at the front desk, a department's queue) is a sum over a few rows instead of
-- a count of every case (tens of milliseconds at a million).
CREATE TABLE case_state_counts (
    point_code      TEXT NOT NULL,
    department_code TEXT NOT NULL,
    state           TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    cases           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (point_code, department_code, state, slot)
);
CREATE INDEX case_state_counts_department ON case_state_counts (department_code, state);

INSERT INTO case_state_counts (point_code, department_code, state, slot, cases)
SELECT point_code, department_code, state, 0, COUNT(*) FROM cases GROUP BY point_code, department_code, state;

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (NEW.point_code, NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_update AFTER UPDATE OF state, point_code, department_code ON cases
WHEN OLD.state IS NOT NEW.state OR OLD.point_code IS NOT NEW.point_code OR OLD.department_code IS NOT NEW.department_code
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (OLD.point_code, OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (NEW.point_code, NEW.department_code, NEW.state, 0, 1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_state_counts_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO case_state_counts (point_code, department_code, state, slot, cases) VALUES (OLD.point_code, OLD.department_code, OLD.state, 0, -1)
        ON CONFLICT (point_code, department_code, state, slot) DO UPDATE SET cases = case_state_counts.cases + excluded.cases;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_state_counts_delete;
DROP TRIGGER cases_state_counts_update;
DROP TRIGGER cases_state_counts_insert;
DROP TABLE case_state_counts;
DROP TRIGGER cases_month_figures_delete;
DROP TRIGGER cases_month_figures_update;
DROP TRIGGER cases_month_figures_insert;
DROP TABLE case_month_figures;
DROP INDEX case_events_action;
DROP INDEX cases_open_queue;
