"""The real, throwaway PostgreSQL cluster (tests/pg.py) for the state tests that cross processes."""

from tests.pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures)
