-- +goose Up
-- Notifications. The outbox (00001) stays the source: every transition writes
-- its rows there, and the notifier expands each row into deliveries, one per
-- recipient and channel, in the transaction that sets the row's sent_at.
-- Rows written before notifications existed describe old events: they are
-- marked as handled rather than sent late.
UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL;

-- One message to one recipient on one channel. message_id is stable (derived
-- from the outbox row, or for webhooks from the event) and sent with the
-- message, so that a receiver drops a repeat after a crash mid-delivery.
-- status: queued (waiting for next_at), sending (claimed until next_at, then
-- anyone may take it again), sent (handed to the SMTP server, the SMS gateway
-- or the webhook, which answered 2xx), delivered (in the in-app inbox), dead
-- (refused for good, or failed at the last try; last_error says why).
CREATE TABLE notify_deliveries (
    id              {{id}},
    message_id      TEXT NOT NULL UNIQUE,
    outbox_id       BIGINT NOT NULL,
    topic           TEXT NOT NULL,
    event           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    user_id         BIGINT NOT NULL DEFAULT 0,
    address         TEXT NOT NULL DEFAULT '',
    subscriber_id   BIGINT NOT NULL DEFAULT 0,
    department_code TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'zh',
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    params          TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    read_at         TEXT NOT NULL DEFAULT '',
    event_at        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT NOT NULL DEFAULT ''
);
-- Only waiting messages are in the index the notifier claims from: a sent
-- or delivered one leaves it, so that the index stays as small as the queue.
CREATE INDEX notify_deliveries_due ON notify_deliveries (status, next_at) WHERE status IN ('queued', 'sending');
CREATE INDEX notify_deliveries_user ON notify_deliveries (user_id, channel, id);

-- What each account wants: an e-mail address, a language, and per kind of
-- message the channels besides the inbox (a JSON object kind → channels).
CREATE TABLE notify_preferences (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    email      TEXT NOT NULL DEFAULT '',
    lang       TEXT NOT NULL DEFAULT 'zh',
    channels   TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

-- Templates administrators changed; the shipped ones are embedded in the
-- binary and apply wherever no row is here.
CREATE TABLE notify_templates (
    event      TEXT NOT NULL,
    lang       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event, lang, channel)
);

-- Department systems that receive events as signed JSON POSTs. event_types
-- and departments are JSON arrays; empty means every one.
CREATE TABLE notify_webhooks (
    id          {{id}},
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    event_types TEXT NOT NULL DEFAULT '[]',
    departments TEXT NOT NULL DEFAULT '[]',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- SMS sent per number and China day, for the daily cap; the upsert that
-- counts a message refuses past the cap, so servers sharing the database
-- cannot overshoot it together.
CREATE TABLE notify_sms_daily (
    phone TEXT NOT NULL,
    day   TEXT NOT NULL,
    sent  INTEGER NOT NULL,
    PRIMARY KEY (phone, day)
);

-- Reminders the notifier writes on its own (an appointment the working day
-- before), each claimed once under its key, so that servers scanning
-- together remind once.
CREATE TABLE notify_once (
    key TEXT PRIMARY KEY,
    at  TEXT NOT NULL
);
-- (Tomorrow's bookings are read through hall_appointments_day, 00012.)

-- +goose Down
DROP TABLE notify_once;
DROP TABLE notify_sms_daily;
DROP TABLE notify_webhooks;
DROP TABLE notify_templates;
DROP TABLE notify_preferences;
DROP TABLE notify_deliveries;
