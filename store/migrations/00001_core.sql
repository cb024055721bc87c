-- +goose Up
-- Service points: the places that accept cases (halls, township and street
-- centres, community stations, liaison points). level follows the item
-- levels: 1 national … 4 county, 5 township/street, 6 village/community.
CREATE TABLE service_points (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    level       INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- Notifications leave through this table, written in the same transaction as
-- the change that causes them, so that none is lost or sent for a rolled-back change.
CREATE TABLE outbox (
    id         {{id}},
    topic      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

-- Idempotency-Key: the first answer to a creating POST is kept and replayed.
CREATE TABLE idempotency_keys (
    user_id    BIGINT NOT NULL,
    idem_key   TEXT NOT NULL,
    request    TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE service_points;
