from tests.pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures)
