"""Settings are declared once; each one is documented in the README and in `serve --help`."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from verifier.ops.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


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


def test_settings_come_from_a_config_file_named_by_verifier_config(tmp_path: Path) -> None:
    from tests.servers import run_cli

    config = tmp_path / "verifier.env"
    config.write_text("VERIFIER_PORT=9123\nVERIFIER_BATCH_MAX_ITEMS=7\n", encoding="utf-8")
    shown = run_cli("serve", "--help", env={"VERIFIER_CONFIG": str(config)})
    assert shown.returncode == 0
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", "from verifier.ops.settings import Settings; s = Settings(); "
                            "print(s.port, s.batch_max_items)"], env={**__import__("os").environ,
                                                                      "VERIFIER_CONFIG": str(config)},
                           capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert probe.stdout.split() == ["9123", "7"]


def test_a_bad_setting_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    from tests.servers import run_cli

    result = run_cli("serve", "--database", str(tmp_path / "db.sqlite3"), env={"VERIFIER_MAX_BODY_BYTES": "12"})
    assert result.returncode == 2
    assert "max_body_bytes" in result.stderr and "greater than or equal to 1024" in result.stderr
