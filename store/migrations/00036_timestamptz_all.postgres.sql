-- +goose Up
-- Timestamps become timestamptz on PostgreSQL, every one that 00031 (the
-- audit log) left: the hot tables of a case and of the hall first (cases,
-- case_events, case_materials, hall_tickets, outbox, idempotency_keys), then
-- the others. Days on the calendar (due dates, days of the hall, warning
-- days: YYYY-MM-DD, in China) are civil dates, not instants: they stay
-- text. The text the instants hold is UTC with microseconds and a Z
-- (store.FormatTime), which timestamptz keeps exactly whatever the session's
-- time zone; the store reads it back as that text (store/pgtime.go). "Not
-- yet" was '' and becomes NULL. A value in any other form would not come
-- back as it was written: the migration refuses to run over one, naming its
-- table and column.
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
        ('idempotency_keys', 'created_at', false),
        ('auth_tokens', 'created_at', false),
        ('auth_tokens', 'expires_at', false),
        ('bundle_case_files', 'added_at', false),
        ('bundle_cases', 'issued_at', true),
        ('bundle_cases', 'created_at', false),
        ('bundle_cases', 'updated_at', false),
        ('case_collections', 'recorded_at', false),
        ('case_escalations', 'at', false),
        ('catalog_bundles', 'created_at', false),
        ('catalog_bundles', 'published_at', true),
        ('coverage_targets', 'updated_at', false),
        ('departments', 'created_at', false),
        ('dev_sms_mailbox', 'created_at', false),
        ('ent_escalations', 'at', false),
        ('ent_events', 'at', false),
        ('ent_requests', 'accepted_at', true),
        ('ent_requests', 'proposed_at', true),
        ('ent_requests', 'ended_at', true),
        ('ent_requests', 'created_at', false),
        ('ent_requests', 'updated_at', false),
        ('ent_teams', 'created_at', false),
        ('ent_teams', 'updated_at', false),
        ('enterprise_agents', 'granted_at', false),
        ('enterprise_agents', 'withdrawn_at', true),
        ('enterprises', 'created_at', false),
        ('escalation_ladders', 'updated_at', false),
        ('fin_applications', 'created_at', false),
        ('fin_applications', 'updated_at', false),
        ('fin_bridge_loans', 'created_at', false),
        ('fin_bridge_loans', 'updated_at', false),
        ('fin_funds', 'updated_at', false),
        ('fin_institutions', 'created_at', false),
        ('fin_needs', 'created_at', false),
        ('fin_products', 'created_at', false),
        ('fin_products', 'updated_at', false),
        ('hall_appointments', 'starts_at', false),
        ('hall_appointments', 'ends_at', false),
        ('hall_appointments', 'created_at', false),
        ('hall_appointments', 'updated_at', false),
        ('hall_board_events', 'at', false),
        ('hall_settings', 'updated_at', false),
        ('hall_skills', 'updated_at', false),
        ('hall_ticket_cases', 'linked_at', false),
        ('hall_windows', 'signed_in_at', true),
        ('item_versions', 'created_at', false),
        ('item_versions', 'published_at', true),
        ('items', 'created_at', false),
        ('licence_types', 'created_at', false),
        ('licence_types', 'updated_at', false),
        ('licence_uses', 'at', false),
        ('licences', 'created_at', false),
        ('licences', 'updated_at', false),
        ('notify_deliveries', 'next_at', false),
        ('notify_deliveries', 'read_at', true),
        ('notify_deliveries', 'event_at', false),
        ('notify_deliveries', 'created_at', false),
        ('notify_deliveries', 'sent_at', true),
        ('notify_once', 'at', false),
        ('notify_preferences', 'updated_at', false),
        ('notify_templates', 'updated_at', false),
        ('notify_webhooks', 'created_at', false),
        ('notify_webhooks', 'updated_at', false),
        ('oidc_identities', 'created_at', false),
        ('oidc_sign_ins', 'created_at', false),
        ('oidc_sign_ins', 'expires_at', false),
        ('oidc_sign_ins', 'used_at', true),
        ('otp_codes', 'created_at', false),
        ('otp_codes', 'expires_at', false),
        ('otp_codes', 'used_at', true),
        ('rating_escalations', 'at', false),
        ('rating_followup_events', 'at', false),
        ('rating_followups', 'contacted_at', true),
        ('rating_followups', 'rectified_at', true),
        ('rating_followups', 'ended_at', true),
        ('rating_followups', 'created_at', false),
        ('rating_followups', 'updated_at', false),
        ('rating_invitations', 'sent_at', false),
        ('rating_keys', 'created_at', false),
        ('rating_settings', 'updated_at', false),
        ('ratings', 'created_at', false),
        ('ratings', 'updated_at', false),
        ('road_networks', 'imported_at', false),
        ('service_points', 'created_at', false),
        ('tgt_reports', 'created_at', false),
        ('tgt_targets', 'created_at', false),
        ('tgt_targets', 'updated_at', false),
        ('users', 'created_at', false),
        ('workday_years', 'updated_at', false)) AS t(tab, col, maybe_not_yet)
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

-- The others, a table at a time (one rewrite each). An agent's live grant
-- is unique; the index says live as the queries do.
DROP INDEX enterprise_agents_live;
ALTER TABLE auth_tokens
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz;
ALTER TABLE bundle_case_files
    ALTER COLUMN added_at TYPE timestamptz USING added_at::timestamptz;
ALTER TABLE bundle_cases
    ALTER COLUMN issued_at DROP DEFAULT, ALTER COLUMN issued_at DROP NOT NULL,
    ALTER COLUMN issued_at TYPE timestamptz USING NULLIF(issued_at, '')::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE case_collections
    ALTER COLUMN recorded_at TYPE timestamptz USING recorded_at::timestamptz;
ALTER TABLE case_escalations
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE catalog_bundles
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN published_at DROP DEFAULT, ALTER COLUMN published_at DROP NOT NULL,
    ALTER COLUMN published_at TYPE timestamptz USING NULLIF(published_at, '')::timestamptz;
ALTER TABLE coverage_targets
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE departments
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE dev_sms_mailbox
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE ent_escalations
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE ent_events
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE ent_requests
    ALTER COLUMN accepted_at DROP DEFAULT, ALTER COLUMN accepted_at DROP NOT NULL,
    ALTER COLUMN accepted_at TYPE timestamptz USING NULLIF(accepted_at, '')::timestamptz,
    ALTER COLUMN proposed_at DROP DEFAULT, ALTER COLUMN proposed_at DROP NOT NULL,
    ALTER COLUMN proposed_at TYPE timestamptz USING NULLIF(proposed_at, '')::timestamptz,
    ALTER COLUMN ended_at DROP DEFAULT, ALTER COLUMN ended_at DROP NOT NULL,
    ALTER COLUMN ended_at TYPE timestamptz USING NULLIF(ended_at, '')::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE ent_teams
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE enterprise_agents
    ALTER COLUMN granted_at TYPE timestamptz USING granted_at::timestamptz,
    ALTER COLUMN withdrawn_at DROP DEFAULT, ALTER COLUMN withdrawn_at DROP NOT NULL,
    ALTER COLUMN withdrawn_at TYPE timestamptz USING NULLIF(withdrawn_at, '')::timestamptz;
ALTER TABLE enterprises
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE escalation_ladders
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE fin_applications
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE fin_bridge_loans
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE fin_funds
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE fin_institutions
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE fin_needs
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE fin_products
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE hall_appointments
    ALTER COLUMN starts_at TYPE timestamptz USING starts_at::timestamptz,
    ALTER COLUMN ends_at TYPE timestamptz USING ends_at::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE hall_board_events
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE hall_settings
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE hall_skills
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE hall_ticket_cases
    ALTER COLUMN linked_at TYPE timestamptz USING linked_at::timestamptz;
ALTER TABLE hall_windows
    ALTER COLUMN signed_in_at DROP DEFAULT, ALTER COLUMN signed_in_at DROP NOT NULL,
    ALTER COLUMN signed_in_at TYPE timestamptz USING NULLIF(signed_in_at, '')::timestamptz;
ALTER TABLE item_versions
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN published_at TYPE timestamptz USING NULLIF(published_at, '')::timestamptz;
ALTER TABLE items
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE licence_types
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE licence_uses
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE licences
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE notify_deliveries
    ALTER COLUMN next_at TYPE timestamptz USING next_at::timestamptz,
    ALTER COLUMN read_at DROP DEFAULT, ALTER COLUMN read_at DROP NOT NULL,
    ALTER COLUMN read_at TYPE timestamptz USING NULLIF(read_at, '')::timestamptz,
    ALTER COLUMN event_at TYPE timestamptz USING event_at::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN sent_at DROP DEFAULT, ALTER COLUMN sent_at DROP NOT NULL,
    ALTER COLUMN sent_at TYPE timestamptz USING NULLIF(sent_at, '')::timestamptz;
ALTER TABLE notify_once
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE notify_preferences
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE notify_templates
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE notify_webhooks
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE oidc_identities
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE oidc_sign_ins
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz,
    ALTER COLUMN used_at DROP DEFAULT, ALTER COLUMN used_at DROP NOT NULL,
    ALTER COLUMN used_at TYPE timestamptz USING NULLIF(used_at, '')::timestamptz;
ALTER TABLE otp_codes
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz,
    ALTER COLUMN used_at DROP DEFAULT, ALTER COLUMN used_at DROP NOT NULL,
    ALTER COLUMN used_at TYPE timestamptz USING NULLIF(used_at, '')::timestamptz;
ALTER TABLE rating_escalations
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE rating_followup_events
    ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE rating_followups
    ALTER COLUMN contacted_at DROP DEFAULT, ALTER COLUMN contacted_at DROP NOT NULL,
    ALTER COLUMN contacted_at TYPE timestamptz USING NULLIF(contacted_at, '')::timestamptz,
    ALTER COLUMN rectified_at DROP DEFAULT, ALTER COLUMN rectified_at DROP NOT NULL,
    ALTER COLUMN rectified_at TYPE timestamptz USING NULLIF(rectified_at, '')::timestamptz,
    ALTER COLUMN ended_at DROP DEFAULT, ALTER COLUMN ended_at DROP NOT NULL,
    ALTER COLUMN ended_at TYPE timestamptz USING NULLIF(ended_at, '')::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE rating_invitations
    ALTER COLUMN sent_at TYPE timestamptz USING sent_at::timestamptz;
ALTER TABLE rating_keys
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE rating_settings
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE ratings
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE road_networks
    ALTER COLUMN imported_at TYPE timestamptz USING imported_at::timestamptz;
ALTER TABLE service_points
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE tgt_reports
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE tgt_targets
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE users
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE workday_years
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
CREATE UNIQUE INDEX enterprise_agents_live ON enterprise_agents (credit_code, user_id) WHERE withdrawn_at IS NULL;

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
DROP INDEX enterprise_agents_live;
ALTER TABLE auth_tokens
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN expires_at TYPE TEXT USING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE bundle_case_files
    ALTER COLUMN added_at TYPE TEXT USING to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE bundle_cases
    ALTER COLUMN issued_at TYPE TEXT USING COALESCE(to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN issued_at SET DEFAULT '', ALTER COLUMN issued_at SET NOT NULL,
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE case_collections
    ALTER COLUMN recorded_at TYPE TEXT USING to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE case_escalations
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE catalog_bundles
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN published_at TYPE TEXT USING COALESCE(to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN published_at SET DEFAULT '', ALTER COLUMN published_at SET NOT NULL;
ALTER TABLE coverage_targets
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE departments
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE dev_sms_mailbox
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE ent_escalations
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE ent_events
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE ent_requests
    ALTER COLUMN accepted_at TYPE TEXT USING COALESCE(to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN accepted_at SET DEFAULT '', ALTER COLUMN accepted_at SET NOT NULL,
    ALTER COLUMN proposed_at TYPE TEXT USING COALESCE(to_char(proposed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN proposed_at SET DEFAULT '', ALTER COLUMN proposed_at SET NOT NULL,
    ALTER COLUMN ended_at TYPE TEXT USING COALESCE(to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN ended_at SET DEFAULT '', ALTER COLUMN ended_at SET NOT NULL,
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE ent_teams
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE enterprise_agents
    ALTER COLUMN granted_at TYPE TEXT USING to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN withdrawn_at TYPE TEXT USING COALESCE(to_char(withdrawn_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN withdrawn_at SET DEFAULT '', ALTER COLUMN withdrawn_at SET NOT NULL;
ALTER TABLE enterprises
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE escalation_ladders
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_applications
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_bridge_loans
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_funds
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_institutions
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_needs
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE fin_products
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_appointments
    ALTER COLUMN starts_at TYPE TEXT USING to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN ends_at TYPE TEXT USING to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_board_events
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_settings
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_skills
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_ticket_cases
    ALTER COLUMN linked_at TYPE TEXT USING to_char(linked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE hall_windows
    ALTER COLUMN signed_in_at TYPE TEXT USING COALESCE(to_char(signed_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN signed_in_at SET DEFAULT '', ALTER COLUMN signed_in_at SET NOT NULL;
ALTER TABLE item_versions
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN published_at TYPE TEXT USING to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE items
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE licence_types
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE licence_uses
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE licences
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE notify_deliveries
    ALTER COLUMN next_at TYPE TEXT USING to_char(next_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN read_at TYPE TEXT USING COALESCE(to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN read_at SET DEFAULT '', ALTER COLUMN read_at SET NOT NULL,
    ALTER COLUMN event_at TYPE TEXT USING to_char(event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN sent_at TYPE TEXT USING COALESCE(to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN sent_at SET DEFAULT '', ALTER COLUMN sent_at SET NOT NULL;
ALTER TABLE notify_once
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE notify_preferences
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE notify_templates
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE notify_webhooks
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE oidc_identities
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE oidc_sign_ins
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN expires_at TYPE TEXT USING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN used_at TYPE TEXT USING COALESCE(to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN used_at SET DEFAULT '', ALTER COLUMN used_at SET NOT NULL;
ALTER TABLE otp_codes
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN expires_at TYPE TEXT USING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN used_at TYPE TEXT USING COALESCE(to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN used_at SET DEFAULT '', ALTER COLUMN used_at SET NOT NULL;
ALTER TABLE rating_escalations
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE rating_followup_events
    ALTER COLUMN at TYPE TEXT USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE rating_followups
    ALTER COLUMN contacted_at TYPE TEXT USING COALESCE(to_char(contacted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN contacted_at SET DEFAULT '', ALTER COLUMN contacted_at SET NOT NULL,
    ALTER COLUMN rectified_at TYPE TEXT USING COALESCE(to_char(rectified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN rectified_at SET DEFAULT '', ALTER COLUMN rectified_at SET NOT NULL,
    ALTER COLUMN ended_at TYPE TEXT USING COALESCE(to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
    ALTER COLUMN ended_at SET DEFAULT '', ALTER COLUMN ended_at SET NOT NULL,
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE rating_invitations
    ALTER COLUMN sent_at TYPE TEXT USING to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE rating_keys
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE rating_settings
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE ratings
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE road_networks
    ALTER COLUMN imported_at TYPE TEXT USING to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE service_points
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE tgt_reports
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE tgt_targets
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE users
    ALTER COLUMN created_at TYPE TEXT USING to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE workday_years
    ALTER COLUMN updated_at TYPE TEXT USING to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
CREATE UNIQUE INDEX enterprise_agents_live ON enterprise_agents (credit_code, user_id) WHERE withdrawn_at = '';
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
