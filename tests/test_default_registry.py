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


def test_the_main_hotline_is_the_number_of_each_hotlines_cn_row(document, orgs):
    with HOTLINES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mains = {(org.id, n.number) for org, n in all_numbers(document) if n.main}
    for org, number in all_numbers(document):
        if number.main:
            assert number.channel is Channel.hotline, (org.id, number.number)
    assert {org_id for org_id, _ in mains} == {o.id for o in orgs.values() if any(n.main for n in o.numbers)}
    assert len(mains) == len([w for row in rows for w in row["number"].split(" / ")]) - 1  # 12381 sends SMS only
    assert {n.number for n in orgs["miit"].numbers if n.main} == set()
    assert {n.number for n in orgs["jd-pay"].numbers if n.main} == {"4000888816", "95118"}  # the row gives both
    for org_id, number in (("icbc", "95588"), ("cmb", "95555"), ("alipay", "95188"), ("china-mobile", "10086"),
                           ("cgb", "95508")):  # vCards labels 95508 信用卡专线: the main hotline stays a hotline
        assert [n.number for n in orgs[org_id].numbers if n.main] == [number], org_id


def test_cmb_numbers_have_their_channels(orgs):
    cmb = numbers_of(orgs["cmb"])
    assert cmb["95555"].main and cmb["95555"].channel is Channel.hotline
    assert cmb["400-820-5555"].channel is Channel.credit_card and not cmb["400-820-5555"].main
    assert cmb["400-820-5555"].direction is Direction.inbound_only  # a channel does not change the direction
    assert cmb["1065795555"].channel is Channel.sms_sender
    assert cmb["4008895555"].channel is Channel.hotline  # 金葵花专线


def test_labels_name_credit_card_and_overseas_lines(document):
    seen = {Channel.credit_card: 0, Channel.overseas: 0}
    for org, number in all_numbers(document):
        label = number.label or ""
        if number.channel in seen:
            seen[number.channel] += 1
            assert "信用卡" in label or "境外" in label or "海外" in label, (org.id, number.number)
        if ("境外" in label or "海外" in label) and number.channel not in (Channel.outbound, Channel.sms_sender):
            assert number.channel is Channel.overseas, (org.id, number.number, label)
    assert seen[Channel.credit_card] >= 30 and seen[Channel.overseas] >= 3, seen


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


def test_community_list_entries_are_single_source_dated_by_their_snapshot(document):
    community = [
        (org, n) for org, n in all_numbers(document)
        if "hotlines_cn.csv" not in n.source_note and "public_numbers_cn.csv" not in n.source_note
    ]
    assert community
    for org, number in community:
        assert number.confidence is Confidence.single_source, (org.id, number.number)
        if number.source_url.startswith("https://github.com/metowolf/vCards/blob/b1a346c/data/"):
            assert str(number.verified_at) == "2026-08-21", (org.id, number.number)
            assert number.source_name == "metowolf/vCards (community list)"
        else:
            assert number.source_url == "https://github.com/xdtianyu/PhoneNumber", (org.id, number.number)
            assert str(number.verified_at) == "2020-03-25", (org.id, number.number)
            assert number.source_name == "xdtianyu/PhoneNumber (community list, 2020)"


def test_every_number_names_its_source_for_people(document):
    for org, number in all_numbers(document):
        assert number.source_name and "hotlines_cn.csv" not in number.source_name, (org.id, number.number)
        assert "ShortNumberMetadata" not in number.source_name


def test_police_110_cites_an_official_page_not_a_single_list(orgs):
    entry = numbers_of(orgs["police"])["110"]
    assert entry.confidence is Confidence.official_page
    assert entry.source_url.startswith("http://gaj.cq.gov.cn/")
    assert entry.source_name and "公安" in entry.source_name


def test_sms_sender_codes_are_never_hotlines(document):
    seen = 0
    for org, number in all_numbers(document):
        digits = "".join(ch for ch in number.number if ch.isdigit())
        if number.region == "CN" and digits.startswith("106"):
            seen += 1
            assert number.channel is Channel.sms_sender, (org.id, number.number)
        if number.label and "短信" in number.label and number.label != "短信银行身份验证专线":
            assert number.channel is Channel.sms_sender, (org.id, number.number)
    assert seen >= 10


def test_local_96_codes_carry_their_home_area_code(document, orgs):
    changsha = orgs["chang-sha-yin-hang"]
    assert changsha.home_area_code == "0731"
    assert "0731-96511" in numbers_of(changsha) and "96511" not in numbers_of(changsha)
    for org, number in all_numbers(document):
        digits = "".join(ch for ch in number.number if ch.isdigit())
        if digits.startswith("96"):  # bare: only the national anti-fraud line
            assert digits == "96110", (org.id, number.number)
    # a province-level organisation has no home city: its bare 96xxx code is left out, and with it
    # the organisation when that was its only number
    assert "yun-nan-sheng-nong-cun-xin-yong-she" not in orgs
    assert "hu-nan-yin-hang" not in orgs


def test_known_shared_numbers_name_each_other(orgs):
    assert numbers_of(orgs["alipay"])["95188"].shared_with == ["mybank"]
    assert numbers_of(orgs["mybank"])["95188"].shared_with == ["alipay"]
    assert numbers_of(orgs["ping-an"])["95511"].shared_with == ["ping-an-bank"]


def test_financial_organisations_are_authoritative(orgs):
    assert orgs["icbc"].authoritative and orgs["alipay"].authoritative and orgs["ping-an"].authoritative
    assert not orgs["jing-dong"].authoritative  # e-commerce: its list is not known to be complete


@pytest.fixture(scope="module")
def tool():
    pytest.importorskip("pypinyin", reason="the build tool needs the dev-only dependency pypinyin==0.55.0")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_default_registry
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return build_default_registry


def test_home_area_comes_from_a_city_in_the_name_never_a_province(tool):
    assert tool.home_area_from_name("长沙银行")[0] == "0731"
    assert tool.home_area_from_name("桂林银行")[0] == "0773"
    assert tool.home_area_from_name("乐山市商业银行")[0] == "0833"
    assert tool.home_area_from_name("云南省农村信用社") is None
    assert tool.home_area_from_name("湖南银行") is None
    assert tool.home_area_from_name("吉林银行") is None  # 吉林 is a province as well as a city
    assert tool.home_area_from_name("中国联通") is None


def test_build_lists_conflicts_and_omissions(tool):
    document, omitted, conflicts = tool.build()
    assert any("95507" in str(c) and "cheng-du-yin-hang" in str(c) for c in conflicts)
    assert any(c.kind == "renamed_source" and "国泰君安" in str(c) for c in conflicts)
    assert not any("95188" in str(c) or "95511" in str(c) for c in conflicts)  # configured known shares
    assert any("96500" in line and "home area" in line for line in omitted)


def test_build_can_leave_xdtianyu_out(tool):
    document, _, conflicts = tool.build(exclude_sources=frozenset({"xdtianyu"}))
    for org in document.organizations:
        for number in org.numbers:
            assert "xdtianyu" not in (number.source_url or "") and "xdtianyu" not in number.source_note
    assert not any("xdtianyu" in str(c) for c in conflicts)
    with pytest.raises(ValueError):
        tool.build(exclude_sources=frozenset({"vcards"}))


def _copy_sources(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in (DATA / "sources").glob("*.csv"):
        (sources / path.name).write_bytes(path.read_bytes())
    return sources


def test_a_bare_local_code_is_placed_in_the_home_city_or_left_out(tool, tmp_path):
    sources = _copy_sources(tmp_path)
    with (sources / "xdtianyu_common_numbers.csv").open("a", encoding="utf-8") as fh:
        fh.write("96599,长沙银行(测试)\n96123,中国电信(测试)\n")
    document, omitted, _ = tool.build(sources)
    orgs = {org.id: org for org in document.organizations}
    assert "0731-96599" in numbers_of(orgs["chang-sha-yin-hang"])
    assert not any(n.number.endswith("96123") for n in orgs["china-telecom"].numbers)
    assert any(line.startswith("china-telecom: 96123 left out") for line in omitted)


def test_strict_build_refuses_conflicts(tmp_path):
    pytest.importorskip("pypinyin", reason="the build tool needs the dev-only dependency pypinyin==0.55.0")
    sources = _copy_sources(tmp_path)
    with (sources / "xdtianyu_common_numbers.csv").open("a", encoding="utf-8") as fh:
        fh.write("95588,某某冒充客服\n")
    output = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(BUILD_TOOL), "--sources", str(sources), "--output", str(output), "--strict"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "CN:95588 is listed under unrelated organisations" in result.stderr and "icbc" in result.stderr
    assert not output.exists()
    relaxed = subprocess.run(
        [sys.executable, str(BUILD_TOOL), "--sources", str(sources), "--output", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert relaxed.returncode == 0 and "conflict: CN:95588" in relaxed.stderr and output.exists()


def test_build_tool_reproduces_the_committed_file_byte_for_byte(tmp_path):
    pytest.importorskip("pypinyin", reason="the build tool needs the dev-only dependency pypinyin==0.55.0")
    output = tmp_path / "default_registry.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the tool needs none from the root
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
