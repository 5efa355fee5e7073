"""The web page's own check budget: per browser, within a generous cap per client address.

People behind one carrier NAT address share it, and the API's anonymous limit (per address,
verifier.http.callers `charge_verify`) would give all of them together about 120 checks a
minute. The home page is charged here instead, on two limits:

- per browser (the `hv_visitor` cookie's keyed hash): `per_cookie` checks a minute, a fair
  share that one person never reaches by hand;
- per client address: `per_address` checks a minute, every browser behind it together: the
  real bound on what one address can take, since a script can always invent new cookies
  (or send none, and be given a new one each time).

A check is counted against both or, when either is used up, against neither; a pasted text
counts what the API charges for it (one per number and link it checks: verifier.core.text.budget).
The limiter is the verify path's own (verifier.limits.local with SQLite, .synced with PostgreSQL):
in memory, no database round trip. The API's anonymous limit is not touched by the page, nor
the page's by the API.
"""

from __future__ import annotations

from verifier.limits.local import RateLimiter

COOKIE_BUCKET, ADDRESS_BUCKET = "page-visitor", "page-address"
PERIOD = 60.0


def charge_page_check(limiter: RateLimiter, visitor: str, address: str, per_cookie: int,
                      per_address: int, cost: int = 1) -> tuple[str, int, float] | None:
    """Count `cost` checks (a pasted text: what it costs, verifier.core.text.budget) for the browser
    `visitor` at `address` (both keyed hashes). None if allowed; else the limit that refused it:
    (bucket, limit, seconds to wait)."""
    retry = limiter.would_allow(ADDRESS_BUCKET, address, per_address, PERIOD, cost)
    if retry is not None:
        return ADDRESS_BUCKET, per_address, retry
    retry = limiter.hit(COOKIE_BUCKET, visitor, per_cookie, PERIOD, cost)
    if retry is not None:
        return COOKIE_BUCKET, per_cookie, retry
    limiter.hit(ADDRESS_BUCKET, address, per_address, PERIOD, cost)  # allowed: would_allow said so, just now
    return None
