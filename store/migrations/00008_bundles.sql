-- +goose Up
-- 一件事 definitions, versioned like items: one row per version, the whole
-- definition (members pinned to item versions) as JSON.
CREATE TABLE catalog_bundles (
    code            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    name            TEXT NOT NULL,
    lead_department TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    published_at    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (code, version)
);
CREATE INDEX catalog_bundles_status ON catalog_bundles (status, code);

-- A bundle application: the parent of one member case per item.
CREATE TABLE bundle_cases (
    id                {{id}},
    number            TEXT NOT NULL UNIQUE,
    bundle_code       TEXT NOT NULL,
    bundle_version    INTEGER NOT NULL,
    bundle_name       TEXT NOT NULL,
    lead_department   TEXT NOT NULL,
    point_code        TEXT NOT NULL,
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL,
    channel           TEXT NOT NULL,
    applicant_user_id BIGINT,
    applicant_kind    TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL DEFAULT '',
    applicant_credit  TEXT NOT NULL DEFAULT '',
    applicant         TEXT NOT NULL,
    form              TEXT NOT NULL DEFAULT '{}',
    materials         TEXT NOT NULL DEFAULT '[]',
    reasons           TEXT NOT NULL DEFAULT '[]',
    promised_due      TEXT NOT NULL DEFAULT '',
    issue_method      TEXT NOT NULL DEFAULT '',
    issued_at         TEXT NOT NULL DEFAULT '',
    verify_code       TEXT UNIQUE,
    created_by        BIGINT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX bundle_cases_point ON bundle_cases (point_code, state);
CREATE INDEX bundle_cases_applicant ON bundle_cases (applicant_user_id);

ALTER TABLE cases ADD COLUMN bundle_case_id BIGINT;
CREATE INDEX cases_bundle ON cases (bundle_case_id);

-- +goose Down
DROP INDEX cases_bundle;
ALTER TABLE cases DROP COLUMN bundle_case_id;
DROP TABLE bundle_cases;
DROP TABLE catalog_bundles;
