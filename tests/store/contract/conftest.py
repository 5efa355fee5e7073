"""What the store contract's files share (tests/store/contract/test_contract_*.py, one topic each).

Every test in this folder runs on each backend: the `backend`, `store`, `make_store` and
`registry_orgs` fixtures and `new_report` come from tests/store/conftest.py. The store's SQL
is written once, and the app must not be able to tell which database it runs on.
"""

from __future__ import annotations

from registry.models import Category, Confidence, OfficialNumber, Organization
from registry.records import Page
from registry.store import Store

ALL = Page(number=1, size=200)


async def count(store: Store, sql: str, params: tuple[object, ...] = ()) -> int:
    """`sql` selects one number named n."""
    row = await store.db.fetchone(sql, params)
    assert row is not None
    return int(row["n"])


def demo_org(org_id: str = "demo-bank", *numbers: str) -> Organization:
    return Organization(
        id=org_id, name="示例银行", name_en="Demo Bank", aliases=["示例"], category=Category.bank,
        domains=["demo-bank.example.com"],
        numbers=[OfficialNumber(number=n, confidence=Confidence.official_page, source_note="test") for n in numbers],
    )
