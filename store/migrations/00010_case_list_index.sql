-- +goose Up
-- A point's case list, newest first (the front desk's default list), reads
-- this index in order and stops after one page; without it the whole
-- history of the point was sorted on every request (seconds at a million
-- cases). id breaks ties as the list's ORDER BY does.
CREATE INDEX cases_point_created ON cases (point_code, created_at, id);

-- +goose Down
DROP INDEX cases_point_created;
