"""The limiter tests' fixtures: stores on every backend (SQLite, and a real PostgreSQL: tests/pg.py),
the store contract's own (tests/store/conftest.py), for the synced and strict limiters."""

from tests.pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures)
from tests.store.conftest import backend, database_url, make_store, store  # noqa: F401  (fixtures)
