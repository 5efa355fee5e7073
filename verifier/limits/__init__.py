"""Rate limits: one sliding-window arithmetic, and the limiters built on it.

- `window`: the arithmetic, once (the current fixed window plus the previous one weighted by
  how much of it still overlaps): pure functions and a subject's `Counts`; no state, no I/O.
- `local`: `RateLimiter`, in memory, exact within one process. With SQLite (one server
  process) it is the verify limiter, and what the strict limiter uses.
- `synced`: `SyncedRateLimiter`, several processes on PostgreSQL, for the verify path:
  decided in memory with no database round trip, counts synced every 250 ms (a subject used
  from several processes at once may overshoot by about a sync interval's traffic).
- `strict`: `StrictLimiter`, several processes, for writes an attacker abuses (reports,
  appeals, logins): a database round trip per check, no overshoot; the local limiter with one
  process.
- `page`: the web page's own check budget, per browser within a cap per address (on the
  verify path's limiter), apart from the API's anonymous limit.
- `login`: `LoginThrottle`, failed logins per address on the strict limiter, and per account
  the exponential backoff of `backoff` (`AccountBackoff`), for addresses that have failed.

A new limit: a bucket name, a limit and a period, charged through the limiter its path
calls for (verifier.http.callers `charge_verify` or `charge_shared`); one with rules of its
own (what counts, which subjects) gets a module here, as `login` does.
"""
