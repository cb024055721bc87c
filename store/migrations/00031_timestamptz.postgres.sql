-- +goose Up
-- Timestamps become timestamptz on PostgreSQL, table by table; this first
-- step converts the audit log's time. The text it holds is UTC with
-- microseconds and a Z (store.FormatTime), which timestamptz keeps exactly,
-- whatever the session's time zone, so audit.Verify formats it back to the
-- same text that the hashes cover. A value in any other form would not come
-- back as it was hashed: the migration refuses to run over one.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_log
               WHERE at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$') THEN
        RAISE EXCEPTION 'audit_log.at holds a time that is not UTC text with microseconds: the hashes cover that text';
    END IF;
END
$$;
-- +goose StatementEnd
ALTER TABLE audit_log ALTER COLUMN at TYPE timestamptz USING at::timestamptz;

-- +goose Down
ALTER TABLE audit_log ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
