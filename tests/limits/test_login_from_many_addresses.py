"""Issue 16, item 6, against a real `verifier serve`: clients bound to their own addresses on
127.0.0.0/8. Wrong passwords throttle the address they come from; guessing against one account
from many addresses backs the account off with a growing Retry-After, but a right password
from an address with no failures still logs in, over the API and on the console's form."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.reliability.procs import add_user, serving

PASSWORD = "correct horse battery staple 2"


def _session(address: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0), force_close=True),
                                 cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies from an IP address
                                 timeout=aiohttp.ClientTimeout(total=20))


async def _login(base: str, address: str, username: str, password: str) -> tuple[int, str | None]:
    async with _session(address) as http, http.post(f"{base}/api/v1/auth/login",
                                                    json={"username": username, "password": password}) as response:
        return response.status, response.headers.get("Retry-After")


async def _form_login(base: str, address: str, username: str, password: str) -> tuple[int, str | None]:
    async with _session(address) as http:
        async with http.get(f"{base}/moderation/login") as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text())
        assert token is not None
        async with http.post(f"{base}/moderation/login", allow_redirects=False,
                             data={"csrf_token": token.group(1), "username": username, "password": password}) as response:
            return response.status, response.headers.get("Retry-After")


async def test_five_wrong_passwords_from_one_address_do_not_lock_the_moderator_out(tmp_path: Path) -> None:
    database = tmp_path / "verifier.sqlite3"
    add_user(database, "mod2", "moderator", PASSWORD)
    with serving(database) as server:
        for i in range(5):
            assert await _login(server.base, "127.0.0.2", "mod2", f"guess {i}") == (401, None)
        status, retry = await _login(server.base, "127.0.0.2", "mod2", PASSWORD)
        assert status == 429 and retry is not None and int(retry) >= 1  # that address is throttled
        assert (await _login(server.base, "127.0.0.2", "someone-else", "x"))[0] == 429  # whatever account it names
        assert (await _login(server.base, "127.0.0.3", "mod2", PASSWORD))[0] == 200
        assert (await _login(server.base, "127.0.0.4", "MOD2", "wrong"))[0] == 401  # counted, not refused
        assert (await _form_login(server.base, "127.0.0.5", "mod2", PASSWORD))[0] == 303
        assert (await _form_login(server.base, "127.0.0.2", "mod2", PASSWORD))[0] == 429


async def test_guessing_from_many_addresses_gets_a_growing_retry_after_but_a_clean_address_logs_in(
        tmp_path: Path) -> None:
    database = tmp_path / "verifier.sqlite3"
    add_user(database, "mod2", "moderator", PASSWORD)
    with serving(database) as server:
        waits = []
        for i in range(10, 20):
            address = f"127.0.0.{i}"
            # an address with no failures is never refused: its guess is checked (and counted)
            assert (await _login(server.base, address, "MOD2" if i % 2 else "mod2", f"guess {i}"))[0] == 401
            status, retry = await _login(server.base, address, "mod2", f"guess again {i}")
            if waits or status == 429:  # once the account reached its allowance, failed addresses wait
                assert status == 429 and retry is not None, (address, status)
                waits.append(int(retry))
            else:
                assert status == 401, (address, status)
        assert len(waits) >= 6, waits
        assert waits == sorted(waits) and waits[-1] >= 8 * waits[0], waits  # 1, 2, 4 … seconds and growing
        status, retry = await _form_login(server.base, "127.0.0.19", "mod2", PASSWORD)
        assert status == 429 and retry is not None and int(retry) >= waits[-1] - 1  # the form: the same accounting
        assert (await _login(server.base, "127.0.0.30", "mod2", PASSWORD))[0] == 200
        assert (await _form_login(server.base, "127.0.0.31", "mod2", PASSWORD))[0] == 303
