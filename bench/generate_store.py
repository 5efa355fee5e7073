"""A large store for the benchmark, generated deterministically (fixed seed).

100,000 official numbers of 10,000 synthetic organisations (ids `bench-…`, never shipped) on
top of the shipped registry, and 1,000,000 reports over 200,000 numbers from 300,000
reporters. Usage: python bench/generate_store.py PATH [--numbers N] [--reports N] [--seed S]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import random
import sqlite3
import time
from pathlib import Path

from registry.backends import open_store
from registry.default import load_default_registry
from verifier.core.knowledge import official_key

CATEGORIES = ["fake_customer_service", "refund_scam", "account_security_scam", "loan_scam", "investment_scam",
              "impersonating_authority", "phishing_sms", "harassment_marketing", "other"]
CHANNELS = ["incoming_call", "sms", "web_page", "search_ad", "social_media", "other"]
MOBILE_PREFIXES = ["139", "138", "137", "136", "135", "150", "151", "186", "187", "188", "189", "133", "153", "177"]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def reported_numbers(seed: int, count: int = 200_000) -> list[str]:
    """The pool of reported mobile numbers (national digits), the same for the same seed."""
    rng = random.Random(seed)
    pool: set[str] = set()
    while len(pool) < count:
        pool.add(rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
    return sorted(pool)


async def _schema_and_default_registry(path: Path) -> None:
    store = open_store(str(path))
    await store.open()
    if await store.registry_is_empty():
        await store.import_registry(load_default_registry(official_key), official_key, actor="bench")
    await store.close()


def generate(path: Path, numbers: int, reports: int, seed: int) -> None:
    if path.exists():
        path.unlink()
    asyncio.run(_schema_and_default_registry(path))
    rng = random.Random(seed)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    stamp = now.isoformat(timespec="microseconds")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("BEGIN")
    orgs = numbers // 10
    db.executemany(
        "INSERT INTO organizations (id, name, name_en, aliases, category, domains, created_at, updated_at)"
        " VALUES (?, ?, ?, '[]', 'other', '[]', ?, ?)",
        [(f"bench-{i:05d}", f"基准机构{i:05d}", f"Bench Org {i:05d}", stamp, stamp) for i in range(orgs)],
    )
    used: set[str] = set()
    rows = []
    for i in range(numbers):
        while True:  # 400 numbers and Beijing fixed lines, distinct
            if rng.random() < 0.5:
                digits = "400" + f"{rng.randrange(10**7):07d}"
                written, key = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", "+86" + digits
            else:
                digits = "10" + f"{rng.randrange(2 * 10**7, 9 * 10**7):08d}"
                written, key = f"0{digits[:2]}-{digits[2:]}", "+86" + digits
            if key not in used:
                used.add(key)
                break
        rows.append((f"bench-{i // 10:05d}", written, key, "CN", "hotline", "inbound_only" if digits[:3] == "400"
                     else "unknown", None, "[]", 0, None, "synthetic benchmark entry", None, "single_source",
                     stamp, stamp))
    db.executemany(
        "INSERT INTO official_numbers (org_id, number, number_key, region, channel, direction, label, variants,"
        " shown_with_area_code, source_url, source_note, verified_at, confidence, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    pool = reported_numbers(seed)
    reporters = [_hash(f"bench-reporter-{i}") for i in range(300_000)]
    batch = []
    for _ in range(reports):
        digits = pool[rng.randrange(len(pool))]
        reporter = rng.randrange(len(reporters))
        roll = rng.random()
        status = "pending" if roll < 0.80 else "approved" if roll < 0.95 else "rejected"
        created = (now - dt.timedelta(seconds=rng.randrange(180 * 86400))).isoformat(timespec="microseconds")
        batch.append(("+86" + digits, digits, "CN", CATEGORIES[rng.randrange(len(CATEGORIES))], None,
                      CHANNELS[rng.randrange(len(CHANNELS))], "", reporters[reporter],
                      _hash(f"bench-address-{reporter}"), status, created))
        if len(batch) == 50_000:
            _insert_reports(db, batch)
            batch = []
    if batch:
        _insert_reports(db, batch)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _insert_reports(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany(
        "INSERT INTO reports (number_key, number, region, category, claimed_org, channel, description,"
        " reporter_hash, client_hash, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.path, args.numbers, args.reports, args.seed)
    print(json.dumps({"path": str(args.path), "numbers": args.numbers, "reports": args.reports,
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
