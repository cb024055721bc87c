-- +goose Up
-- One audit chain per distribution key instead of one head that every
-- audited write locked. A chain is named by its key: a service point's code
-- for the records of that point's cases and hall, '' (the tenant's own
-- chain) for everything else. Each chain has its own head row and numbers
-- its records 1, 2, 3… in chain_seq; seq stays the log's order as a whole,
-- taken from a sequence, which hands out numbers without locking a row.
-- The records already written become the first records of the tenant's
-- chain: their chain_seq is their seq, so every hash still verifies.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
UPDATE audit_log SET chain_seq = seq;
ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL;
-- Every primary key holds the distribution key.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (chain, chain_seq);
CREATE INDEX audit_log_seq ON audit_log (seq);

CREATE SEQUENCE audit_log_seq_seq;
-- The sequence is set in a block of its own: on Citus a statement that reads
-- the table is run on the worker, where the new sequence is not yet known.
-- +goose StatementBegin
DO $$
DECLARE
    last BIGINT;
BEGIN
    SELECT COALESCE(MAX(seq), 0) INTO last FROM audit_log;
    PERFORM setval('audit_log_seq_seq', last + 1, false);
END
$$;
-- +goose StatementEnd
ALTER TABLE audit_log ALTER COLUMN seq SET DEFAULT nextval('audit_log_seq_seq');

CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) SELECT '', seq, hash FROM audit_head;
DROP TABLE audit_head;

-- +goose Down
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_heads WHERE chain = '';
DROP TABLE audit_heads;
DELETE FROM audit_log WHERE chain <> '';
ALTER TABLE audit_log ALTER COLUMN seq DROP DEFAULT;
DROP SEQUENCE audit_log_seq_seq;
DROP INDEX audit_log_seq;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
UPDATE audit_log SET seq = chain_seq;
ALTER TABLE audit_log ADD PRIMARY KEY (seq);
ALTER TABLE audit_log DROP COLUMN chain_seq;
ALTER TABLE audit_log DROP COLUMN chain;
