"""Every setting of the service, declared once with its default and help text.

Read from environment variables (``VERIFIER_<NAME>``), then an optional ``.env``-style
file named by ``VERIFIER_CONFIG``; command-line options override both. Each setting is
documented in README.md (a test checks it).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = "data/verifier.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VERIFIER_",
        env_file=os.environ.get("VERIFIER_CONFIG"),
        extra="ignore",
        validate_default=True,
    )

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8080, ge=0, le=65535, description="TCP port to listen on (0 picks a free one).")
    database: str = Field(
        DEFAULT_DATABASE,
        description="Where the data lives: a SQLite file path or sqlite:///path.",
    )
    load_default_registry: bool = Field(
        True, description="On an empty database, load the shipped default registry."
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, le=16 * 1024 * 1024, description="Largest request body accepted, in bytes."
    )
    batch_max_items: int = Field(1000, ge=1, le=10000, description="Most numbers in one batch verify.")
    log_level: str = Field("INFO", description="Logging level (DEBUG, INFO, WARNING, ERROR).")

    def sqlite_path(self) -> Path:
        """sqlite:///relative/path, sqlite:////absolute/path, or a plain path."""
        return Path(self.database.removeprefix("sqlite:///"))
