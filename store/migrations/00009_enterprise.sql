-- +goose Up
-- Service teams (驻企服务专班): staff stationed with enterprises. department_code
-- is the team's own department, told of missed deadlines; departments (a JSON
-- array of codes) are convened to the joint meeting (二级联席会议) by default.
-- One team may be the default, serving enterprises that no team is assigned to.
CREATE TABLE ent_teams (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    department_code TEXT NOT NULL,
    departments     TEXT NOT NULL DEFAULT '[]',
    is_default      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Membership decides who acts for a team; a lead is told of escalations.
CREATE TABLE ent_team_members (
    team_code TEXT NOT NULL REFERENCES ent_teams (code),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    lead      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_code, user_id)
);
CREATE INDEX ent_team_members_user ON ent_team_members (user_id, team_code);

-- Each enterprise, by its unified social credit code, is served by one team.
CREATE TABLE ent_team_enterprises (
    credit_code TEXT PRIMARY KEY,
    team_code   TEXT NOT NULL REFERENCES ent_teams (code)
);

-- A request (企业诉求) with the clock of its current round: dates are civil
-- dates in China (YYYY-MM-DD) on the working-day calendar, timestamps UTC text.
CREATE TABLE ent_requests (
    id                 {{id}},
    number             TEXT NOT NULL UNIQUE,
    enterprise_user_id BIGINT NOT NULL REFERENCES users (id),
    enterprise_name    TEXT NOT NULL,
    credit_code        TEXT NOT NULL,
    contact_phone      TEXT NOT NULL DEFAULT '',
    category           TEXT NOT NULL,
    description        TEXT NOT NULL,
    team_code          TEXT NOT NULL REFERENCES ent_teams (code),
    departments        TEXT NOT NULL DEFAULT '[]',
    status             TEXT NOT NULL,
    version            INTEGER NOT NULL,
    round              INTEGER NOT NULL,
    escalation_level   INTEGER NOT NULL DEFAULT 0,
    clock_start        TEXT NOT NULL,
    accept_due         TEXT NOT NULL,
    propose_due        TEXT NOT NULL,
    meeting_due        TEXT NOT NULL,
    calendar_fallback  INTEGER NOT NULL DEFAULT 0,
    accepted_at        TEXT NOT NULL DEFAULT '',
    proposed_at        TEXT NOT NULL DEFAULT '',
    meeting_on         TEXT NOT NULL DEFAULT '',
    solution           TEXT NOT NULL DEFAULT '',
    reopen_reason      TEXT NOT NULL DEFAULT '',
    ended_at           TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX ent_requests_team ON ent_requests (team_code, created_at);
CREATE INDEX ent_requests_credit ON ent_requests (credit_code, created_at);
CREATE INDEX ent_requests_user ON ent_requests (enterprise_user_id, created_at);
-- The escalation scan looks for open requests past a due date.
CREATE INDEX ent_requests_open ON ent_requests (status, accept_due);

-- The request's history: one row per step or escalation, never changed.
CREATE TABLE ent_events (
    id         {{id}},
    request_id BIGINT NOT NULL REFERENCES ent_requests (id),
    at         TEXT NOT NULL,
    actor_id   BIGINT NOT NULL,
    actor_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    round      INTEGER NOT NULL,
    level      INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ent_events_request ON ent_events (request_id, id);

-- Each level of each round happens once: the primary key is the claim, so
-- that several servers scanning at once escalate a request exactly once.
CREATE TABLE ent_escalations (
    request_id BIGINT NOT NULL REFERENCES ent_requests (id),
    round      INTEGER NOT NULL,
    level      INTEGER NOT NULL,
    due        TEXT NOT NULL,
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    PRIMARY KEY (request_id, round, level)
);

-- Request numbers per day (China time), allocated in the raising transaction.
CREATE TABLE ent_counters (
    day  TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

-- +goose Down
DROP TABLE ent_counters;
DROP TABLE ent_escalations;
DROP TABLE ent_events;
DROP TABLE ent_requests;
DROP TABLE ent_team_enterprises;
DROP TABLE ent_team_members;
DROP TABLE ent_teams;
