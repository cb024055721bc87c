-- +goose Up
-- Timestamps become timestamptz on PostgreSQL (see the PostgreSQL file of
-- this number). SQLite has no time type: its timestamps stay UTC text, and
-- "not yet" stays empty text.
SELECT 1;

-- +goose Down
SELECT 1;
