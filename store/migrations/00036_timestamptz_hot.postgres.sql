-- +goose Up
-- Timestamps become timestamptz on PostgreSQL, second step (00031 did the
-- audit log): the hot tables of a case and of the hall, which live together
-- on one node of a Citus cluster: cases, case_events, case_materials,
-- hall_tickets, outbox and idempotency_keys. The text they hold is UTC with
-- microseconds and a Z (store.FormatTime), which timestamptz keeps exactly
-- whatever the session's time zone; the store reads it back as that text
-- (store/pgtime.go). "Not yet" was '' and becomes NULL. A value in any other
-- form would not come back as it was written: the migration refuses to run
-- over one, naming its table and column.
-- +goose StatementBegin
DO $$
DECLARE
    c RECORD;
    bad BOOLEAN;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('cases', 'accepted_at', true), ('cases', 'created_at', false), ('cases', 'decided_at', true),
        ('cases', 'issued_at', true), ('cases', 'updated_at', false),
        ('case_events', 'at', false), ('case_materials', 'added_at', false),
        ('hall_tickets', 'queued_at', false), ('hall_tickets', 'taken_at', false),
        ('hall_tickets', 'first_called_at', true), ('hall_tickets', 'called_at', true),
        ('hall_tickets', 'started_at', true), ('hall_tickets', 'finished_at', true),
        ('hall_tickets', 'ahead_told_at', true),
        ('outbox', 'created_at', false), ('outbox', 'sent_at', true),
        ('idempotency_keys', 'created_at', false)) AS t(tab, col, maybe_not_yet)
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I !~ %L%s)', c.tab, c.col,
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$',
            CASE WHEN c.maybe_not_yet THEN format(' AND %I <> %L', c.col, '') ELSE '' END) INTO bad;
        IF bad THEN
            RAISE EXCEPTION '%.% holds a time that is not UTC text with microseconds (store.TimeFormat)', c.tab, c.col;
        END IF;
    END LOOP;
END
$$;
-- +goose StatementEnd

-- The kept counts' trigger and the partial indexes read the text; they are
-- dropped around the change and made again for the new type.
DROP TRIGGER cases_month_figures ON cases;
DROP INDEX cases_accepted_month;
DROP INDEX cases_decided_month;

ALTER TABLE cases
    ALTER COLUMN accepted_at DROP DEFAULT, ALTER COLUMN accepted_at DROP NOT NULL,
    ALTER COLUMN accepted_at TYPE timestamptz USING NULLIF(accepted_at, '')::timestamptz,
    ALTER COLUMN decided_at DROP DEFAULT, ALTER COLUMN decided_at DROP NOT NULL,
    ALTER COLUMN decided_at TYPE timestamptz USING NULLIF(decided_at, '')::timestamptz,
    ALTER COLUMN issued_at DROP DEFAULT, ALTER COLUMN issued_at DROP NOT NULL,
    ALTER COLUMN issued_at TYPE timestamptz USING NULLIF(issued_at, '')::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE case_events ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE case_materials ALTER COLUMN added_at TYPE timestamptz USING added_at::timestamptz;
ALTER TABLE hall_tickets
    ALTER COLUMN queued_at TYPE timestamptz USING queued_at::timestamptz,
    ALTER COLUMN taken_at TYPE timestamptz USING taken_at::timestamptz,
    ALTER COLUMN first_called_at DROP DEFAULT, ALTER COLUMN first_called_at DROP NOT NULL,
    ALTER COLUMN first_called_at TYPE timestamptz USING NULLIF(first_called_at, '')::timestamptz,
    ALTER COLUMN called_at DROP DEFAULT, ALTER COLUMN called_at DROP NOT NULL,
    ALTER COLUMN called_at TYPE timestamptz USING NULLIF(called_at, '')::timestamptz,
    ALTER COLUMN started_at DROP DEFAULT, ALTER COLUMN started_at DROP NOT NULL,
    ALTER COLUMN started_at TYPE timestamptz USING NULLIF(started_at, '')::timestamptz,
    ALTER COLUMN finished_at DROP DEFAULT, ALTER COLUMN finished_at DROP NOT NULL,
    ALTER COLUMN finished_at TYPE timestamptz USING NULLIF(finished_at, '')::timestamptz,
    ALTER COLUMN ahead_told_at DROP DEFAULT, ALTER COLUMN ahead_told_at DROP NOT NULL,
    ALTER COLUMN ahead_told_at TYPE timestamptz USING NULLIF(ahead_told_at, '')::timestamptz;
ALTER TABLE outbox
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN sent_at TYPE timestamptz USING NULLIF(sent_at, '')::timestamptz;
ALTER TABLE idempotency_keys ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

CREATE INDEX cases_accepted_month ON cases (accepted_at, point_code, department_code, channel) WHERE accepted_at IS NOT NULL;
CREATE INDEX cases_decided_month ON cases (decided_at, point_code, department_code, promised_due) WHERE decided_at IS NOT NULL;

-- The month in China of an instant, and whether a decision kept its
-- promised due date (a day in China, text): as the text versions of 00018.
-- +goose StatementBegin
CREATE FUNCTION case_month_of(t timestamptz) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION case_on_time(decided timestamptz, due TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(due) = 10
        AND to_char(decided AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') COLLATE "C" <= due COLLATE "C" THEN 1 ELSE 0 END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_month_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
        IF OLD.accepted_at IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.accepted_at), (OLD.id % 8)::integer,
                -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0);
        END IF;
        IF OLD.decided_at IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.decided_at), (OLD.id % 8)::integer,
                0, 0, -1, -case_on_time(OLD.decided_at, OLD.promised_due));
        END IF;
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        IF NEW.accepted_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.accepted_at), (NEW.id % 8)::integer,
                1, CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END, 0, 0);
        END IF;
        IF NEW.decided_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.decided_at), (NEW.id % 8)::integer,
                0, 0, 1, case_on_time(NEW.decided_at, NEW.promised_due));
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_month_figures AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_month_figures();

-- +goose Down
DROP TRIGGER cases_month_figures ON cases;
DROP INDEX cases_accepted_month;
DROP INDEX cases_decided_month;
DROP FUNCTION case_month_of(timestamptz);
DROP FUNCTION case_on_time(timestamptz, TEXT);
ALTER TABLE cases
    ALTER COLUMN accepted_at TYPE TEXT USING COALESCE(to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN accepted_at SET DEFAULT '', ALTER COLUMN accepted_at SET NOT NULL,
    ALTER COLUMN decided_at TYPE TEXT USING COALESCE(to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN decided_at SET DEFAULT '', ALTER COLUMN decided_at SET NOT NULL,
    ALTER COLUMN issued_at TYPE TEXT USING COALESCE(to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN issued_at SET DEFAULT '', ALTER COLUMN issued_at SET NOT NULL,
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE case_events ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE case_materials ALTER COLUMN added_at TYPE TEXT USING to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_tickets
    ALTER COLUMN queued_at TYPE TEXT USING to_char(queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN taken_at TYPE TEXT USING to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN first_called_at TYPE TEXT USING COALESCE(to_char(first_called_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN first_called_at SET DEFAULT '', ALTER COLUMN first_called_at SET NOT NULL,
    ALTER COLUMN called_at TYPE TEXT USING COALESCE(to_char(called_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN called_at SET DEFAULT '', ALTER COLUMN called_at SET NOT NULL,
    ALTER COLUMN started_at TYPE TEXT USING COALESCE(to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN started_at SET DEFAULT '', ALTER COLUMN started_at SET NOT NULL,
    ALTER COLUMN finished_at TYPE TEXT USING COALESCE(to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN finished_at SET DEFAULT '', ALTER COLUMN finished_at SET NOT NULL,
    ALTER COLUMN ahead_told_at TYPE TEXT USING COALESCE(to_char(ahead_told_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN ahead_told_at SET DEFAULT '', ALTER COLUMN ahead_told_at SET NOT NULL;
ALTER TABLE outbox
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN sent_at TYPE TEXT USING to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE idempotency_keys ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
CREATE INDEX cases_accepted_month ON cases (accepted_at, point_code, department_code, channel) WHERE accepted_at <> '';
CREATE INDEX cases_decided_month ON cases (decided_at, point_code, department_code, promised_due) WHERE decided_at <> '';
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_month_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
        IF OLD.accepted_at <> '' AND (TG_OP = 'DELETE' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.accepted_at), (OLD.id % 8)::integer,
                -1, -(CASE WHEN OLD.channel = 'online' THEN 1 ELSE 0 END), 0, 0);
        END IF;
        IF OLD.decided_at <> '' AND (TG_OP = 'DELETE' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(OLD.point_code, OLD.department_code, case_month_of(OLD.decided_at), (OLD.id % 8)::integer,
                0, 0, -1, -case_on_time(OLD.decided_at, OLD.promised_due));
        END IF;
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        IF NEW.accepted_at <> '' AND (TG_OP = 'INSERT' OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
                OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.accepted_at), (NEW.id % 8)::integer,
                1, CASE WHEN NEW.channel = 'online' THEN 1 ELSE 0 END, 0, 0);
        END IF;
        IF NEW.decided_at <> '' AND (TG_OP = 'INSERT' OR OLD.decided_at IS DISTINCT FROM NEW.decided_at
                OR OLD.promised_due IS DISTINCT FROM NEW.promised_due OR OLD.point_code IS DISTINCT FROM NEW.point_code
                OR OLD.department_code IS DISTINCT FROM NEW.department_code) THEN
            PERFORM case_month_figures_add(NEW.point_code, NEW.department_code, case_month_of(NEW.decided_at), (NEW.id % 8)::integer,
                0, 0, 1, case_on_time(NEW.decided_at, NEW.promised_due));
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_month_figures AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_month_figures();
