-- +goose Up
-- 电子证照 (GB/T 36901–36905-2018). licence_types is the 证照目录: each
-- type names its issuing department, its holder kind, its validity in years
-- (0: 长期有效) and, as a JSON array, the items whose result it is.
CREATE TABLE licence_types (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    department_code TEXT NOT NULL,
    holder_kind     TEXT NOT NULL,
    validity_years  INTEGER NOT NULL DEFAULT 0,
    items           TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Licences issued: one row per version. document is the signed canonical
-- JSON exactly as handed out; status is valid, revoked or superseded (by a
-- correction, whose row names the version it replaces).
CREATE TABLE licences (
    id              {{id}},
    number          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    type_code       TEXT NOT NULL REFERENCES licence_types (code),
    verify_code     TEXT NOT NULL,
    holder_kind     TEXT NOT NULL,
    holder_name     TEXT NOT NULL,
    holder_id       TEXT NOT NULL,
    holder_user_id  BIGINT,
    department_code TEXT NOT NULL,
    case_id         BIGINT,
    issued_on       TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    key_id          TEXT NOT NULL,
    document        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (number, version)
);
CREATE INDEX licences_holder ON licences (holder_id, type_code);
CREATE INDEX licences_user ON licences (holder_user_id);
CREATE INDEX licences_case ON licences (case_id);

-- Every use of a licence in place of a material (免提交): the holder's
-- consent (kind consent) and each time staff open it for a case (kind view),
-- with the purpose (部门共享).
CREATE TABLE licence_uses (
    id            {{id}},
    licence_id    BIGINT NOT NULL REFERENCES licences (id),
    case_id       BIGINT NOT NULL,
    material_type TEXT NOT NULL,
    kind          TEXT NOT NULL,
    purpose       TEXT NOT NULL DEFAULT '',
    actor_id      BIGINT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX licence_uses_case ON licence_uses (case_id, kind);

-- Verifications answered, per China day and outcome (reason '' = valid).
CREATE TABLE licence_verifications (
    day    TEXT NOT NULL,
    reason TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (day, reason)
);

-- +goose Down
DROP TABLE licence_verifications;
DROP TABLE licence_uses;
DROP TABLE licences;
DROP TABLE licence_types;
