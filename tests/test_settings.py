"""Settings are declared once; each one is documented in the README and in `serve --help`."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from verifier.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_help_text() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_every_setting_is_documented_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`VERIFIER_{name.upper()}`" in README, name


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_PORT", "9099")
    monkeypatch.setenv("VERIFIER_TRUST_FORWARDED_FOR", "true")
    settings = Settings()
    assert settings.port == 9099 and settings.trust_forwarded_for is True


def test_a_bad_setting_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_PORT", "eighty")
    with pytest.raises(ValidationError, match="port"):
        Settings()


def test_postgresql_needs_a_configured_secret_key() -> None:
    with pytest.raises(ValidationError, match="VERIFIER_SECRET_KEY"):
        Settings(database="postgresql://verifier@db:5432/verifier")
    assert Settings(database="postgresql://verifier@db:5432/verifier", secret_key="x" * 16).is_postgresql()
    with pytest.raises(ValidationError, match="16 characters"):
        Settings(secret_key="short")
