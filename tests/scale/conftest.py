import pytest

from tests.pg import postgres_cluster, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def shared_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """With PostgreSQL every process needs the same configured key (server processes inherit it)."""
    monkeypatch.setenv("VERIFIER_SECRET_KEY", "scale-tests-secret-key-0123456789")
