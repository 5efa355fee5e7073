"""Reading the sources' text: CSV rows, statuses, phone numbers, URLs' hosts and names as ids.

``parse_number`` turns a number as a source writes it into a ``Parsed`` number whose ``key``
is the build's merge key (E.164 for a valid number, ``"CN:95588"`` for a short code), so the
same number from two sources lands on the same entry. ``slug`` spells a Chinese name as an
ASCII id with pypinyin (a dev-only dependency: see the entry point's docstring).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from pypinyin import lazy_pinyin  # dev-only dependency, see tools/build_default_registry.py

from registry.models import Confidence

from .config import SLUG_OVERRIDES, BuildError


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def status_confidence(status: str) -> Confidence:
    if status == "confirmed-official":
        return Confidence.official_page
    if status == "confirmed-2-thirdparty":
        return Confidence.multiple_sources
    if status.startswith("confirmed-thirdparty") or status == "partially-confirmed" or status.startswith(
        "UNCONFIRMED-"
    ):
        return Confidence.single_source
    raise BuildError(f"unknown hotlines_cn status {status!r}")


@dataclass(frozen=True)
class Parsed:
    number: str  # as written, whitespace collapsed
    region: str
    key: str  # merge key: E.164 for valid numbers, "CN:95588" otherwise
    national: str  # national significant number


def parse_number(written: str, region: str = "CN") -> Parsed:
    number = " ".join(written.split())
    if not number or re.search(r"[;,转]", number):
        raise BuildError(f"number {written!r} is empty or still carries an IVR suffix")
    if number.startswith("+"):
        parsed = phonenumbers.parse(number, None)
        region = phonenumbers.region_code_for_number(parsed) or phonenumbers.region_code_for_country_code(
            parsed.country_code
        )
        if not region or region == "ZZ":
            raise BuildError(f"no region for {written!r}")
    else:
        if not re.fullmatch(r"[\d\s()-]+", number):
            raise BuildError(f"unexpected characters in {written!r}")
        parsed = phonenumbers.parse(number, region)
    national = phonenumbers.national_significant_number(parsed)
    if phonenumbers.is_valid_number(parsed):
        key = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    else:
        key = f"{region}:{re.sub(r'[^0-9]', '', number) if not number.startswith('+') else national}"
    return Parsed(number, region, key, national)


def host_of(url: str) -> str | None:
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host or None


def slug(name: str) -> str:
    if name in SLUG_OVERRIDES:
        return SLUG_OVERRIDES[name]
    words = lazy_pinyin(name)
    text = "-".join(w.lower() for w in words)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:64].rstrip("-")
