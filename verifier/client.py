"""An async Python client for wallet back ends (aiohttp).

    async with VerifierClient("https://verifier.example", api_key="hvk_…") as client:
        answer = await client.verify("95588", claimed_org="工商银行", context="incoming_call")
        results = await client.verify_many(contact_numbers)       # batches of 1,000
        await client.report("13912345678", category="refund_scam", reporter_id="user-7f3a")

Timeouts on every call; retries with exponential backoff (and the server's Retry-After) on
429 and 503 and on connection errors; errors raised as `ApiError` carrying the problem
document.

Batches are for callers with an API key. Without one the server allows a client address
`anonymous_limit` numbers a minute (its VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE, 120 unless
configured; a batch costs one per number), so a batch larger than that can never be served
and a longer list would only be refused after a minute of retries. `verify_batch` and
`verify_many` without a key therefore raise `KeyRequired` before sending anything when the
items exceed `anonymous_limit`, naming the limit they would hit; smaller lists are sent.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

import aiohttp

RETRY_STATUSES = (429, 502, 503, 504)
BATCH_SIZE = 1000
ANONYMOUS_LIMIT = 120  # the server's default VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE


class ApiError(Exception):
    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        super().__init__(f"{status}: {problem.get('detail') or problem.get('title') or 'error'}")
        self.status = status
        self.problem = dict(problem)


class KeyRequired(ValueError):
    """Raised before sending: this many numbers need an API key (the anonymous limit cannot serve them)."""

    def __init__(self, count: int, limit: int) -> None:
        minutes = -(-count // limit)
        super().__init__(
            f"{count:,} numbers need an API key: without one the server allows {limit:,} numbers a minute per "
            f"client address (VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE; a batch costs one per number), so "
            + (f"a batch of {min(count, BATCH_SIZE):,} can never fit and " if count > limit else "")
            + f"the list would take at least {minutes} minutes. Create a key (`verifier apikeys create NAME`, "
            f"6,000 numbers a minute unless --rate-limit says) and pass VerifierClient(..., api_key=KEY).")
        self.count, self.limit = count, limit


class VerifierClient:
    def __init__(self, base_url: str, *, api_key: str | None = None, timeout: float = 10.0, retries: int = 3,
                 backoff: float = 0.25, max_wait: float = 30.0, session: aiohttp.ClientSession | None = None,
                 anonymous_limit: int = ANONYMOUS_LIMIT) -> None:
        """`anonymous_limit`: the server's anonymous numbers per minute (set it if the server's
        VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE is not the default 120); used without `api_key` only."""
        self.base_url = base_url.rstrip("/")
        self._headers = {"X-API-Key": api_key} if api_key else {}
        self._anonymous_limit = None if api_key else anonymous_limit
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._retries, self._backoff, self._max_wait = retries, backoff, max_wait
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> VerifierClient:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    # -- the API ---------------------------------------------------------------------------
    async def verify(self, number: str, *, region: str | None = None, claimed_org: str | None = None,
                     context: str | None = None, lang: str = "zh") -> dict[str, Any]:
        params = _clean({"number": number, "region": region, "claimed_org": claimed_org, "context": context,
                         "lang": lang})
        return await self._request("GET", "/api/v1/verify", params=params)

    async def verify_batch(self, items: Iterable[str | Mapping[str, Any]], *, region: str | None = None,
                           context: str | None = None, lang: str = "zh") -> list[dict[str, Any]]:
        """One batch request (at most 1,000 items); each result has `result` or `error`.
        Without an API key, more items than the anonymous limit raise `KeyRequired` unsent."""
        listed = [_item(i) for i in items]
        self._check_anonymous(len(listed))
        body = _clean({"items": listed, "region": region, "context": context, "lang": lang})
        return (await self._request("POST", "/api/v1/verify/batch", json=body))["results"]

    async def verify_many(self, items: Iterable[str | Mapping[str, Any]], *, batch_size: int = BATCH_SIZE,
                          concurrency: int = 2, **options: Any) -> list[dict[str, Any]]:
        """Any number of items, in batches, results in the order given (indexes renumbered).
        Without an API key, more items than the anonymous limit raise `KeyRequired` unsent."""
        listed = list(items)
        self._check_anonymous(len(listed))
        chunks = [listed[start : start + batch_size] for start in range(0, len(listed), batch_size)]
        gate = asyncio.Semaphore(concurrency)

        async def run(chunk: list[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
            async with gate:
                return await self.verify_batch(chunk, **options)

        results: list[dict[str, Any]] = []
        for offset, chunk_results in zip(range(0, len(listed), batch_size),
                                         await asyncio.gather(*(run(c) for c in chunks)), strict=True):
            results += [{**r, "index": r["index"] + offset} for r in chunk_results]
        return results

    async def verify_text(self, text: str, **options: Any) -> dict[str, Any]:
        return await self._request("POST", "/api/v1/verify/text", json=_clean({"text": text, **options}))

    async def report(self, number: str, *, category: str, **fields: Any) -> dict[str, Any]:
        return await self._request("POST", "/api/v1/reports",
                                   json=_clean({"number": number, "category": category, **fields}))

    async def blocklist(self, since: int | None = None, *, after: str | None = None,
                        limit: int | None = None) -> dict[str, Any]:
        return await self._request("GET", "/api/v1/blocklist",
                                   params=_clean({"since": since, "after": after, "limit": limit}))

    async def prefix(self, prefix: str) -> dict[str, Any]:
        return await self._request("GET", f"/api/v1/verify/prefix/{prefix}")

    def _check_anonymous(self, count: int) -> None:
        if self._anonymous_limit is not None and count > self._anonymous_limit:
            raise KeyRequired(count, self._anonymous_limit)

    # -- transport -------------------------------------------------------------------------
    async def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                       json: Any = None) -> dict[str, Any]:
        if self._session is None:
            raise RuntimeError("use `async with VerifierClient(...)` (or call __aenter__) first")
        attempt = 0
        while True:
            try:
                async with self._session.request(method, self.base_url + path, params=params, json=json,
                                                 headers=self._headers, timeout=self._timeout) as response:
                    if response.status < 400:
                        return await response.json()
                    problem = await _problem(response)
                    if response.status not in RETRY_STATUSES or attempt >= self._retries:
                        raise ApiError(response.status, problem)
                    wait = _retry_after(response.headers.get("Retry-After"))
            except (TimeoutError, aiohttp.ClientConnectionError):
                if attempt >= self._retries:
                    raise
                wait = None
            attempt += 1
            backoff = self._backoff * 2 ** (attempt - 1) * (1 + random.random() / 2)
            await asyncio.sleep(min(self._max_wait, max(backoff, wait or 0.0)))


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _item(item: str | Mapping[str, Any]) -> dict[str, Any]:
    return {"number": item} if isinstance(item, str) else _clean(dict(item))


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


async def _problem(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        body = await response.json(content_type=None)
        return body if isinstance(body, dict) else {"detail": str(body)}
    except (ValueError, aiohttp.ContentTypeError):
        return {"detail": (await response.text())[:500]}
