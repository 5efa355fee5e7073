-- Rate-limit windows shared by several server processes (used with PostgreSQL; see verifier/shared_limits.py).
CREATE TABLE rate_windows (
    bucket        TEXT NOT NULL,
    subject       TEXT NOT NULL,   -- a keyed hash, never a raw address or id
    window_start  INTEGER NOT NULL,
    count         REAL NOT NULL,
    PRIMARY KEY (bucket, subject, window_start)
);
