"""The shipped default registry (registry/data/default_registry.json) and its build."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from registry.models import Channel, Confidence, Direction, RegistryDocument

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "registry" / "data"
REGISTRY_JSON = DATA / "default_registry.json"
HOTLINES_CSV = DATA / "sources" / "hotlines_cn.csv"
BUILD_TOOL = ROOT / "tools" / "build_default_registry.py"


@pytest.fixture(scope="module")
def document() -> RegistryDocument:
    return RegistryDocument.model_validate_json(REGISTRY_JSON.read_bytes())


@pytest.fixture(scope="module")
def orgs(document):
    return {org.id: org for org in document.organizations}


def numbers_of(org):
    return {n.number: n for n in org.numbers}


def all_numbers(document):
    return [(org, n) for org in document.organizations for n in org.numbers]


def test_shipped_json_validates_against_registry_document():
    document = RegistryDocument.model_validate(json.loads(REGISTRY_JSON.read_text(encoding="utf-8")))
    assert document.format == "hotline-verifier-registry"
    assert len(document.organizations) > 100


def test_every_number_has_a_confidence_and_a_source(document):
    for org, number in all_numbers(document):
        assert isinstance(number.confidence, Confidence), (org.id, number.number)
        assert number.source_url or number.source_note.strip(), (org.id, number.number)


def test_organization_ids_are_unique(document):
    ids = [org.id for org in document.organizations]
    assert len(ids) == len(set(ids))


def test_numbers_are_unique_within_each_organization(document):
    for org in document.organizations:
        keys = [(n.region, "".join(ch for ch in n.number if ch.isdigit())) for n in org.numbers]
        assert len(keys) == len(set(keys)), org.id


def test_every_organisation_and_number_of_hotlines_csv_is_present(document):
    with HOTLINES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 34
    for row in rows:
        first_name = row["org_cn"].split("/")[0].split("(")[0]
        matches = [o for o in document.organizations if first_name == o.name or first_name in o.aliases]
        assert len(matches) == 1, row["org_cn"]
        org = matches[0]
        assert org.name_en, org.id
        digits = {"".join(ch for ch in n.number if ch.isdigit()) for n in org.numbers}
        for number in row["number"].split(" / "):
            assert number in digits, (row["org_cn"], number)


def test_citic_aibank_956186_is_single_source_and_flagged_unconfirmed(orgs):
    aibank = orgs["citic-aibank"]
    entry = numbers_of(aibank)["956186"]
    assert entry.confidence is Confidence.single_source
    assert "single third-party list" in entry.source_note and "UNCONFIRMED" in entry.source_note
    assert {"百信", "中信百信", "百信银行", "aiBank", "百信数字钱包", "CITIC aiBank"} <= set(aibank.aliases)
    assert {"aibank.com", "citicaibank.cn"} <= set(aibank.domains)
    # the contradicting number belongs to 渤海银行 per vCards, never to aiBank
    assert "4008888811" not in numbers_of(aibank)


def test_95188_is_shared_by_alipay_and_mybank(document, orgs):
    holders = {org.id for org, n in all_numbers(document) if n.number == "95188"}
    assert holders == {"alipay", "mybank"}
    assert numbers_of(orgs["alipay"])["95188"].confidence is Confidence.multiple_sources
    assert numbers_of(orgs["mybank"])["95188"].confidence is Confidence.single_source


def test_95511_is_shared_by_ping_an_bank_and_ping_an_insurance(document):
    holders = {org.id for org, n in all_numbers(document) if n.number == "95511"}
    assert holders == {"ping-an-bank", "ping-an"}


def test_96110_is_shown_with_area_code(orgs):
    entry = numbers_of(orgs["anti-fraud-center"])["96110"]
    assert entry.shown_with_area_code is True
    assert "区号+96110" in entry.source_note


def test_12381_is_an_sms_sender(orgs):
    assert numbers_of(orgs["miit"])["12381"].channel is Channel.sms_sender


def test_no_number_carries_an_ivr_suffix_or_a_list_separator(document):
    for org, number in all_numbers(document):
        for text in [number.number, *number.variants]:
            assert not any(ch in text for ch in ";转,"), (org.id, text)


def test_every_number_parses_with_phonenumbers_in_its_region(document):
    for org, number in all_numbers(document):
        parsed = phonenumbers.parse(number.number, number.region)
        if number.number.startswith("+"):
            assert number.region in phonenumbers.region_codes_for_country_code(parsed.country_code), (
                org.id,
                number.number,
            )


def test_chinese_400_and_800_numbers_never_claim_to_call_out(document):
    seen = 0
    for org, number in all_numbers(document):
        parsed = phonenumbers.parse(number.number, number.region)
        national = phonenumbers.national_significant_number(parsed)
        if number.region == "CN" and len(national) == 10 and national[:3] in ("400", "800"):
            seen += 1
            assert number.direction is not Direction.calls_out, (org.id, number.number)
            if number.channel is Channel.outbound:  # the source says outbound: conflict is explained
                assert number.direction is Direction.unknown and "conflicting" in number.source_note
            else:
                assert number.direction is Direction.inbound_only, (org.id, number.number)
                assert "hengyang.gov.cn/gaj/jqts/20200118/i353033.html" in number.source_note
    assert seen > 50


def test_official_page_entries_link_an_http_source(document):
    for org, number in all_numbers(document):
        if number.confidence is Confidence.official_page:
            assert number.source_url and number.source_url.startswith(("http://", "https://")), org.id
            assert "github.com/metowolf" not in number.source_url, org.id


def test_vcards_only_entries_are_single_source_dated_by_the_snapshot(document):
    vcards_only = [
        (org, n) for org, n in all_numbers(document) if "hotlines_cn.csv" not in n.source_note
    ]
    assert vcards_only
    for org, number in vcards_only:
        assert number.confidence is Confidence.single_source, (org.id, number.number)
        assert str(number.verified_at) == "2026-08-21", (org.id, number.number)
        assert number.source_url.startswith("https://github.com/metowolf/vCards/blob/b1a346c/data/")


def test_build_tool_reproduces_the_committed_file_byte_for_byte(tmp_path):
    pytest.importorskip("pypinyin", reason="the build tool needs the dev-only dependency pypinyin==0.55.0")
    output = tmp_path / "default_registry.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(BUILD_TOOL), "--output", str(output), "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == REGISTRY_JSON.read_bytes()
