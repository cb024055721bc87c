-- +goose Up
-- A department's head (部门负责人) is one of its reviewers marked by an
-- administrator: the SLA breach notice and the escalations that name the
-- department head go to them.
ALTER TABLE users ADD COLUMN department_head BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX users_department_head ON users (department_code) WHERE department_head;

-- The notifier's kept counts per China day and channel, written in the
-- transactions that make, send or give up messages: the province's figures
-- read a few rows a day instead of the deliveries. delay_ms sums the time
-- from each event to its message being sent (sent counts them).
CREATE TABLE notify_counts (
    day       TEXT NOT NULL,
    channel   TEXT NOT NULL,
    messages  BIGINT NOT NULL DEFAULT 0,
    delivered BIGINT NOT NULL DEFAULT 0,
    sent      BIGINT NOT NULL DEFAULT 0,
    dead      BIGINT NOT NULL DEFAULT 0,
    failures  BIGINT NOT NULL DEFAULT 0,
    delay_ms  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel)
);

-- A person known only by the number given at the window (user_id 0) has
-- no inbox and no record page: the index of accounts' messages leaves them
-- out, which spares every such SMS an index entry (queries say user_id <> 0).
DROP INDEX notify_deliveries_user;
CREATE INDEX notify_deliveries_user ON notify_deliveries (user_id, channel, id) WHERE user_id <> 0;

-- +goose Down
DROP INDEX notify_deliveries_user;
CREATE INDEX notify_deliveries_user ON notify_deliveries (user_id, channel, id);
DROP TABLE notify_counts;
DROP INDEX users_department_head;
ALTER TABLE users DROP COLUMN department_head;
