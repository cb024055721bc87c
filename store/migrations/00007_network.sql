-- +goose Up
-- Administrative divisions (行政区划): province, cities, counties, townships
-- and streets, villages and communities, by their statistical codes. level
-- follows the item levels (2 province … 5 township/street, 6 village/community).
-- Coordinates and population are optional and imported; location_generated
-- marks coordinates invented for a demonstration.
CREATE TABLE regions (
    code               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    level              INTEGER NOT NULL,
    parent_code        TEXT NOT NULL DEFAULT '',
    lat                DOUBLE PRECISION,
    lon                DOUBLE PRECISION,
    population         BIGINT,
    area               TEXT NOT NULL DEFAULT '',
    location_generated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX regions_parent ON regions (parent_code, code);

-- Where a service point is, and whether that place was invented for a demonstration.
ALTER TABLE service_points ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE service_points ADD COLUMN lon DOUBLE PRECISION;
ALTER TABLE service_points ADD COLUMN location_generated INTEGER NOT NULL DEFAULT 0;

-- The services a point offers (government, medical-insurance, legal-aid …).
CREATE TABLE point_services (
    point_code TEXT NOT NULL REFERENCES service_points (code) ON DELETE CASCADE,
    service    TEXT NOT NULL,
    PRIMARY KEY (point_code, service)
);
CREATE INDEX point_services_service ON point_services (service, point_code);

-- The departments whose items make up a service: a medical-insurance point
-- handles the items of the medical-insurance bureaus at its level.
CREATE TABLE service_departments (
    service         TEXT NOT NULL,
    department_code TEXT NOT NULL,
    PRIMARY KEY (service, department_code)
);

-- Coverage targets: the share of a level's places (townships, villages) that
-- must be within minutes of a point offering the service.
CREATE TABLE coverage_targets (
    service    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    minutes    INTEGER NOT NULL,
    rate       DOUBLE PRECISION NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service, level)
);

-- Imported road networks (GeoJSON lines), used for travel times along roads.
CREATE TABLE road_networks (
    name        TEXT PRIMARY KEY,
    geojson     TEXT NOT NULL,
    segments    INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE road_networks;
DROP TABLE coverage_targets;
DROP TABLE service_departments;
DROP TABLE point_services;
ALTER TABLE service_points DROP COLUMN location_generated;
ALTER TABLE service_points DROP COLUMN lon;
ALTER TABLE service_points DROP COLUMN lat;
DROP TABLE regions;
