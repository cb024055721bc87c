-- +goose Up
-- How much each item is used: the cases made for it, all time, kept by
-- triggers on cases in the transaction that creates (or deletes) a case, so
-- that catalogue search ranks equally good matches by use without reading
-- cases (catalog.Store.Search). slot spreads a popular item over several rows
-- on PostgreSQL, where intakes run in parallel; readers add the slots up.
CREATE TABLE item_use (
    item_code TEXT NOT NULL,
    slot      INTEGER NOT NULL,
    cases     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (item_code, slot)
) WITHOUT ROWID;

-- The cases already there.
INSERT INTO item_use (item_code, slot, cases) SELECT item_code, 0, COUNT(*) FROM cases GROUP BY item_code;

-- SQLite has one writer: one slot.
-- +goose StatementBegin
CREATE TRIGGER cases_item_use_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO item_use (item_code, slot, cases) VALUES (NEW.item_code, 0, 1)
        ON CONFLICT (item_code, slot) DO UPDATE SET cases = item_use.cases + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_item_use_delete AFTER DELETE ON cases
BEGIN
    UPDATE item_use SET cases = cases - 1 WHERE item_code = OLD.item_code AND slot = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_item_use_delete;
DROP TRIGGER cases_item_use_insert;
DROP TABLE item_use;
