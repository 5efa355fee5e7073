-- The official-channel registry: organisations and the numbers they publish.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    category    TEXT NOT NULL,
    domains     TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE official_numbers (
    id                    INTEGER PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    number                TEXT NOT NULL,
    number_key            TEXT NOT NULL,
    region                TEXT NOT NULL,
    channel               TEXT NOT NULL,
    direction             TEXT NOT NULL,
    label                 TEXT,
    variants              TEXT NOT NULL DEFAULT '[]',
    shown_with_area_code  INTEGER NOT NULL DEFAULT 0,
    source_url            TEXT,
    source_note           TEXT NOT NULL DEFAULT '',
    verified_at           TEXT,
    confidence            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (org_id, number_key)
);
CREATE INDEX official_numbers_by_key ON official_numbers (number_key);
