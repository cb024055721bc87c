-- +goose Up
-- The notifier's index of the outbox holds only the rows it has still to
-- expand. It held every row ever written, each moved from the unsent end to
-- the sent end when expanded (a delete and an insert, on SQLite on the one
-- writer every intake waits for); now expanding a row only takes it out,
-- and the index stays as small as the queue.
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- +goose Down
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
