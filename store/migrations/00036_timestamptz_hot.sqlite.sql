-- +goose Up
-- Timestamps become timestamptz on PostgreSQL (see the PostgreSQL file of
-- this number: the hot tables of a case and of the hall). SQLite has no time
-- type: its timestamps stay UTC text, "not yet" stays ''.
SELECT 1;

-- +goose Down
SELECT 1;
