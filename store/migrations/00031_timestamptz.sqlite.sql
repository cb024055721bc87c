-- +goose Up
-- Timestamps become timestamptz on PostgreSQL (see the PostgreSQL file of
-- this number). SQLite has no time type: its timestamps stay UTC text, which
-- sorts and compares as time does.
SELECT 1;

-- +goose Down
SELECT 1;
