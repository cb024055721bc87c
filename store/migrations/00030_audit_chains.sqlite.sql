-- +goose Up
-- One audit chain per distribution key (see the PostgreSQL file of this
-- number for the design). SQLite cannot change a primary key in place, so
-- the log is copied into a table of the new shape. seq, the log's order as a
-- whole, is the row id: SQLite has one writer, which numbers rows in order.
-- The records already written become the first records of the tenant's
-- chain ('') with chain_seq = seq, so every hash still verifies.
CREATE TABLE audit_log_chained (
    seq       INTEGER PRIMARY KEY,
    chain     TEXT NOT NULL DEFAULT '',
    chain_seq BIGINT NOT NULL,
    at        TEXT NOT NULL,
    actor_id  BIGINT NOT NULL DEFAULT 0,
    actor     TEXT NOT NULL DEFAULT '',
    role      TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    object    TEXT NOT NULL DEFAULT '',
    outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    detail    TEXT NOT NULL DEFAULT '{}',
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    UNIQUE (chain, chain_seq)
);
INSERT INTO audit_log_chained (seq, chain, chain_seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash)
SELECT seq, '', seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) SELECT '', seq, hash FROM audit_head;
DROP TABLE audit_head;

-- +goose Down
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_heads WHERE chain = '';
DROP TABLE audit_heads;
CREATE TABLE audit_log_single (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  BIGINT NOT NULL DEFAULT 0,
    actor     TEXT NOT NULL DEFAULT '',
    role      TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    object    TEXT NOT NULL DEFAULT '',
    outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    detail    TEXT NOT NULL DEFAULT '{}',
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
INSERT INTO audit_log_single (seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash)
SELECT chain_seq, at, actor_id, actor, role, action, object, outcome, detail, ip, prev_hash, hash FROM audit_log WHERE chain = '';
DROP TABLE audit_log;
ALTER TABLE audit_log_single RENAME TO audit_log;
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
