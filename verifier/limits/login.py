"""Login throttling: failures throttle the address they come from; an account attacked from many
addresses backs off exponentially, but never for an address that has not failed.

- **Per address**: `failures_allowed` failed logins in LOGIN_WINDOW (sliding) and that address
  is refused (429, Retry-After) whatever account it names: one address cannot guess on.
- **Per account**: failures against one username from any addresses count together
  (verifier.limits.backoff): from the allowance on, each makes the account wait 1 s, 2 s, 4 s …
  (at most 15 minutes) after it. While it waits, an address that has itself failed in the window
  is refused with 429 and the seconds left in Retry-After; an address with no failures is never
  refused for the account's sake, so guessing from elsewhere cannot lock a moderator out.

Nothing is slowed by holding a connection open: a refusal is answered at once. Failures are
counted by the strict limiter and the backoff, both shared by every server process. Subjects
are keyed hashes (the caller makes them, the username case-folded), never a raw name or address.
"""

from __future__ import annotations

from registry.store import Store
from verifier.limits.backoff import AccountBackoff
from verifier.limits.strict import StrictLimiter

LOGIN_WINDOW = 900.0  # seconds: failures older than this (sliding) no longer count
ADDRESS_BUCKET = "login-address"


class LoginThrottle:
    __slots__ = ("_limiter", "_allowed", "_backoff")

    def __init__(self, limiter: StrictLimiter, failures_allowed: int, store: Store | None = None,
                 backoff: AccountBackoff | None = None) -> None:
        """`store`: the database every process shares (None with one process: in memory)."""
        self._limiter = limiter
        self._allowed = failures_allowed
        self._backoff = backoff or AccountBackoff(failures_allowed, LOGIN_WINDOW, store)

    async def wait_before_trying(self, user: str, address: str) -> float | None:
        """None if `user` (the username's keyed hash) may try from `address` (the address's);
        else the seconds to wait."""
        retry = await self._limiter.would_allow(ADDRESS_BUCKET, address, self._allowed, LOGIN_WINDOW)
        if retry is not None:
            return retry
        backing_off = await self._backoff.wait(user)
        if backing_off is not None and await self._has_failed(address):
            return backing_off
        return None

    async def failed(self, user: str, address: str) -> None:
        """Count a failed login against the address and the account."""
        await self._limiter.hit(ADDRESS_BUCKET, address, self._allowed, LOGIN_WINDOW)
        await self._backoff.failed(user)

    async def _has_failed(self, address: str) -> bool:
        """The address has failed at least once in the window."""
        return await self._limiter.would_allow(ADDRESS_BUCKET, address, 1, LOGIN_WINDOW) is not None
