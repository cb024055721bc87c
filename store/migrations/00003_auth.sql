-- +goose Up
-- Users of every role. Scope columns are empty when the role has no such
-- scope; password_hash is a PHC string (argon2id) and never leaves the server.
CREATE TABLE users (
    id              {{id}},
    username        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT '',
    id_number       TEXT NOT NULL DEFAULT '',
    credit_code     TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    department_code TEXT NOT NULL DEFAULT '',
    point_code      TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TEXT NOT NULL
);
CREATE INDEX users_role ON users (role, id);

-- Bearer tokens: only the SHA-256 of a token is kept, so a leaked table
-- cannot be replayed. Every request looks a token up by its hash.
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id, expires_at);
CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);

-- The audit log is append-only and hash-chained: each record's hash covers
-- the previous record's hash, so an edited, removed or inserted row breaks
-- the chain from that point on. audit_head holds the last seq and hash; the
-- row is locked by every append, which keeps seq contiguous across processes.
-- No trigger refuses UPDATE or DELETE here: a trigger body is written
-- differently on each engine and these migrations are shared. Verify detects
-- any change; on PostgreSQL, operators may also grant the application's role
-- only SELECT and INSERT on audit_log.
CREATE TABLE audit_log (
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
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
-- The genesis hash is SHA-256("onewindow-audit-genesis") in lowercase hex.
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '1a17da35e3d782d34f79aa7fe0600e03456d2fc33bec97608f2387a2072178bb');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE auth_tokens;
DROP TABLE users;
