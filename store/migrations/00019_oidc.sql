-- +goose Up
-- Accounts signed in through the province's identity service (OpenID
-- Connect): the provider's subject names the account for good once a first
-- sign-in linked it (by a verified ID number or a staff username).
CREATE TABLE oidc_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- A sign-in on its way through the provider: the hash of its state, the
-- nonce the ID token must carry and the PKCE verifier the code is redeemed
-- with. A state is spent by its first callback, so a replayed callback (the
-- same code twice) finds it used; rows live ten minutes.
CREATE TABLE oidc_sign_ins (
    state_hash TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX oidc_sign_ins_expiry ON oidc_sign_ins (expires_at);

-- Enterprises registered online by their legal representative (a person
-- whose identity was verified), by 统一社会信用代码, and the people they
-- authorise to act for them (经办人), each until an end date (the last
-- China day it holds) or until withdrawn. A withdrawn authorisation stays,
-- as the record of who could act when.
CREATE TABLE enterprises (
    credit_code       TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    legal_rep_user_id BIGINT NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL
);
CREATE INDEX enterprises_legal_rep ON enterprises (legal_rep_user_id);
CREATE TABLE enterprise_agents (
    id           {{id}},
    credit_code  TEXT NOT NULL REFERENCES enterprises (credit_code),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    ends_on      TEXT NOT NULL,
    granted_by   BIGINT NOT NULL REFERENCES users (id),
    granted_at   TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL DEFAULT '',
    withdrawn_by BIGINT
);
CREATE INDEX enterprise_agents_user ON enterprise_agents (user_id, withdrawn_at, ends_on);
CREATE UNIQUE INDEX enterprise_agents_live ON enterprise_agents (credit_code, user_id) WHERE withdrawn_at = '';

-- 帮代办: who acted for the applicant in a step of a case. 'desk' is a
-- front desk acting at the window, 'agent' a person acting for an
-- enterprise (its legal representative or an authorised agent); empty is
-- the applicant themselves or the back office in its own capacity.
ALTER TABLE case_events ADD COLUMN on_behalf TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE case_events DROP COLUMN on_behalf;
DROP TABLE enterprise_agents;
DROP TABLE enterprises;
DROP TABLE oidc_sign_ins;
DROP TABLE oidc_identities;
