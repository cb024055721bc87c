-- +goose Up
-- A ticket taken with an account is told once when three people are ahead
-- of it; ahead_told_at (UTC text) keeps it from being told twice when a
-- priority ticket pushes it back to that place.
ALTER TABLE hall_tickets ADD COLUMN ahead_told_at TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE hall_tickets DROP COLUMN ahead_told_at;
