-- Crowd reports, moderators and their sessions, API keys, appeals, and the audit log.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    number_key     TEXT NOT NULL,
    number         TEXT NOT NULL,
    region         TEXT NOT NULL,
    category       TEXT NOT NULL,
    claimed_org    TEXT,
    channel        TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    occurred_at    TEXT,
    evidence_url   TEXT,
    reporter_hash  TEXT NOT NULL,   -- keyed hash of the reporter: never the raw id, address or cookie
    client_hash    TEXT NOT NULL,   -- keyed hash of the client address
    api_key_id     INTEGER,
    source         TEXT NOT NULL DEFAULT 'user',
    source_weight  REAL NOT NULL DEFAULT 1.0,
    status         TEXT NOT NULL DEFAULT 'pending',  -- pending, approved, rejected, overturned
    created_at     TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     TEXT,
    decision_note  TEXT
);
CREATE INDEX reports_by_number ON reports (number_key, status);
CREATE INDEX reports_by_status ON reports (status, created_at);
CREATE INDEX reports_by_reporter ON reports (reporter_hash);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,   -- moderator, admin
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,   -- SHA-256 of the bearer token or session cookie
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,      -- api (bearer token) or web (cookie)
    csrf_token  TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    key_hash     TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    rate_limit   INTEGER NOT NULL,   -- requests per minute
    usage_count  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE appeals (
    id             INTEGER PRIMARY KEY,
    number_key     TEXT NOT NULL,
    number         TEXT NOT NULL,
    statement      TEXT NOT NULL,
    contact        TEXT NOT NULL,
    client_hash    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending',  -- pending, upheld, lifted
    created_at     TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     TEXT,
    decision_note  TEXT
);
CREATE INDEX appeals_by_status ON appeals (status, created_at);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    before       TEXT,   -- JSON
    after        TEXT    -- JSON
);
CREATE INDEX audit_by_target ON audit_log (target_type, target_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
