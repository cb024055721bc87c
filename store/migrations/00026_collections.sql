-- +goose Up
-- Who collected a result handed out at the issuing window (领取人): their
-- name and identity card number (checked with the GB 11643 checksum), their
-- relation to the applicant (self, or an agent holding an authorisation,
-- whose letter is named), and their signature: drawn on the window's screen
-- or a photo of the signed slip, kept in the file store under its SHA-256
-- like every upload. One row per case, written in the transaction that
-- issues it.
CREATE TABLE case_collections (
    case_id         BIGINT NOT NULL PRIMARY KEY REFERENCES cases (id),
    name            TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    relation        TEXT NOT NULL,
    authorisation   TEXT NOT NULL DEFAULT '',
    signature_kind  TEXT NOT NULL,
    signature_hash  TEXT NOT NULL,
    signature_type  TEXT NOT NULL,
    recorded_by     BIGINT NOT NULL,
    recorded_at     TEXT NOT NULL
);

-- The administrators' list of service points pages through them in level
-- and code order, filtered by level and kind, without reading them all.
CREATE INDEX service_points_level_code ON service_points (level, code);
CREATE INDEX service_points_kind ON service_points (kind, level, code);

-- The administrators' audit list filters by action, newest first.
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- +goose Down
DROP INDEX audit_log_action;
DROP INDEX service_points_kind;
DROP INDEX service_points_level_code;
DROP TABLE case_collections;
