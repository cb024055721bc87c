-- +goose Up
-- SLA clocks: the day a case enters its warning period, the special
-- procedure pausing it, the supplement deadline, approved extensions.
ALTER TABLE cases ADD COLUMN warn_from TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN special_procedure TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN supplement_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN extended_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN promised_limit INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_point_sla ON cases (point_code, state, warn_from);
CREATE INDEX cases_supplement_due ON cases (state, supplement_due);

-- One row per escalation step taken: the primary key makes each step happen
-- once, also when several servers scan at the same time.
CREATE TABLE case_escalations (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    level   INTEGER NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, level)
);

-- Escalation ladders per item or department (scope "item:CODE",
-- "department:CODE" or "default"): JSON list of steps.
CREATE TABLE escalation_ladders (
    scope      TEXT PRIMARY KEY,
    ladder     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Holiday years added or corrected by administrators.
CREATE TABLE workday_years (
    year       INTEGER PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- +goose Down
DROP TABLE workday_years;
DROP TABLE escalation_ladders;
DROP TABLE case_escalations;
DROP INDEX cases_supplement_due;
DROP INDEX cases_point_sla;
ALTER TABLE cases DROP COLUMN promised_limit;
ALTER TABLE cases DROP COLUMN extended_days;
ALTER TABLE cases DROP COLUMN supplement_due;
ALTER TABLE cases DROP COLUMN special_procedure;
ALTER TABLE cases DROP COLUMN warn_from;
