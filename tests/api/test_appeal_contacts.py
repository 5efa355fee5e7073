"""Appeal contacts are sealed at rest (AES-GCM under a key derived from the service's secret):
the database alone reveals none, moderators read them, nobody else does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import from_address, login_as
from tests.web.conftest import fetch, web_login
from verifier.http.app_keys import SERVICE
from verifier.ops.crypto import Sealer

SCAM = "13912345678"
EMAIL, PHONE = "owner.shop@example.org", "13812349876"


def _stored(tmp_path: Path) -> bytes:
    files = [p for p in tmp_path.iterdir() if p.name.startswith("verifier.sqlite3")]
    assert any(p.name.endswith(".sqlite3") for p in files)
    return b"".join(p.read_bytes() for p in files)


async def _appeal(client: Any, contact: str, statement: str = "this is my own shop's number") -> int:
    response = await client.post("/api/v1/appeals", json={"number": SCAM, "statement": statement, "contact": contact},
                                 headers=from_address("192.0.2.7"))
    assert response.status == 202, await response.text()
    return int((await response.json())["id"])


def test_a_sealed_value_opens_only_under_the_same_key_and_purpose() -> None:
    sealer = Sealer(b"k" * 32, "appeal contacts")
    sealed = sealer.seal(EMAIL)
    assert Sealer.is_sealed(sealed) and EMAIL not in sealed and sealed != sealer.seal(EMAIL)  # a fresh nonce each
    assert sealer.open(sealed) == EMAIL and sealer.seal(sealed) == sealed  # sealing is done once
    assert Sealer(b"x" * 32, "appeal contacts").open(sealed) is None  # another key
    assert Sealer(b"k" * 32, "something else").open(sealed) is None  # another purpose
    assert sealer.open(sealed[:-4] + "AAAA") is None  # damaged
    assert sealer.open("in the clear") == "in the clear"


async def test_appeal_contacts_are_not_in_the_database_file_but_moderators_read_them(make_client: Any,
                                                                                     tmp_path: Path) -> None:
    client = await make_client(trust_forwarded_for=True)
    by_mail, by_phone = await _appeal(client, EMAIL), await _appeal(client, PHONE, "我的店铺号码，不是骗子")
    stored = await client.app[SERVICE].store.get_appeal(by_mail)
    assert Sealer.is_sealed(stored.contact)

    moderator = await login_as(client, "moderator")
    queue = await (await client.get("/api/v1/moderation/appeals", headers=moderator)).json()
    assert {a["id"]: a["contact"] for a in queue["items"]} == {by_mail: EMAIL, by_phone: PHONE}
    report = await client.post("/api/v1/reports", json={"number": SCAM, "category": "other"},
                               headers=from_address("198.51.100.9"))
    detail = await (await client.get(f"/api/v1/moderation/reports/{(await report.json())['id']}",
                                     headers=moderator)).json()
    assert {a["contact"] for a in detail["appeals"]} == {EMAIL, PHONE}
    decided = await client.post(f"/api/v1/moderation/appeals/{by_phone}/decision", json={"decision": "uphold"},
                                headers=moderator)
    assert (await decided.json())["appeal"]["contact"] == PHONE
    await web_login(client)
    _, page = await fetch(client, "/moderation/appeals?status=all")
    assert EMAIL in page.text and PHONE in page.text

    audit = await (await client.get("/api/v1/moderation/audit", headers=moderator)).text()
    assert EMAIL not in audit and PHONE not in audit
    await client.close()  # checkpointed: the WAL's pages are in the file
    stored_bytes = _stored(tmp_path)
    assert "我的店铺号码".encode() in stored_bytes  # the search does see the data
    assert EMAIL.encode() not in stored_bytes and PHONE.encode() not in stored_bytes


async def test_contacts_stored_in_the_clear_before_are_sealed_once_at_start(make_client: Any, tmp_path: Path) -> None:
    client = await make_client(trust_forwarded_for=True)
    appeal_id = await _appeal(client, "placeholder@example.org")
    store = client.app[SERVICE].store
    await store.db.execute("UPDATE appeals SET contact = ? WHERE id = ?", (EMAIL, appeal_id))  # as an old version kept it
    await client.close()
    assert EMAIL.encode() in _stored(tmp_path)

    client = await make_client(trust_forwarded_for=True)  # the start seals it
    sealed = (await client.app[SERVICE].store.get_appeal(appeal_id)).contact
    assert Sealer.is_sealed(sealed)
    moderator = await login_as(client, "moderator")
    queue = await (await client.get("/api/v1/moderation/appeals", headers=moderator)).json()
    assert [a["contact"] for a in queue["items"]] == [EMAIL]
    await client.close()
    assert EMAIL.encode() not in _stored(tmp_path)

    client = await make_client(trust_forwarded_for=True)  # a second start changes nothing
    assert (await client.app[SERVICE].store.get_appeal(appeal_id)).contact == sealed


async def test_a_contact_sealed_under_another_secret_key_is_shown_as_unreadable(make_client: Any) -> None:
    client = await make_client(trust_forwarded_for=True, secret_key="the first secret key, 32 bytes!!")
    await _appeal(client, EMAIL)
    await client.close()
    client = await make_client(trust_forwarded_for=True, secret_key="another secret key, also 32 byte")
    moderator = await login_as(client, "moderator")
    queue = await client.get("/api/v1/moderation/appeals", headers=moderator)
    assert queue.status == 200 and [a["contact"] for a in (await queue.json())["items"]] == [None]
    await web_login(client)
    _, page = await fetch(client, "/moderation/appeals")
    assert EMAIL not in page.text
