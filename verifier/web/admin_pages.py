"""Registry editing for administrators: organisations and their official numbers, each
number with a required source. Moderators get 403 here."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import ValidationError

from registry.models import Category, Channel, Confidence, Direction, OfficialNumber, Organization
from registry.store.errors import Conflict, NotFound
from verifier.core.knowledge import official_key
from verifier.core.numbers.reading import NotANumber
from verifier.http.app_keys import service_of
from verifier.http.problems import ProblemError
from verifier.schemas.moderation import OrganizationUpdate, SourcedNumber
from verifier.web import csrf, forms, sessions
from verifier.web.i18n import STRINGS, Translator, lang_of, translate
from verifier.web.render import page, redirect

ORG_FIELDS = ("id", "name", "name_en", "aliases", "category", "domains")
NUMBER_FIELDS = ("number", "region", "channel", "direction", "label", "variants", "source_url", "source_note",
                 "verified_at", "confidence")


def _options(t: Translator) -> dict[str, Any]:
    return {
        "org_categories": [(c.value, t.label("org_category", c.value)) for c in Category],
        "number_channels": [(c.value, t.label("number_channel", c.value)) for c in Channel],
        "directions": [(d.value, t.label("direction", d.value)) for d in Direction],
        "confidences": [(c.value, t.confidence(c.value)) for c in Confidence],
    }


def _org(request: web.Request) -> Organization:
    org = service_of(request).knowledge.organizations.get(request.match_info["org_id"])
    if org is None:
        raise ProblemError(404, translate("no_such_org", lang_of(request)), kind="not-found")
    return org


def _org_values(org: Organization) -> dict[str, str]:
    return {"id": org.id, "name": org.name, "name_en": org.name_en or "", "aliases": "\n".join(org.aliases),
            "category": org.category.value, "domains": "\n".join(org.domains)}


def _number_values(number: OfficialNumber) -> dict[str, Any]:
    return {"number": number.number, "region": number.region, "channel": number.channel.value,
            "direction": number.direction.value, "label": number.label or "", "variants": "\n".join(number.variants),
            "source_url": number.source_url or "", "source_note": number.source_note,
            "verified_at": number.verified_at.isoformat() if number.verified_at else "",
            "confidence": number.confidence.value, "shown_with_area_code": number.shown_with_area_code,
            "main": number.main}


def _blank_number() -> dict[str, Any]:
    return {"number": "", "region": "CN", "channel": Channel.hotline.value, "direction": Direction.unknown.value,
            "label": "", "variants": "", "source_url": "", "source_note": "", "verified_at": "",
            "confidence": Confidence.official_page.value, "shown_with_area_code": False, "main": False}


def _number_from_form(form: forms.Form) -> tuple[dict[str, Any], dict[str, Any]]:
    """The typed values (to show again) and the payload for SourcedNumber."""
    values: dict[str, Any] = {name: forms.text(form, name).strip() for name in NUMBER_FIELDS}
    values["shown_with_area_code"] = forms.text(form, "shown_with_area_code") == "1"
    values["main"] = forms.text(form, "main") == "1"
    payload = {**values, "region": values["region"].upper(), "variants": forms.lines(values["variants"]),
               "label": values["label"] or None, "source_url": values["source_url"] or None,
               "verified_at": values["verified_at"] or None}
    return values, payload


def _sourced(payload: dict[str, Any], lang: str) -> tuple[SourcedNumber | None, dict[str, str], str | None]:
    """The validated number and its key, or the errors by field."""
    try:
        number = SourcedNumber.model_validate(payload)
    except ValidationError as exc:
        return None, forms.field_errors(exc, lang), None  # type: ignore[arg-type]
    try:
        return number, {}, official_key(number)
    except NotANumber:
        return None, {"number": translate("err_not_a_number", lang)}, None  # type: ignore[arg-type]


# -- pages --------------------------------------------------------------------------------------
async def registry(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    return _registry_page(request, found, _blank_org(), {})


def _blank_org() -> dict[str, str]:
    return {"id": "", "name": "", "name_en": "", "aliases": "", "category": Category.other.value, "domains": ""}


def _registry_page(request: web.Request, found: sessions.WebSession, values: dict[str, str],
                   errors: dict[str, str], status: int = 200) -> web.Response:
    t = Translator(lang_of(request))
    kb = service_of(request).knowledge
    q = request.query.get("q", "").strip()[:100]
    orgs = kb.names.search(q, 500) if q else sorted(kb.organizations.values(), key=lambda o: o.id)
    return page(request, "admin_registry.html", {"q": q, "orgs": orgs, "values": values, "errors": errors,
                                                  **_options(t)}, status=status, section="registry", console=found)


async def create_org(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    form = await forms.read(request)
    csrf.check_session(request, found.csrf_token, form)
    lang = lang_of(request)
    values = {name: forms.text(form, name).strip() for name in ORG_FIELDS}
    try:
        org = Organization.model_validate({
            "id": values["id"], "name": values["name"], "name_en": values["name_en"] or None,
            "aliases": forms.lines(values["aliases"]), "category": values["category"],
            "domains": forms.lines(values["domains"]), "numbers": []})
    except ValidationError as exc:
        return _registry_page(request, found, values, forms.field_errors(exc, lang), status=422)  # type: ignore[arg-type]
    try:
        await service_of(request).create_organization(org, actor=found.username)
    except Conflict:
        return _registry_page(request, found, values, {"id": translate("err_org_exists", lang)}, status=409)  # type: ignore[arg-type]
    return redirect(f"/moderation/registry/{org.id}?done=org_created")


def _org_page(request: web.Request, found: sessions.WebSession, org: Organization, *,
              fields: dict[str, str] | None = None, errors: dict[str, dict[str, str]] | None = None,
              edited: tuple[str, dict[str, Any]] | None = None, new_number: dict[str, Any] | None = None,
              status: int = 200) -> web.Response:
    t = Translator(lang_of(request))
    errors = errors or {}
    numbers = []
    for number in org.numbers:
        try:
            key = official_key(number)
        except NotANumber:
            continue
        values = edited[1] if edited and edited[0] == key else _number_values(number)
        numbers.append({"key": key, "fields": values, "errors": errors.get(key, {}), "open": key in errors})
    done_key = f"done_{request.query.get('done', '')}"
    return page(request, "admin_org.html", {
        "org": org, "fields": fields or _org_values(org), "errors": errors, "numbers": numbers,
        "new_number": new_number or _blank_number(), "failed": bool(errors),
        "done": t(done_key) if done_key in STRINGS else "", **_options(t),
    }, status=status, section="registry", console=found)


async def org_edit(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    return _org_page(request, found, _org(request))


async def org_update(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    form = await forms.read(request)
    csrf.check_session(request, found.csrf_token, form)
    org, lang = _org(request), lang_of(request)
    values = {name: forms.text(form, name).strip() for name in ORG_FIELDS if name != "id"}
    try:
        update = OrganizationUpdate.model_validate({
            "name": values["name"], "name_en": values["name_en"] or None, "aliases": forms.lines(values["aliases"]),
            "category": values["category"], "domains": forms.lines(values["domains"])})
    except ValidationError as exc:
        return _org_page(request, found, org, fields=values, errors={"org": forms.field_errors(exc, lang)},  # type: ignore[arg-type]
                         status=422)
    await service_of(request).update_organization(org.id, update.model_dump(exclude_unset=True), actor=found.username)
    return redirect(f"/moderation/registry/{org.id}?done=org_saved")


async def number_add(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    form = await forms.read(request)
    csrf.check_session(request, found.csrf_token, form)
    org, lang = _org(request), lang_of(request)
    values, payload = _number_from_form(form)
    number, errors, _key = _sourced(payload, lang)
    if number is not None:
        try:
            await service_of(request).put_number(org.id, number, actor=found.username, must_exist=False)
        except Conflict:
            errors = {"number": translate("err_number_exists", lang)}
        else:
            return redirect(f"/moderation/registry/{org.id}?done=number_added")
    return _org_page(request, found, org, errors={"add": errors}, new_number=values, status=422)


async def number_update(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    form = await forms.read(request)
    csrf.check_session(request, found.csrf_token, form)
    org, lang = _org(request), lang_of(request)
    key = request.match_info["key"]
    values, payload = _number_from_form(form)
    number, errors, new_key = _sourced(payload, lang)
    if number is not None and new_key != key:
        number, errors = None, {"number": translate("err_number_changed", lang)}
    if number is not None:
        try:
            await service_of(request).put_number(org.id, number, actor=found.username, must_exist=True)
        except NotFound:
            raise ProblemError(404, translate("not_found_text", lang), kind="not-found") from None
        return redirect(f"/moderation/registry/{org.id}?done=number_saved")
    return _org_page(request, found, org, errors={key: errors}, edited=(key, values), status=422)


async def number_delete(request: web.Request) -> web.Response:
    found = await sessions.require_admin(request)
    form = await forms.read(request)
    csrf.check_session(request, found.csrf_token, form)
    org = _org(request)
    await service_of(request).delete_number(org.id, request.match_info["key"], actor=found.username)
    return redirect(f"/moderation/registry/{org.id}?done=number_deleted")
