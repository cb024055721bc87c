-- +goose Up
-- A case (办件) pins the item version it was accepted under; department_code
-- is copied from that version so that a department's queue is one index scan.
CREATE TABLE cases (
    id                  {{id}},
    number              TEXT NOT NULL UNIQUE,
    item_code           TEXT NOT NULL,
    item_version        INTEGER NOT NULL,
    item_name           TEXT NOT NULL,
    department_code     TEXT NOT NULL,
    point_code          TEXT NOT NULL,
    state               TEXT NOT NULL,
    version             INTEGER NOT NULL,
    channel             TEXT NOT NULL,
    applicant_user_id   BIGINT,
    applicant_kind      TEXT NOT NULL,
    applicant_name      TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL DEFAULT '',
    applicant_credit    TEXT NOT NULL DEFAULT '',
    applicant_phone     TEXT NOT NULL DEFAULT '',
    acting_staff_id     BIGINT,
    created_by          BIGINT NOT NULL,
    form                TEXT NOT NULL DEFAULT '{}',
    resume_state        TEXT NOT NULL DEFAULT '',
    waived              TEXT NOT NULL DEFAULT '[]',
    waiver_due          TEXT NOT NULL DEFAULT '',
    reasons             TEXT NOT NULL DEFAULT '[]',
    accepted_at         TEXT NOT NULL DEFAULT '',
    accepted_by         BIGINT,
    promised_due        TEXT NOT NULL DEFAULT '',
    legal_due           TEXT NOT NULL DEFAULT '',
    calendar_fallback   INTEGER NOT NULL DEFAULT 0,
    paused_since        TEXT NOT NULL DEFAULT '',
    paused_days         INTEGER NOT NULL DEFAULT 0,
    decided_at          TEXT NOT NULL DEFAULT '',
    decided_by          BIGINT,
    issue_method        TEXT NOT NULL DEFAULT '',
    issue_address       TEXT NOT NULL DEFAULT '',
    issued_at           TEXT NOT NULL DEFAULT '',
    issued_by           BIGINT,
    verify_code         TEXT UNIQUE,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX cases_department_queue ON cases (department_code, state, promised_due);
CREATE INDEX cases_point_state ON cases (point_code, state, created_at);
CREATE INDEX cases_applicant ON cases (applicant_user_id, created_at);
CREATE INDEX cases_applicant_id_number ON cases (applicant_id_number);
CREATE INDEX cases_applicant_credit ON cases (applicant_credit);

-- The case's history: one row per transition, never changed.
CREATE TABLE case_events (
    id         {{id}},
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    at         TEXT NOT NULL,
    actor_id   BIGINT NOT NULL,
    actor_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- What the applicant presented, uploaded or declared, one row per material type.
CREATE TABLE case_materials (
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    type         TEXT NOT NULL,
    name         TEXT NOT NULL,
    source       TEXT NOT NULL,
    file_name    TEXT NOT NULL DEFAULT '',
    file_hash    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    added_by     BIGINT NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, type)
);

-- Case numbers are allocated per service point and day from this counter,
-- inside the creating transaction: no gaps from rollbacks are visible and no
-- two processes get the same number.
CREATE TABLE case_counters (
    point_code TEXT NOT NULL,
    day        TEXT NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (point_code, day)
);

-- +goose Down
DROP TABLE case_counters;
DROP TABLE case_materials;
DROP TABLE case_events;
DROP TABLE cases;
