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

-- +goose Down
DROP TABLE oidc_sign_ins;
DROP TABLE oidc_identities;
