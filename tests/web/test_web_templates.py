"""The UI strings live in one place with both languages, and no template can defeat the CSP or autoescape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry.models import Category, Channel, Direction
from registry.records import AppealStatus, ReportCategory, ReportChannel, ReportStatus, Role
from verifier.core.messages import LANGS
from verifier.core.signals import Context, Verdict
from verifier.web.i18n import STRINGS, translate

TEMPLATES = Path(__file__).resolve().parents[2] / "verifier" / "web" / "templates"
WEB_CODE = Path(__file__).resolve().parents[2] / "verifier" / "web"
SOURCES = sorted(TEMPLATES.glob("*.html"))
LABELLED = {"verdict": Verdict, "category": ReportCategory, "channel": ReportChannel, "context": Context,
            "report_status": ReportStatus, "appeal_status": AppealStatus, "org_category": Category,
            "number_channel": Channel, "direction": Direction, "role": Role}


def test_every_ui_string_has_chinese_and_english() -> None:
    assert len(STRINGS) > 200
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        for lang in LANGS:
            assert texts[lang].strip(), (key, lang)
        fields = [set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGS]
        assert fields[0] == fields[1], f"{key}: the languages use different fields {fields}"


def test_every_enum_value_shown_on_a_page_has_a_label() -> None:
    for kind, enum in LABELLED.items():
        for member in enum:
            assert f"{kind}.{member.value}" in STRINGS, (kind, member)


def test_every_key_the_templates_and_handlers_use_exists() -> None:
    used: set[str] = set()
    for path in [*SOURCES, *WEB_CODE.glob("*.py")]:
        used |= set(re.findall(r"""\bt\(['"]([a-z0-9_]+)['"]\s*[,)]""", path.read_text()))
        used |= set(re.findall(r"""translate\(['"]([a-z0-9_]+)['"]\s*[,)]""", path.read_text()))
    assert len(used) > 150
    missing = sorted(key for key in used if key not in STRINGS)
    assert not missing, missing
    prefixes = {"error_title_": ["400", "403", "404", "405", "409", "413", "422", "429", "500", "503", "other"],
                "error_text_": ["400", "403", "404", "405", "409", "413", "422", "429", "500", "503", "other"],
                "group_role_": ["owner", "claimed", "imitated"],
                "text_verdict_": [v.value for v in Verdict],
                "no_number_": ["empty", "no_digits", "too_long", "too_short", "bad_characters", "other",
                               "too_many_checks"]}
    for prefix, suffixes in prefixes.items():
        for suffix in suffixes:
            assert prefix + suffix in STRINGS, prefix + suffix


def test_an_unknown_key_fails_loudly_instead_of_showing_nothing() -> None:
    with pytest.raises(KeyError):
        translate("no-such-key", "zh")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_or_handlers_and_never_mark_data_safe(path: Path) -> None:
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script> (blocked by the CSP)"
    assert "<style" not in text, "inline <style> (blocked by the CSP)"
    assert not re.search(r"\sstyle\s*=", text), "style= attribute (blocked by the CSP)"
    assert not re.search(r"\son[a-z]+\s*=", text), "on…= event handler (blocked by the CSP)"
    assert "|safe" not in text.replace(" ", ""), "|safe would defeat autoescaping"
    assert "autoescape false" not in text
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "a resource from another host"
