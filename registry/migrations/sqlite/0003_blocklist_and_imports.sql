-- The scam blocklist as an incremental feed, and imported (non-user) evidence.
CREATE TABLE blocklist (
    number_key     TEXT PRIMARY KEY,
    added_version  INTEGER NOT NULL
);

CREATE TABLE blocklist_changes (
    version     INTEGER PRIMARY KEY,
    number_key  TEXT NOT NULL,
    action      TEXT NOT NULL,   -- add, remove
    at          TEXT NOT NULL
);

-- Imported rows are told apart by their source and a digest of the row: importing the same
-- file twice adds nothing.
ALTER TABLE reports ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX reports_by_source_ref ON reports (source, source_ref);
