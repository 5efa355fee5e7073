"""Schemathesis hooks for tests/reliability/test_fuzz_openapi.py (loaded through SCHEMATHESIS_HOOKS).

- aiohttp's HTTP parser refuses a request line over 8,192 bytes itself, before any route, with a
  problem+json 414 (docs/errors.md) that no operation of the document lists. Such URLs only
  arise from strings far past any useful size, so the fuzzer keeps its query strings under that
  size and exercises the application instead.
- Logout ends the token it is sent with. Every other moderation and admin case shares one
  administrator token, so logout cases get their own from HV_FUZZ_LOGOUT_TOKENS: the first few
  log out (204), later ones present an ended token (401).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

import schemathesis

MAX_QUERY_BYTES = 6000
LOGOUT = "/api/v1/auth/logout"
_shared = f"Bearer {os.environ.get('HV_FUZZ_TOKEN', '')}"
_logout_tokens = [f"Bearer {t}" for t in os.environ.get("HV_FUZZ_LOGOUT_TOKENS", "").split(",") if t]
_spent: list[str] = []


@schemathesis.hook
def filter_query(context: Any, query: dict[str, Any] | None) -> bool:
    if not query:
        return True
    return len(urlencode({str(k): str(v) for k, v in query.items()})) < MAX_QUERY_BYTES


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """A logout sent with the shared token is sent with a logout token instead (the live one while
    any is left, then the last ended one)."""
    if case.operation.path == LOGOUT and case.headers and case.headers.get("Authorization") == _shared:
        case.headers["Authorization"] = (_logout_tokens or _spent)[0]


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if case.operation.path == LOGOUT and response.status_code == 204 and _logout_tokens:
        _spent.insert(0, _logout_tokens.pop(0))
