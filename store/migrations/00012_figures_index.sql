-- +goose Up
-- The province's figures (package figures) count cases by the month in
-- which they were accepted and decided, and the halls' appointments and
-- lunch-time and extended-hours services by month, for the whole province
-- or some of its points. Without these indexes each count read the whole
-- table. The case indexes lead with the instant, so a period is one range
-- scan, and carry the columns the counts group and filter by, so the scan
-- does not visit the table; they are partial because cases not yet
-- accepted or decided are never counted (the queries repeat the condition
-- word for word, as SQLite needs to use a partial index).
CREATE INDEX cases_accepted_month ON cases (accepted_at, point_code, department_code, channel) WHERE accepted_at <> '';
CREATE INDEX cases_decided_month ON cases (decided_at, point_code, department_code, promised_due) WHERE decided_at <> '';
CREATE INDEX hall_tickets_period_day ON hall_tickets (day, point_code, period) WHERE period IN ('lunch', 'extended');
CREATE INDEX hall_appointments_day ON hall_appointments (day, point_code, status);

-- +goose Down
DROP INDEX hall_appointments_day;
DROP INDEX hall_tickets_period_day;
DROP INDEX cases_decided_month;
DROP INDEX cases_accepted_month;
