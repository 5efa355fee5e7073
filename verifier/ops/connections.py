"""Slow and numerous connections: how many one client address may hold, how long a request may
take to arrive, and the process's descriptor limit (docs/deploy.md, docs/security.md).

A connection is a file descriptor and a little memory for as long as it is open, whether or not
it ever completes a request: a client that opens thousands and sends a header line every few
seconds (slowloris) would otherwise exhaust descriptors and lock everyone else out. So:

- a client address holds at most `max_per_address` open connections; a new one beyond that is
  closed at once, before anything is read (0: no cap);
- a request's line and headers must be complete within `header_timeout` of its first byte (of
  the connection's opening, for its first request), and its body within `body_timeout` of its
  headers; a connection that is slower is closed. An idle keep-alive connection is closed after
  KEEPALIVE_SECONDS (verifier.ops.serving);
- the soft RLIMIT_NOFILE is raised to the hard limit at start, where the system allows.

The connection handler that applies these is verifier.ops.serving's; this module keeps the
counts and the limits, and never sees an address outside memory (nothing is logged or stored).
"""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("verifier.http.connections")

KEEPALIVE_SECONDS = 75.0  # an idle keep-alive connection (between requests) is closed after this
MAX_DESCRIPTORS = 1 << 20  # what "unlimited" is raised to (the kernel's usual nr_open)


@dataclass
class ConnectionGuard:
    """The limits, and the open connections per client address."""

    max_per_address: int = 256
    header_timeout: float = 15.0
    body_timeout: float = 30.0
    open: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # connections closed at once for being over the cap
    timed_out: int = 0  # connections closed for a request that did not arrive in time

    def admit(self, address: str) -> bool:
        """Count a new connection from `address`; False (and not counted) when over the cap."""
        held = self.open.get(address, 0)
        if self.max_per_address and held >= self.max_per_address:
            self.refused += 1
            return False
        self.open[address] = held + 1
        return True

    def release(self, address: str) -> None:
        held = self.open.get(address, 0) - 1
        if held > 0:
            self.open[address] = held
        else:
            self.open.pop(address, None)


def guard_for(settings: Any) -> ConnectionGuard:
    """The guard for a service's settings (verifier.ops.settings); the defaults for an app
    without them (the benchmark's baselines)."""
    if settings is None:
        return ConnectionGuard()
    return ConnectionGuard(settings.max_connections_per_address, settings.header_timeout_seconds,
                           settings.body_timeout_seconds)


def raise_descriptor_limit() -> int:
    """Raise the soft limit on open files to the hard limit, where allowed; the soft limit after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_DESCRIPTORS if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError) as exc:  # a container may forbid it: serve with what there is
            log.warning("could not raise the open-files limit from %d to %d: %s", soft, wanted, exc)
    return soft
