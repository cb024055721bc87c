-- +goose Up
-- Files an applicant uploads with a 一件事 application sent online (or to
-- supply what a one-time notice asked for), one per merged material type,
-- kept in the file store under their SHA-256 like every upload. When the
-- bundle is accepted, each member case whose item asks for the material
-- gets the file among its own materials.
CREATE TABLE bundle_case_files (
    bundle_case_id BIGINT NOT NULL REFERENCES bundle_cases (id),
    type           TEXT NOT NULL,
    name           TEXT NOT NULL,
    file_name      TEXT NOT NULL DEFAULT '',
    file_hash      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    added_by       BIGINT NOT NULL,
    added_at       TEXT NOT NULL,
    PRIMARY KEY (bundle_case_id, type)
);

-- +goose Down
DROP TABLE bundle_case_files;
