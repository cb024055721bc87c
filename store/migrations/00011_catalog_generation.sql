-- +goose Up
-- The published catalogue's generation: every transaction that changes what
-- is published (a publish, an import or load that publishes, a reindex of the
-- search text) adds one to it. Each server keeps the published catalogue in
-- memory and compares this number with the one it built from, at most once
-- per check interval, so that servers sharing one database follow each
-- other's publishes. One row, locked by the writer until it commits.
CREATE TABLE catalog_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO catalog_generation (id, generation) VALUES (1, 0);

-- +goose Down
DROP TABLE catalog_generation;
