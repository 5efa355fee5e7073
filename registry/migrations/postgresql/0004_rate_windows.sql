-- Rate-limit windows shared by several server processes (see verifier/shared_limits.py).
-- PostgreSQL twin of ../sqlite/0004_rate_windows.sql.
CREATE TABLE rate_windows (
    bucket        TEXT COLLATE "C" NOT NULL,
    subject       TEXT COLLATE "C" NOT NULL,   -- a keyed hash, never a raw address or id
    window_start  BIGINT NOT NULL,
    count         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (bucket, subject, window_start)
);
