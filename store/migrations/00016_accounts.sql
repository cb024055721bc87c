-- +goose Up
-- 办件查询: the query code printed on a case's receipt and notices. Anyone
-- holding the case number and this code may follow the case without an
-- account. The code is kept as issued (it is reprinted on every notice);
-- 8 characters of a 31-letter alphabet, with wrong guesses rate-limited.
CREATE TABLE case_query_codes (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    code    TEXT NOT NULL
);

-- One-time codes sent by SMS (registration, password reset, a new mobile
-- number). Only a hash of the code is kept; a code lives 5 minutes, is used
-- once and allows 5 tries. subject is what the code was asked for (the
-- identity number being registered, the account being reset), so that a
-- code confirms that and nothing else.
CREATE TABLE otp_codes (
    id         {{id}},
    purpose    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    code_hash  TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX otp_codes_phone ON otp_codes (phone, purpose, created_at);
CREATE INDEX otp_codes_expiry ON otp_codes (expires_at);

-- 开发用短信信箱: where SMS messages go while no SMS gateway is configured
-- (development and the demo). Administrators read it; nothing is sent.
CREATE TABLE dev_sms_mailbox (
    id         {{id}},
    phone      TEXT NOT NULL,
    text_zh    TEXT NOT NULL,
    text_en    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX dev_sms_mailbox_phone ON dev_sms_mailbox (phone, id);

-- One account per resident ID number. Partial indexes are read the same
-- way by SQLite and PostgreSQL.
CREATE UNIQUE INDEX users_person_id_number ON users (id_number) WHERE kind = 'person' AND id_number <> '';
CREATE INDEX users_phone ON users (phone);

-- Sessions and API tokens: a browser session or a token for programs, the
-- client it was made for, so that the account page can list and revoke them.
ALTER TABLE auth_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE auth_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_tokens ADD COLUMN client TEXT NOT NULL DEFAULT '';

-- Whether someone checked that the account's holder is the person its ID
-- number names: an administrator who made the account, a front desk, or the
-- province's identity service. A resident who registered alone has proved only
-- the phone, so walk-in cases reach the account by ID number only where the
-- desk recorded that same phone.
ALTER TABLE users ADD COLUMN identity_verified BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE users DROP COLUMN identity_verified;
ALTER TABLE auth_tokens DROP COLUMN client;
ALTER TABLE auth_tokens DROP COLUMN label;
ALTER TABLE auth_tokens DROP COLUMN kind;
DROP INDEX users_phone;
DROP INDEX users_person_id_number;
DROP TABLE dev_sms_mailbox;
DROP TABLE otp_codes;
DROP TABLE case_query_codes;
