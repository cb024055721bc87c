-- +goose Up
-- The service points' generation: every transaction that writes a point
-- (created, edited, imported, loaded) adds one to it. Each server keeps the
-- points in memory and compares this number with the one it read them at,
-- at most once per check interval, so that servers sharing one database
-- follow each other's edits. One row, locked by the writer until it commits.
CREATE TABLE point_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO point_generation (id, generation) VALUES (1, 0);

-- +goose Down
DROP TABLE point_generation;
