"""The web page's own check budget (verifier.limits.page): per browser within a generous cap per
client address, apart from the API's anonymous limit; several addresses through X-Forwarded-For."""

from __future__ import annotations

import secrets
from typing import Any

from tests.conftest import assert_problem, from_address
from tests.web.conftest import set_cookies
from verifier.http.callers import VISITOR_COOKIE
from verifier.limits.local import RateLimiter
from verifier.limits.page import ADDRESS_BUCKET, COOKIE_BUCKET, PERIOD, charge_page_check

NAT = "198.51.100.7"  # one carrier NAT address, many people behind it


async def check(client: Any, address: str, visitor: str | None = None, number: str = "95588") -> Any:
    """One check on the home page from one browser (`visitor`: its cookie; None: a browser without one)."""
    client.session.cookie_jar.clear()
    return await client.get("/", params={"q": number}, headers=from_address(address),
                            cookies={VISITOR_COOKIE: visitor} if visitor else None)


def browser() -> str:
    return secrets.token_urlsafe(24)


async def test_each_browser_behind_one_address_has_its_own_budget_and_the_api_keeps_its_own(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, anonymous_requests_per_minute=2,
                               page_checks_per_cookie_per_minute=3, page_checks_per_address_per_minute=100)
    people = [browser() for _ in range(5)]
    for person in people:
        for _ in range(3):
            assert (await check(client, NAT, person)).status == 200
    refused = await check(client, NAT, people[0])
    assert refused.status == 429 and refused.content_type == "text/html"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60 and "分钟后再试" in await refused.text()
    assert (await check(client, NAT, browser())).status == 200  # someone else behind the same address
    # 16 checks on the page from this address, yet the API's anonymous limit (2) is untouched ...
    for _ in range(2):
        assert (await client.get("/api/v1/verify", params={"number": "95588"}, headers=from_address(NAT))).status == 200
    await assert_problem(await client.get("/api/v1/verify", params={"number": "95588"}, headers=from_address(NAT)), 429)
    # ... and the API's, used up, does not stop the page
    assert (await check(client, NAT, browser())).status == 200
    metrics = await (await client.get("/metrics")).text()
    assert f'hv_rate_limit_refusals_total{{limit="{COOKIE_BUCKET}"}} 1.0' in metrics


async def test_the_cap_per_address_binds_every_browser_behind_it_and_no_one_else(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, page_checks_per_cookie_per_minute=3,
                               page_checks_per_address_per_minute=7)
    first = await check(client, NAT)  # a browser without the cookie gets one
    assert first.status == 200
    given = set_cookies(first)[VISITOR_COOKIE]
    assert len(given.value) >= 16 and given["httponly"] and given["samesite"] == "Lax"
    for _ in range(6):  # new cookies (invented, or none at all) do not get past the address's cap
        assert (await check(client, NAT, browser())).status == 200
    for visitor in (browser(), None, "not a valid cookie"):
        assert (await check(client, NAT, visitor)).status == 429
    assert (await check(client, "203.0.113.9", browser())).status == 200  # another address: its own cap
    assert (await check(client, "203.0.113.9", given.value)).status == 200  # the same browser elsewhere too
    # pages without a check cost nothing, and still hand out the cookie
    home = await client.get("/", headers=from_address(NAT))
    assert home.status == 200 and VISITOR_COOKIE in set_cookies(home)


def test_a_check_counts_against_both_limits_or_neither() -> None:
    now = [1_000_000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert charge_page_check(limiter, "a", "nat", per_cookie=2, per_address=3) is None
    assert charge_page_check(limiter, "a", "nat", per_cookie=2, per_address=3) is None
    bucket, limit, retry = charge_page_check(limiter, "a", "nat", per_cookie=2, per_address=3) or ("", 0, 0.0)
    assert (bucket, limit) == (COOKIE_BUCKET, 2) and 1 <= retry <= PERIOD
    assert limiter.would_allow(ADDRESS_BUCKET, "nat", 3, PERIOD, 2.0) is not None  # ... it counted 2, not 3
    assert limiter.would_allow(ADDRESS_BUCKET, "nat", 3, PERIOD) is None
    assert charge_page_check(limiter, "b", "nat", per_cookie=2, per_address=3) is None
    refused = charge_page_check(limiter, "b", "nat", per_cookie=2, per_address=3)
    assert refused is not None and refused[:2] == (ADDRESS_BUCKET, 3)
    assert limiter.would_allow(COOKIE_BUCKET, "b", 2, PERIOD) is None  # b's own budget was not charged
    now[0] += 2 * PERIOD  # two minutes on: all forgotten
    assert charge_page_check(limiter, "b", "nat", per_cookie=2, per_address=3) is None
