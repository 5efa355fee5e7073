"""Login throttling: failed logins counted per username and per address, on the strict limiter.

A login is refused (before its password is checked) while either the username or the address
has `failures_allowed` failures in the last LOGIN_WINDOW seconds; only failures count. The
counts are shared by every server process (verifier.limits.strict). Subjects are keyed hashes
(the caller makes them), never a raw username or address.
"""

from __future__ import annotations

from verifier.limits.strict import StrictLimiter

LOGIN_WINDOW = 900.0  # seconds: failures older than this (sliding) no longer count
USER_BUCKET, ADDRESS_BUCKET = "login-user", "login-address"


class LoginThrottle:
    __slots__ = ("_limiter", "_allowed")

    def __init__(self, limiter: StrictLimiter, failures_allowed: int) -> None:
        self._limiter = limiter
        self._allowed = failures_allowed

    async def wait_before_trying(self, user: str, address: str) -> float | None:
        """None if `user` (the username's keyed hash) may try from `address` (the address's);
        else the seconds to wait."""
        for bucket, subject in ((USER_BUCKET, user), (ADDRESS_BUCKET, address)):
            retry = await self._limiter.would_allow(bucket, subject, self._allowed, LOGIN_WINDOW)
            if retry is not None:
                return retry
        return None

    async def failed(self, user: str, address: str) -> None:
        """Count a failed login against both the username and the address."""
        for bucket, subject in ((USER_BUCKET, user), (ADDRESS_BUCKET, address)):
            await self._limiter.hit(bucket, subject, self._allowed, LOGIN_WINDOW)
