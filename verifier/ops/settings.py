"""Every setting of the service, declared once with its default and help text.

Read from environment variables (``VERIFIER_<NAME>``), then an optional ``.env``-style
file named by ``VERIFIER_CONFIG``; command-line options override both. Each setting is
documented in README.md (a test checks it).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, model_validator
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
        description="Where the data lives: a SQLite file path, sqlite:///path, or postgresql://user@host:port/db.",
    )
    load_default_registry: bool = Field(
        True, description="On an empty database, load the shipped default registry."
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, le=16 * 1024 * 1024, description="Largest request body accepted, in bytes."
    )
    batch_max_items: int = Field(1000, ge=1, le=10000, description="Most numbers in one batch verify.")
    text_max_checks: int = Field(
        20, ge=1, le=50, description="Most phone numbers and links, together, checked in one pasted text "
        "(POST /api/v1/verify/text): each costs one verify unit, and a text with more is refused with 413."
    )
    header_timeout_seconds: float = Field(
        15.0, gt=0, le=600, description="Time a connection has to send a request's line and headers, from its "
        "first byte (or from connecting): a slower one is closed."
    )
    body_timeout_seconds: float = Field(
        30.0, gt=0, le=3600, description="Time a request has to send its whole body once its headers are in: a "
        "slower one is closed."
    )
    max_connections_per_address: int = Field(
        256, ge=0, description="Open connections one client address may hold; a new one beyond it is closed at "
        "once (0: no cap). Behind a reverse proxy every connection comes from the proxy: raise it above the "
        "proxy's connection pool, or set 0 and let the proxy cap clients (docs/deploy.md)."
    )
    log_level: str = Field("INFO", description="Logging level (DEBUG, INFO, WARNING, ERROR).")
    secret_key: str | None = Field(
        None,
        description="Key for the keyed hashes of reporter identities and client addresses (16+ characters). "
        "Unset: a random key is created once and kept in <database>.key beside the SQLite file.",
    )
    trust_forwarded_for: bool = Field(
        False, description="Behind a reverse proxy: take the client address from X-Forwarded-For's last hop."
    )
    anonymous_requests_per_minute: int = Field(
        120, ge=1, description="Verify requests (batch items count each) per client address without an API key."
    )
    page_checks_per_cookie_per_minute: int = Field(
        60, ge=1, description="Checks on the web page per browser (its hv_visitor cookie) per minute: the page's own "
        "budget, apart from the API's anonymous limit."
    )
    page_checks_per_address_per_minute: int = Field(
        1000, ge=1, description="Checks on the web page per client address per minute, every browser behind it "
        "together: generous, for many people behind one carrier NAT address."
    )
    api_key_default_rate_limit: int = Field(
        6000, ge=1, description="Requests per minute for a new API key unless `apikeys create --rate-limit` says."
    )
    reports_per_reporter_per_hour: int = Field(10, ge=1, description="Reports one reporter may send per hour.")
    reports_per_address_per_hour: int = Field(30, ge=1, description="Reports and appeals one client address may send per hour.")
    key_vouches_per_hour: int = Field(
        9, ge=0, description="Reports an hour through one API key whose `reporter_id` counts as its own voice, for keys "
        "created without `apikeys create --vouches`; beyond it they count as the key's one voice (9: three numbers an "
        "hour can become suspicious through one key's users). docs/reports.md, Voices and weights."
    )
    imported_source_max_voices: float = Field(
        3.0, ge=1, le=10, description="How many voices one imported source counts as at most: a source imported with "
        "--weight w counts like w voices up to this (3: a source of weight 3 can make a number suspicious on its own)."
    )
    login_failures_allowed: int = Field(
        5, ge=1, description="Failed logins from one address in 15 minutes before that address is refused; from "
        "this many failures against one account on, it backs off (1 s, 2 s, 4 s ...) for addresses that have failed."
    )
    session_hours: float = Field(8.0, gt=0, le=720, description="How long a login (token or cookie) lasts.")
    cookie_secure: bool = Field(False, description="Served over HTTPS: cookies get the Secure flag and every "
                                                  "response Strict-Transport-Security (a year, subdomains).")

    @model_validator(mode="after")
    def _postgresql_needs_a_key(self) -> Settings:
        if self.is_postgresql() and not self.secret_key:
            raise ValueError("with PostgreSQL, set VERIFIER_SECRET_KEY (the same on every server process): "
                             "there is no database file to keep a generated key beside")
        if self.secret_key is not None and len(self.secret_key) < 16:
            raise ValueError("VERIFIER_SECRET_KEY needs at least 16 characters")
        return self

    def is_postgresql(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    def sqlite_path(self) -> Path:
        """sqlite:///relative/path, sqlite:////absolute/path, or a plain path."""
        return Path(self.database.removeprefix("sqlite:///"))

    def key_file(self) -> Path:
        """Where a generated secret key is kept when none is configured."""
        return self.sqlite_path().with_name(self.sqlite_path().name + ".key")
