"""Errors from the store that a caller can act on."""


class StoreError(Exception):
    """Base class for errors from the store."""


class NotFound(StoreError):
    """The thing asked for does not exist."""


class Conflict(StoreError):
    """The write contradicts what is stored (a duplicate, a stale state)."""


class StoreUnavailable(StoreError):
    """The database cannot take writes right now (read-only, disk full, locked)."""
