"""Reading HTML forms, and pydantic's errors as plain messages next to each field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from pydantic import ValidationError

from verifier.web.i18n import Lang, translate

Form = MultiDictProxy[Any]
BEIJING = dt.timezone(dt.timedelta(hours=8))


async def read(request: web.Request) -> Form:
    """The urlencoded or multipart body (empty for other content types: the CSRF check then refuses it)."""
    return await request.post()


def text(form: Form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def lines(value: str) -> list[str]:
    """A textarea of items, one per line (commas, Chinese commas and semicolons also separate)."""
    for separator in (",", "，", "、", ";", "；"):
        value = value.replace(separator, "\n")
    return [item.strip() for item in value.splitlines() if item.strip()]


def local_datetime(value: str) -> dt.datetime | None:
    """A `datetime-local` field's value, read as Beijing time. Raises ValueError if malformed."""
    if not value.strip():
        return None
    moment = dt.datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment


def message_for(error: dict[str, Any], lang: Lang) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return translate("err_required", lang)
    if kind in ("string_too_long", "too_long"):
        return translate("err_too_long", lang, max=ctx.get("max_length", "?"))
    if kind == "statement_too_short":
        return translate("err_statement_too_short", lang, min_cjk=ctx.get("min_cjk", "?"),
                         min=ctx.get("min_length", "?"))
    if kind in ("string_too_short", "too_short"):
        if ctx.get("min_length") == 1:
            return translate("err_required", lang)
        return translate("err_too_short", lang, min=ctx.get("min_length", "?"))
    if kind in ("enum", "literal_error"):
        return translate("err_choose", lang)
    if kind == "string_pattern_mismatch":
        return translate("err_format", lang)
    if kind.startswith(("datetime", "date")):
        return translate("err_date", lang)
    if kind == "value_error":
        text = str(ctx.get("error", error.get("msg", "")))
        for needle, key in (("future", "err_future"), ("implausibly old", "err_too_old"),
                            ("give the source", "err_source_required"), ("http", "err_url")):
            if needle in text:
                return translate(key, lang)
    return translate("err_invalid", lang)


def field_errors(exc: ValidationError, lang: Lang) -> dict[str, str]:
    """{field: message}, the first problem of each field (a whole-model problem is under "form")."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        field = str(error["loc"][0]) if error["loc"] else "form"
        message = message_for(error, lang)
        if field == "form" and message == translate("err_source_required", lang):
            field = "source_url"
        errors.setdefault(field, message)
    return errors
