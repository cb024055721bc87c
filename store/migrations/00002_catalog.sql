-- +goose Up
-- Implementing bodies (实施主体).
CREATE TABLE departments (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    credit_code TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- One row per service item: where its current versions are. A writer locks
-- this row before it adds or publishes a version, so versions never collide.
-- base_code and department_code follow the most recently saved version.
CREATE TABLE items (
    code              TEXT PRIMARY KEY,
    base_code         TEXT NOT NULL,
    department_code   TEXT NOT NULL REFERENCES departments (code),
    published_version INTEGER,
    draft_version     INTEGER,
    latest_version    INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
);
CREATE INDEX items_department ON items (department_code, code);

-- Every version of every item. A version is the unit a case pins, so a
-- published or retired row never changes again. body holds the item's
-- content as JSON (materials and fees included); version, status and the
-- timestamps live only in their columns. The other columns copy what lists
-- filter on. levels and life_events are written ",4,5,6," so that
-- LIKE '%,5,%' finds one value on either engine; search_text is the lower-case
-- text that free-text search matches (name, English name, codes, and any
-- extra terms such as pinyin).
CREATE TABLE item_versions (
    item_code           TEXT NOT NULL REFERENCES items (code),
    version             INTEGER NOT NULL,
    status              TEXT NOT NULL,
    name                TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    type                TEXT NOT NULL,
    department_code     TEXT NOT NULL,
    levels              TEXT NOT NULL,
    life_events         TEXT NOT NULL DEFAULT ',',
    legal_limit_days    INTEGER NOT NULL,
    promised_limit_days INTEGER NOT NULL,
    visits              INTEGER NOT NULL,
    fully_online        INTEGER NOT NULL,
    serves_persons      INTEGER NOT NULL,
    serves_enterprises  INTEGER NOT NULL,
    search_text         TEXT NOT NULL,
    body                TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    published_at        TEXT,
    PRIMARY KEY (item_code, version)
);
-- Browsing: the catalogue by status in code order (levels, life events and
-- free text are filtered along this scan), one department's items, and the
-- fully-online count of the dashboard.
CREATE INDEX item_versions_status ON item_versions (status, item_code, version);
CREATE INDEX item_versions_department ON item_versions (department_code, status, item_code);
CREATE INDEX item_versions_online ON item_versions (status, fully_online);

-- +goose Down
DROP TABLE item_versions;
DROP TABLE items;
DROP TABLE departments;
