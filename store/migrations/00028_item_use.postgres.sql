-- +goose Up
-- How much each item is used: the cases made for it, all time, kept by
-- triggers on cases in the transaction that creates (or deletes) a case, so
-- that catalogue search ranks equally good matches by use without reading
-- cases (catalog.Store.Search). slot spreads a popular item over several rows
-- (by case id), so that concurrent intakes of one item do not queue on one
-- row; readers add the slots up.
CREATE TABLE item_use (
    item_code TEXT NOT NULL,
    slot      INTEGER NOT NULL,
    cases     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (item_code, slot)
);

-- The cases already there.
INSERT INTO item_use (item_code, slot, cases) SELECT item_code, 0, COUNT(*) FROM cases GROUP BY item_code;

-- +goose StatementBegin
CREATE FUNCTION cases_item_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO item_use (item_code, slot, cases) VALUES (NEW.item_code, (NEW.id % 8)::integer, 1)
            ON CONFLICT (item_code, slot) DO UPDATE SET cases = item_use.cases + 1;
    ELSE
        INSERT INTO item_use (item_code, slot, cases) VALUES (OLD.item_code, (OLD.id % 8)::integer, -1)
            ON CONFLICT (item_code, slot) DO UPDATE SET cases = item_use.cases - 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_item_use AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_item_use();

-- +goose Down
DROP TRIGGER cases_item_use ON cases;
DROP FUNCTION cases_item_use();
DROP TABLE item_use;
