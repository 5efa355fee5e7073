-- reports_by_reporter was never read: no query looks reports up by reporter (per-reporter limits
-- live in the rate limiter, the queue counts reporters per number through reports_by_number).
-- A random 64-character key in a B-tree made it the most expensive part of storing a report
-- (about half of its SQLite time, docs/performance.md).
DROP INDEX IF EXISTS reports_by_reporter;
