"""Registry files (JSON and CSV) that need no database: every bad row is named.

The store's own tests (migrations, idempotent and atomic import, export round trips through the
store) run on every backend in tests/store/contract/ (test_contract_registry.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.default import default_registry_path
from registry.formats import RegistryFormatError, read_registry
from verifier.core.knowledge import official_key


def _document(numbers: list[dict[str, object]]) -> dict[str, object]:
    return {"format": "hotline-verifier-registry", "version": 1,
            "organizations": [{"id": "demo", "name": "示例银行", "category": "bank", "numbers": numbers}]}


def test_a_bad_json_field_is_named_with_file_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document([
        {"number": "95588", "confidence": "official_page", "source_note": "x"},
        {"number": "95589", "confidence": "very_sure", "source_note": "x"},
    ])), encoding="utf-8")
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("bad.json", "organizations[0].numbers[1]", "confidence")
    assert "bad.json: row organizations[0].numbers[1]: field 'confidence'" in str(caught.value)


def test_a_number_that_is_no_number_rejects_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document([{"number": "call us", "confidence": "official_page"}])), encoding="utf-8")
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    assert caught.value.problems[0].field == "number"


def test_a_bad_csv_cell_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "org_id,org_name,org_category,number,channel,confidence\n"
        "demo,示例银行,bank,95588,hotline,official_page\n"
        "demo,示例银行,bank,95589,carrier_pigeon,official_page\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("bad.csv", "3", "channel")


def test_csv_rows_of_one_organisation_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "org_id,org_name,number,confidence\n"
        "demo,示例银行,95588,official_page\n"
        "demo,另一个名字,95589,official_page\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    assert caught.value.problems[0].field == "org_name"


def test_the_same_number_twice_for_one_organisation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(_document([
        {"number": "95588", "confidence": "official_page"},
        {"number": "955-88", "confidence": "official_page"},
    ])), encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="repeats"):
        read_registry(path, official_key)


def test_the_shipped_registry_reads_without_problems() -> None:
    assert read_registry(default_registry_path(), official_key)


def test_provenance_fields_round_trip_through_json_and_csv(tmp_path: Path) -> None:
    from registry.formats import dump_csv, dump_json
    from registry.models import Organization

    org = Organization.model_validate({
        "id": "demo", "name": "长沙示例银行", "category": "bank", "home_area_code": "0731",
        "numbers_complete": True, "numbers_complete_source": "https://example.org/contact",
        "numbers": [{"number": "0731-96511", "confidence": "official_page", "source_name": "示例银行官网",
                     "source_url": "https://example.org/contact", "shared_with": ["other-bank"], "main": True},
                    {"number": "400-820-5555", "confidence": "single_source", "source_note": "a leaflet",
                     "channel": "credit_card"},
                    {"number": "+86 755 8436 4022", "confidence": "single_source", "source_note": "a leaflet",
                     "channel": "overseas"}]})
    assert org.authoritative
    for name, text in (("r.json", dump_json([org])), ("r.csv", dump_csv([org]))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert read_registry(path, official_key) == [org], name
    old = tmp_path / "old.json"  # a document written before these fields existed still loads
    old.write_text(json.dumps(_document([{"number": "95588", "confidence": "official_page"}])), encoding="utf-8")
    loaded = read_registry(old, official_key)[0]
    assert loaded.home_area_code is None and not loaded.numbers_complete and loaded.numbers[0].source_name is None
    assert loaded.numbers[0].main is False and loaded.numbers[0].channel == "hotline"
    assert loaded.authoritative  # a bank


def test_a_home_area_code_must_look_like_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    document = _document([])
    document["organizations"][0]["home_area_code"] = "731"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RegistryFormatError) as caught:
        read_registry(path, official_key)
    assert caught.value.problems[0].field == "home_area_code"
