-- +goose Up
-- 好差评 (GB/T 39734-2020, GB/T 39735-2020): a rating of each case (一事一评)
-- and of each window visit (一次一评), and the follow-up of every bad rating.
-- Dates on the working-day calendar are civil dates in China (YYYY-MM-DD);
-- instants are UTC text (store.TimeFormat).

-- One rating per case and one per ticket: the unique columns hold NULL for
-- the other kind of subject, and NULLs do not collide on either engine.
-- level: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. tags are
-- written ",attitude,efficiency," so that LIKE '%,attitude,%' finds one.
-- comment is kept exactly as written; pages escape it when they show it.
-- month is the China month of the first rating (YYYY-MM), by which the
-- figures count. window_code and staff_id name the window and the staff
-- member who served (a case: the front desk that accepted it, and its
-- window when the visit was linked to a ticket).
CREATE TABLE ratings (
    id              {{id}},
    subject         TEXT NOT NULL,
    case_id         BIGINT UNIQUE,
    ticket_id       BIGINT UNIQUE,
    subject_ref     TEXT NOT NULL,
    item_name       TEXT NOT NULL DEFAULT '',
    point_code      TEXT NOT NULL,
    department_code TEXT NOT NULL DEFAULT '',
    window_code     TEXT NOT NULL DEFAULT '',
    staff_id        BIGINT,
    staff_name      TEXT NOT NULL DEFAULT '',
    level           INTEGER NOT NULL,
    tags            TEXT NOT NULL DEFAULT '',
    comment         TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL,
    rater_user_id   BIGINT,
    rater_name      TEXT NOT NULL DEFAULT '',
    rater_phone     TEXT NOT NULL DEFAULT '',
    real_name       INTEGER NOT NULL DEFAULT 0,
    recorded_by     BIGINT,
    appeal_upheld   INTEGER NOT NULL DEFAULT 0,
    amendments      INTEGER NOT NULL DEFAULT 0,
    month           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- The figures read one month, for the whole province or some points.
CREATE INDEX ratings_month ON ratings (month, point_code);
CREATE INDEX ratings_department ON ratings (department_code, month);
CREATE INDEX ratings_rater ON ratings (rater_user_id, created_at);

-- The follow-up of a bad rating (差评整改): who answers for it (a
-- department for a case, the point for a visit), its two due dates (回访
-- and 整改, working days from the day of the rating), what was done, the
-- rater's answer and an appeal (申诉复核) decided by an administrator.
CREATE TABLE rating_followups (
    id                 {{id}},
    rating_id          BIGINT NOT NULL UNIQUE REFERENCES ratings (id),
    responsible_kind   TEXT NOT NULL,
    responsible_code   TEXT NOT NULL,
    point_code         TEXT NOT NULL,
    status             TEXT NOT NULL,
    version            INTEGER NOT NULL,
    contact_possible   INTEGER NOT NULL,
    opened_on          TEXT NOT NULL,
    contact_due        TEXT NOT NULL DEFAULT '',
    rectify_due        TEXT NOT NULL,
    calendar_fallback  INTEGER NOT NULL DEFAULT 0,
    contacted_at       TEXT NOT NULL DEFAULT '',
    contact_note       TEXT NOT NULL DEFAULT '',
    rectified_at       TEXT NOT NULL DEFAULT '',
    rectify_note       TEXT NOT NULL DEFAULT '',
    answer_note        TEXT NOT NULL DEFAULT '',
    appeal_from        TEXT NOT NULL DEFAULT '',
    appeal_reason      TEXT NOT NULL DEFAULT '',
    appeal_note        TEXT NOT NULL DEFAULT '',
    escalation_level   INTEGER NOT NULL DEFAULT 0,
    ended_at           TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX rating_followups_responsible ON rating_followups (responsible_kind, responsible_code, status);
CREATE INDEX rating_followups_point ON rating_followups (point_code, status);
-- The escalation scan looks for open follow-ups past a due date.
CREATE INDEX rating_followups_open ON rating_followups (status, rectify_due);

-- A follow-up's history: one row per step, never changed.
CREATE TABLE rating_followup_events (
    id          {{id}},
    followup_id BIGINT NOT NULL REFERENCES rating_followups (id),
    at          TEXT NOT NULL,
    actor_id    BIGINT NOT NULL,
    actor_name  TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rating_followup_events_followup ON rating_followup_events (followup_id, id);

-- Each escalation of a follow-up (level 1: 回访 overdue, level 2: 整改
-- overdue) is claimed by its row before anything is sent, so servers
-- scanning at once escalate it once.
CREATE TABLE rating_escalations (
    followup_id BIGINT NOT NULL REFERENCES rating_followups (id),
    level       INTEGER NOT NULL,
    due         TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (followup_id, level)
);

-- One invitation to rate per case (the case was issued three days before
-- and is not rated), claimed by its row in the transaction that writes the
-- notification.
CREATE TABLE rating_invitations (
    case_id BIGINT PRIMARY KEY,
    sent_at TEXT NOT NULL
);

-- Working days allowed for 回访 and 整改, per province (the first two digits
-- of a point's region code); '' is the default for every province.
CREATE TABLE rating_settings (
    province     TEXT PRIMARY KEY,
    contact_days INTEGER NOT NULL,
    rectify_days INTEGER NOT NULL,
    updated_at   TEXT NOT NULL
);

-- The key that signs rating links and rating pads, made on first use and
-- shared by every server on the database (deleting the row revokes every
-- link and pad address).
CREATE TABLE rating_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE rating_keys;
DROP TABLE rating_settings;
DROP TABLE rating_invitations;
DROP TABLE rating_escalations;
DROP TABLE rating_followup_events;
DROP TABLE rating_followups;
DROP TABLE ratings;
