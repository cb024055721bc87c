-- +goose Up
-- 产融合作: financial institutions and the officers who act for them. An
-- officer sees only the applications sent to the institution of their row
-- here; answer_days is the institution's promise in working days.
CREATE TABLE fin_institutions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    answer_days INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE fin_officers (
    institution_code TEXT NOT NULL REFERENCES fin_institutions (code),
    user_id          BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (user_id, institution_code)
);

-- Loan products. Amounts in yuan, terms in months, rates in basis points a
-- year; collateral, industries and regions are JSON arrays (empty: any).
CREATE TABLE fin_products (
    id               {{id}},
    institution_code TEXT NOT NULL REFERENCES fin_institutions (code),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    amount_min       BIGINT NOT NULL,
    amount_max       BIGINT NOT NULL,
    term_min         INTEGER NOT NULL,
    term_max         INTEGER NOT NULL,
    rate_min_bp      INTEGER NOT NULL,
    rate_max_bp      INTEGER NOT NULL,
    collateral       TEXT NOT NULL DEFAULT '[]',
    industries       TEXT NOT NULL DEFAULT '[]',
    regions          TEXT NOT NULL DEFAULT '[]',
    valid_from       TEXT NOT NULL,
    valid_to         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX fin_products_institution ON fin_products (institution_code, id);

-- An enterprise's financing need (融资需求).
CREATE TABLE fin_needs (
    id                 {{id}},
    enterprise_user_id BIGINT NOT NULL REFERENCES users (id),
    enterprise_name    TEXT NOT NULL,
    credit_code        TEXT NOT NULL,
    industry           TEXT NOT NULL,
    region_code        TEXT NOT NULL,
    amount             BIGINT NOT NULL,
    term               INTEGER NOT NULL,
    purpose            TEXT NOT NULL,
    collateral         TEXT NOT NULL DEFAULT '[]',
    created_at         TEXT NOT NULL
);
CREATE INDEX fin_needs_credit ON fin_needs (credit_code, id);

-- An application of a need to one product, on the institution's clock.
CREATE TABLE fin_applications (
    id               {{id}},
    number           TEXT NOT NULL UNIQUE,
    need_id          BIGINT NOT NULL REFERENCES fin_needs (id),
    product_id       BIGINT NOT NULL REFERENCES fin_products (id),
    institution_code TEXT NOT NULL REFERENCES fin_institutions (code),
    status           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    sent_on          TEXT NOT NULL,
    answer_due       TEXT NOT NULL,
    accepted_on      TEXT NOT NULL DEFAULT '',
    decided_on       TEXT NOT NULL DEFAULT '',
    approved_amount  BIGINT NOT NULL DEFAULT 0,
    disbursed_amount BIGINT NOT NULL DEFAULT 0,
    disbursed_on     TEXT NOT NULL DEFAULT '',
    refusal_reason   TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (need_id, product_id)
);
CREATE INDEX fin_applications_institution ON fin_applications (institution_code, id);
CREATE INDEX fin_applications_open ON fin_applications (status, answer_due);

-- 应急周转金: the fund's rules and its balance, which never goes below zero
-- (the CHECK is the last guard; approvals test it in their UPDATE).
CREATE TABLE fin_funds (
    code                 TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    capital              BIGINT NOT NULL,
    balance              BIGINT NOT NULL CHECK (balance >= 0),
    limit_per_enterprise BIGINT NOT NULL,
    max_days             INTEGER NOT NULL,
    fee_bp_per_day       INTEGER NOT NULL,
    updated_at           TEXT NOT NULL
);

-- A bridge loan (过桥倒贷): the maturing bank loan, the bank's written
-- commitment to renew (an uploaded file by its SHA-256), and the loan's steps.
CREATE TABLE fin_bridge_loans (
    id                 {{id}},
    number             TEXT NOT NULL UNIQUE,
    fund_code          TEXT NOT NULL REFERENCES fin_funds (code),
    enterprise_user_id BIGINT NOT NULL REFERENCES users (id),
    enterprise_name    TEXT NOT NULL,
    credit_code        TEXT NOT NULL,
    industry           TEXT NOT NULL DEFAULT '',
    bank_name          TEXT NOT NULL,
    maturing_amount    BIGINT NOT NULL,
    maturing_on        TEXT NOT NULL,
    commitment_sha256  TEXT NOT NULL,
    amount             BIGINT NOT NULL,
    days               INTEGER NOT NULL,
    fee                BIGINT NOT NULL DEFAULT 0,
    status             TEXT NOT NULL,
    version            INTEGER NOT NULL,
    decided_on         TEXT NOT NULL DEFAULT '',
    refusal_reason     TEXT NOT NULL DEFAULT '',
    disbursed_on       TEXT NOT NULL DEFAULT '',
    due_on             TEXT NOT NULL DEFAULT '',
    repaid_on          TEXT NOT NULL DEFAULT '',
    escalated_on       TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX fin_bridge_loans_credit ON fin_bridge_loans (credit_code, id);
CREATE INDEX fin_bridge_loans_status ON fin_bridge_loans (status, due_on);

-- Numbers per kind and day (China time).
CREATE TABLE fin_counters (
    kind TEXT NOT NULL,
    day  TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (kind, day)
);

-- 民生实事: yearly targets and the department's progress reports. Quantities
-- are whole units (户, 个, 条, 家); done_on is the day the target was reached.
CREATE TABLE tgt_targets (
    id              {{id}},
    year            INTEGER NOT NULL,
    name            TEXT NOT NULL,
    department_code TEXT NOT NULL,
    unit            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    deadline        TEXT NOT NULL,
    done_quantity   BIGINT NOT NULL DEFAULT 0,
    done_on         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX tgt_targets_year ON tgt_targets (year, department_code);

CREATE TABLE tgt_reports (
    id              {{id}},
    target_id       BIGINT NOT NULL REFERENCES tgt_targets (id),
    reported_on     TEXT NOT NULL,
    done_quantity   BIGINT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    evidence_sha256 TEXT NOT NULL DEFAULT '',
    evidence_name   TEXT NOT NULL DEFAULT '',
    actor_id        BIGINT NOT NULL,
    actor_name      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX tgt_reports_target ON tgt_reports (target_id, id);

-- +goose Down
DROP TABLE tgt_reports;
DROP TABLE tgt_targets;
DROP TABLE fin_counters;
DROP TABLE fin_bridge_loans;
DROP TABLE fin_funds;
DROP TABLE fin_applications;
DROP TABLE fin_needs;
DROP TABLE fin_products;
DROP TABLE fin_officers;
DROP TABLE fin_institutions;
