-- Snapshots of the in-memory state (the report book, the built registry), so that a restart
-- loads them and catches up instead of rebuilding from every row (verifier/book_snapshot.py).
CREATE TABLE memory_snapshots (
    name        TEXT PRIMARY KEY,   -- reports, registry
    format      INTEGER NOT NULL,   -- layout of `data`; a snapshot of another layout is ignored
    covers      TEXT NOT NULL,      -- JSON: what the snapshot holds (report id, change seq, registry counter)
    data        BLOB NOT NULL,
    written_at  TEXT NOT NULL
);

-- Every change to a stored report after its INSERT (an UPDATE of any column, a DELETE), by
-- number: a start from a snapshot re-reads the numbers changed after the snapshot's seq.
-- Filled by triggers, so no write path (store method, CLI, hand-written SQL) can bypass it.
-- A seq is never handed out twice: a new row gets the highest seq + 1, and pruning
-- (registry/store/snapshots.py) always keeps the newest row.
CREATE TABLE report_changes (
    seq         INTEGER PRIMARY KEY,
    number_key  TEXT NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER report_changes_on_update AFTER UPDATE ON reports
BEGIN
    INSERT INTO report_changes (number_key) VALUES (NEW.number_key);
    INSERT INTO report_changes (number_key) SELECT OLD.number_key WHERE OLD.number_key IS NOT NEW.number_key;
END;

CREATE TRIGGER report_changes_on_delete AFTER DELETE ON reports
BEGIN
    INSERT INTO report_changes (number_key, deleted) VALUES (OLD.number_key, 1);
END;

-- Counters: `registry` counts every change to the registry tables (bumped by the triggers below;
-- a registry snapshot is used only while it is unchanged); `report_changes_pruned` is the
-- highest seq that may have been pruned from report_changes (a catch-up from an older seq is
-- impossible); `database` is a random id (53 bits: exact in JSON) drawn once, so that a
-- snapshot is only used by the database it was taken of (or a copy: a backup carries its
-- snapshots along).
CREATE TABLE change_counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO change_counters (name, value) VALUES ('registry', 0), ('report_changes_pruned', 0),
    ('database', random() & 9007199254740991);

CREATE TRIGGER registry_changed_organizations_insert AFTER INSERT ON organizations
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;

CREATE TRIGGER registry_changed_organizations_update AFTER UPDATE ON organizations
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;

CREATE TRIGGER registry_changed_organizations_delete AFTER DELETE ON organizations
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;

CREATE TRIGGER registry_changed_numbers_insert AFTER INSERT ON official_numbers
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;

CREATE TRIGGER registry_changed_numbers_update AFTER UPDATE ON official_numbers
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;

CREATE TRIGGER registry_changed_numbers_delete AFTER DELETE ON official_numbers
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'registry';
END;
