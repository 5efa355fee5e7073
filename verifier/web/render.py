"""Rendering pages in the one layout, and the HTML error page verifier.http.edge answers errors on pages with."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from verifier.core import messages
from verifier.http import cookies
from verifier.http.problems import TITLES
from verifier.web.i18n import HTML_LANG, LANG_COOKIE, STRINGS, Lang, Translator, lang_of, other_lang, translate

log = logging.getLogger("verifier.web")
BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")  # China has one time zone and no daylight saving
DETAIL_STATUSES = (400, 401, 403, 409, 422)  # their detail says what went wrong; others' is generic


def remember_lang(request: web.Request) -> None:
    """A `lang` in the query (the switch link) is kept in a cookie for the pages that follow."""
    wanted = request.query.get("lang")
    if wanted in HTML_LANG and request.cookies.get(LANG_COOKIE) != wanted:
        cookies.queue(request, LANG_COOKIE, wanted, samesite="Lax")


def switch_url(request: web.Request, lang: Lang) -> str:
    if request.method in ("GET", "HEAD"):
        return str(request.rel_url.update_query(lang=lang))
    return f"{request.path}?lang={lang}"


def org_display_name(org: Any, lang: Lang) -> str:
    if lang == "en" and getattr(org, "name_en", None):
        return f"{org.name_en} ({org.name})"
    return str(org.name)


def page(request: web.Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
         section: str = "", console: Any = None) -> web.Response:
    lang = lang_of(request)
    remember_lang(request)
    other = other_lang(lang)
    base: dict[str, Any] = {
        "lang": lang,
        "html_lang": HTML_LANG[lang],
        "other_html_lang": HTML_LANG[other],
        "t": Translator(lang),
        "switch_url": switch_url(request, other),
        "section": section,
        "console": console,
        "org_name": lambda org: org_display_name(org, lang),
        "confidence_words": lambda level: messages.confidence(str(level), lang),
    }
    return aiohttp_jinja2.render_template(template, request, {**base, **(context or {})}, status=status)


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


# -- filters ----------------------------------------------------------------------------------
def when(moment: dt.datetime | str | None) -> str:
    """A moment in Beijing time (what people in China read on their clocks)."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def day(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def host(url: str | None) -> str:
    return (urlsplit(url).hostname or url or "") if url else ""


def dial(key: str) -> str:
    """What a tel: link dials for a canonical key: +E.164, a short code, or area code + local code."""
    if key.startswith("+"):
        return key
    return key.partition(":")[2].replace("-", "")


def tojson_text(value: Any) -> str:
    """JSON as plain text (escaped by the template like any other text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


FILTERS = {"when": when, "day": day, "host": host, "dial": dial, "tojson_text": tojson_text}


# -- the error page -----------------------------------------------------------------------------
def wait_text(seconds: int, lang: Lang) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    at = (dt.datetime.now(BEIJING) + dt.timedelta(seconds=seconds)).strftime("%H:%M")
    return translate("retry_after", lang, minutes=minutes, time=at)


def error_page(request: web.Request, status: int, detail: str, headers: dict[str, str]) -> web.Response:
    """`(request, status, detail, headers) -> Response`: set as app[ERROR_PAGE] for every non-API path."""
    lang = lang_of(request)
    status_key = str(status) if f"error_title_{status}" in STRINGS else "other"
    retry = headers.get("Retry-After", "")
    context = {
        "status": status,
        "status_key": status_key,
        "detail": detail if status in DETAIL_STATUSES else "",
        "retry_text": wait_text(int(retry), lang) if retry.isdigit() else "",
        "in_console": request.path.startswith("/moderation"),
    }
    try:
        response = page(request, "error.html", context, status=status)
    except Exception:  # never let the error page itself fail
        log.exception("could not render the error page")
        response = web.Response(status=status, text=f"{status} {TITLES.get(status, 'Error')}")
    for name, value in headers.items():
        response.headers[name] = value
    return response
