"""The audit log page: the first registry load as one line (the stored log keeps every entry),
changes as old → new of the changed fields only, filters by actor, action and kind with the
known values suggested, and paging by id with nothing shown twice or skipped."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

from registry.records import Decision, Page
from tests.web.conftest import fetch, file_report, web_login
from tests.web.htmlparse import Element
from verifier.http.app_keys import SERVICE
from verifier.web.console import PAGE_SIZE


def rows(page: Element) -> list[Element]:
    return [row for row in page.find("tbody").find_all("tr") if row.find_all("td")[0].get("colspan") is None]


def changes(row: Element) -> dict[str, str]:
    """A row's changes: field → "old → new" as shown."""
    return {item.find("span", class_="k").text: item.text.split(" ", 1)[1] for item in row.find_all("li")}


async def _moderated(web: Any) -> int:
    """A report approved by a moderator, and an administrator's change of one organisation."""
    report_id = await file_report(web)
    service = web.app[SERVICE]
    await service.decide_report(report_id, Decision.approve, actor="mod-ann", note="known script")
    await service.update_organization("icbc", {"aliases": ["工行", "工商银行", "ICBC"]}, actor="root-admin")
    await web_login(web)
    return report_id


async def test_the_first_registry_load_is_one_line_and_decisions_are_readable_diffs(web: Any) -> None:
    report_id = await _moderated(web)
    store = web.app[SERVICE].store
    loaded = await store.list_audit(Page(size=200), actor="system:default-registry")
    assert len(loaded) == 200  # the stored log keeps one entry per change

    _, page = await fetch(web, "/moderation/audit?lang=en")
    listed = rows(page)
    assert len(listed) <= 6, [row.text for row in listed]  # not hundreds of lines before the first decision
    [(admin_at, admin)] = [(i, row) for i, row in enumerate(listed) if "root-admin" in row.text]
    [(decision_at, decision)] = [(i, row) for i, row in enumerate(listed) if "mod-ann" in row.text]
    assert admin_at < decision_at  # newest first
    assert admin.find_all("td")[2].text == "registry.organization.update"
    assert list(changes(admin)) == ["aliases"]  # the changed field only, not the organisation's every field
    old, new = changes(admin)["aliases"].split(" → ")
    assert new == '["工行", "工商银行", "ICBC"]' and old.startswith("[") and old != new
    assert decision.find_all("td")[2].text == "report.approve" and f"report {report_id}" in decision.text
    assert changes(decision) == {"status": '"pending" → "approved"', "note": '→ "known script"'}

    [load] = [row for row in listed if "audit-load" in (row.get("class") or "")]
    assert "system:default-registry" in load.text and "Registry load:" in load.text
    total = await store.db.fetchval("SELECT COUNT(*) AS n FROM audit_log WHERE actor = 'system:default-registry'")
    assert f"{total} changes" in load.text
    assert "{" not in load.text  # counts, not JSON

    # the load's entries one by one, paged by id: every entry once
    link = load.find("a").get("href") or ""
    seen: list[str] = []
    while link:
        _, part = await fetch(web, link)
        entries = rows(part)
        assert len(entries) <= PAGE_SIZE and not any("audit-load" in (r.get("class") or "") for r in entries)
        seen += [r.find_all("td")[3].text for r in entries]
        older = [a for a in part.find_all("a") if a.get("rel") == "next"]
        link = "/moderation/audit" + (older[0].get("href") or "") if older else ""
    assert len(seen) == total and len(set(seen)) == total


async def test_filters_by_actor_action_and_kind_with_the_known_values_suggested(web: Any) -> None:
    await _moderated(web)
    _, page = await fetch(web, "/moderation/audit")
    suggested = {list_id: {o.get("value") for o in page.by_id(list_id).find_all("option")}
                 for list_id in ("audit-actors", "audit-actions", "audit-kinds")}
    assert {"mod-ann", "root-admin", "system:default-registry"} <= suggested["audit-actors"]
    assert {"report.approve", "registry.organization.update"} <= suggested["audit-actions"]
    assert {"report", "organization", "official_number"} <= suggested["audit-kinds"]
    for field, datalist in (("actor", "audit-actors"), ("action", "audit-actions"), ("target_type", "audit-kinds")):
        assert page.find("input", name=field).get("list") == datalist

    _, mine = await fetch(web, "/moderation/audit?actor=mod-ann")
    assert [row.find_all("td")[2].text for row in rows(mine)] == ["report.approve"]
    _, kind = await fetch(web, "/moderation/audit?" + urlencode({"target_type": "organization", "actor": "root-admin"}))
    assert [row.find_all("td")[2].text for row in rows(kind)] == ["registry.organization.update"]
    # one action asked for: its entries one by one (never collapsed), a page at a time
    _, created = await fetch(web, "/moderation/audit?action=registry.official_number.create")
    listed = rows(created)
    assert len(listed) == PAGE_SIZE and all(r.find_all("td")[2].text == "registry.official_number.create"
                                            for r in listed)
    assert {"number", "confidence"} <= set(changes(listed[0]))  # a creation: every field set
    older = next(a for a in created.find_all("a") if a.get("rel") == "next").get("href") or ""
    assert parse_qs(older.lstrip("?"))["action"] == ["registry.official_number.create"]
    _, second = await fetch(web, "/moderation/audit" + older)
    assert not {r.find_all("td")[3].text for r in rows(second)} & {r.find_all("td")[3].text for r in listed}
    newest = next(a for a in second.find_all("a") if a.get("rel") == "first").get("href") or ""
    assert parse_qs(newest.lstrip("?")) == {"action": ["registry.official_number.create"]}


async def test_an_empty_filter_result_says_so(web: Any) -> None:
    await web_login(web)
    _, page = await fetch(web, "/moderation/audit?actor=nobody")
    assert rows(page) == [] and page.find("tbody").text in ("没有记录。", "No entries.")
    assert not [a for a in page.find_all("a") if a.get("rel") in ("next", "first")]
