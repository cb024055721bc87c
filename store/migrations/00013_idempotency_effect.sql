-- +goose Up
-- An Idempotency-Key is now claimed in the transaction that makes the
-- request's effect, and names it (ref: "case:42"), so that a retry after a
-- crash finds what the first attempt made even when its answer was never
-- stored (status 0).
ALTER TABLE idempotency_keys ADD COLUMN ref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN ref;
