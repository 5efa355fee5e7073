"""Helpers for the HTML tests: fetch and parse a page, log in through the login form."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

import pytest

from registry.records import Role
from tests.web.htmlparse import Element, form_fields, parse
from verifier.http.app_keys import SERVICE
from verifier.ops.crypto import hash_password

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
async def web(make_client: Any) -> Any:
    """An app whose limits do not get in the way (the tests that need limits make their own)."""
    return await make_client(trust_forwarded_for=True, reports_per_address_per_hour=1000,
                             reports_per_reporter_per_hour=1000, anonymous_requests_per_minute=100000)


async def fetch(client: Any, path: str, status: int = 200, **kwargs: Any) -> tuple[Any, Element]:
    response = await client.get(path, **kwargs)
    body = await response.text()
    assert response.status == status, (path, response.status, body[:3000])
    assert response.content_type == "text/html", (path, response.content_type)
    return response, parse(body)


def assert_secure_headers(response: Any) -> None:
    for name, start in SECURITY_HEADERS.items():
        assert response.headers.get(name, "").startswith(start), (response.url, name, response.headers.get(name))
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def set_cookies(response: Any) -> dict[str, Any]:
    """The Set-Cookie headers of a response, by cookie name (http.cookies morsels)."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        jar.load(header)
    return dict(jar)


def client_cookie(client: Any, name: str) -> str | None:
    for cookie in client.session.cookie_jar:
        if cookie.key == name:
            return str(cookie.value)
    return None


def csrf_of(document: Element) -> str:
    return document.find("input", name="csrf_token").get("value") or ""


async def make_user(client: Any, role: str, username: str | None = None) -> tuple[str, str]:
    username = username or f"web-{role}"
    password = f"a long {role} password for tests"
    store = client.app[SERVICE].store
    if await store.user_credentials(username) is None:
        await store.add_user(username, hash_password(password), Role(role), actor="test")
    return username, password


async def web_login(client: Any, role: str = "moderator", username: str | None = None) -> Any:
    """Log in through the HTML form; returns the login POST's response (a 303)."""
    username, password = await make_user(client, role, username)
    _, page = await fetch(client, "/moderation/login")
    response = await client.post("/moderation/login", allow_redirects=False, data={
        "csrf_token": csrf_of(page), "username": username, "password": password, "next": "/moderation"})
    assert response.status == 303, await response.text()
    return response


async def post_form(client: Any, document: Element, action: str, extra: dict[str, str] | None = None,
                    **kwargs: Any) -> Any:
    """Submit the page's form whose action is `action`, as a browser would (plus `extra`)."""
    form = next(f for f in document.find_all("form")
                if f.get("action") == action and (f.get("method") or "get").lower() == "post")
    fields = dict(form_fields(form))
    fields.update(extra or {})
    return await client.post(action, data=fields, allow_redirects=False, **kwargs)


async def file_report(client: Any, number: str = "13912345678", **fields: str) -> int:
    """A report through the HTML form; returns its id."""
    _, page = await fetch(client, "/report")
    values = {"number": number, "category": "fake_customer_service", "channel": "incoming_call",
              "claimed_org": "工商银行", "description": "说我的账户被冻结，要我转账解冻", **fields}
    response = await post_form(client, page, "/report", values)
    assert response.status == 303, await response.text()
    return int(response.headers["Location"].rsplit("id=", 1)[1])
