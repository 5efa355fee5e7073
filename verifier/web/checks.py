"""What the home page shows: one number's verdict, or a pasted text's verdict with every
number, link and scam-script cue in it.

The verdicts come from the same code as the JSON API (`verification.verify`, and
`api.verify.scan` for texts); this module only arranges them for people: the real
numbers of every organisation involved, and a prefilled report link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import web

from registry.models import Channel, Organization
from verifier.actions.check_text import scan
from verifier.actions.verify import verify
from verifier.core.answers import official_out
from verifier.core.knowledge import Knowledge
from verifier.core.numbers.reading import NotANumber
from verifier.core.signals import Context, Verdict, display_order
from verifier.core.text.budget import TooManyChecks
from verifier.core.text.cues import find_cues
from verifier.core.text.digits import classify_digits
from verifier.core.text.links import find_links
from verifier.core.text.scan import find_numbers
from verifier.core.verdict import PRECEDENCE
from verifier.http.app_keys import SETTINGS, service_of
from verifier.schemas.answers import (
    Lang,
    OfficialNumberOut,
    OrgRef,
    ReasonOut,
    TextCue,
    TextLink,
    TextRequest,
    TextSkipped,
    VerifyResponse,
)
from verifier.web.i18n import translate

MAX_TEXT = 5000
MAX_SINGLE = 200  # longer input is read as a text to scan, never as one number
NUMBERS_SHOWN = 6
DANGER = (Verdict.scam, Verdict.suspicious, Verdict.invalid)
CHANNEL_OF_CONTEXT = {Context.incoming_call: "incoming_call", Context.sms: "sms", Context.web: "web_page"}


@dataclass
class NumberGroup:
    """An organisation's real numbers, and why it is shown ("owner", "claimed" or "imitated")."""

    org: OrgRef
    role: str
    numbers: list[OfficialNumberOut]
    total: int


@dataclass
class NumberCheck:
    result: VerifyResponse
    groups: list[NumberGroup]
    report_url: str
    org_line: str | None
    found: str | None = None

    @property
    def danger(self) -> bool:
        return self.result.verdict in DANGER

    @property
    def spoofed_warning(self) -> bool:
        return self.result.verdict is Verdict.official and any(
            r.code == "official_number_spoofed" for r in self.result.reasons)


@dataclass
class TextCheck:
    mentioned: list[OrgRef]
    items: list[NumberCheck]
    verdict: Verdict
    report_url: str
    risk_score: int = 20
    advice: str = ""
    reasons: list[ReasonOut] = field(default_factory=list)
    links: list[TextLink] = field(default_factory=list)
    cues: list[TextCue] = field(default_factory=list)
    skipped: list[TextSkipped] = field(default_factory=list)

    @property
    def danger(self) -> bool:
        return self.verdict in DANGER


@dataclass
class HomeCheck:
    kind: str  # "number", "text" or "none"
    number: NumberCheck | None = None
    text: TextCheck | None = None
    error: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    status: int = 200  # the page's status: 413 for a text with too many checks (docs/errors.md)


def report_url(number: str, org: str | None, context: Context | None) -> str:
    query = {"number": number}
    if org:
        query["org"] = org
    if context in CHANNEL_OF_CONTEXT:
        query["channel"] = CHANNEL_OF_CONTEXT[context]
    return "/report?" + urlencode(query)


def _name(org: OrgRef, lang: Lang) -> str:
    return org.name_en if lang == "en" and org.name_en else org.name


def org_line(result: VerifyResponse, lang: Lang) -> str | None:
    """Whose number it is, in a few words, for under the verdict."""
    owner, claimed = result.organization, result.claimed_organization
    if claimed is not None and (owner is None or owner.id != claimed.id):
        if owner is not None:
            return translate("line_not_claimed_but_owner", lang, claimed=_name(claimed, lang), owner=_name(owner, lang))
        return translate("line_not_claimed", lang, claimed=_name(claimed, lang))
    if owner is not None:
        return _name(owner, lang)
    if result.imitates is not None:
        return translate("line_imitates", lang, org=_name(result.imitates.organization, lang))
    return None


def official_numbers(kb: Knowledge, org_id: str) -> list[OfficialNumberOut]:
    """An organisation's official numbers as the API describes them (source, confidence, date):
    the main hotline first, then by channel (hotlines, credit card, overseas, outbound, SMS
    sender codes last: they cannot be called), strongest confidence first in each."""
    entries = sorted(kb.numbers_of(org_id), key=display_order)
    return [OfficialNumberOut.model_validate(official_out(entry)) for entry in entries]


def channel_groups(numbers: list[OfficialNumberOut]) -> list[tuple[str, list[OfficialNumberOut]]]:
    """An organisation's page lists its numbers (in `official_numbers` order) in groups: the main
    hotline on its own ("main"), then one group per channel (the other hotlines are "hotline_more")."""
    groups: dict[str, list[OfficialNumberOut]] = {}
    has_main = any(n.main for n in numbers)
    for n in numbers:
        group = "main" if n.main else ("hotline_more" if has_main and n.channel is Channel.hotline else n.channel.value)
        groups.setdefault(group, []).append(n)
    return list(groups.items())


def _group(kb: Knowledge, org: OrgRef, role: str, first: OfficialNumberOut | None = None) -> NumberGroup:
    numbers = official_numbers(kb, org.id)
    total = len(numbers)
    if first is not None:
        numbers = [first] + [n for n in numbers if n.key != first.key]
    return NumberGroup(org=org, role=role, numbers=numbers[:NUMBERS_SHOWN], total=total)


def number_check(kb: Knowledge, result: VerifyResponse, lang: Lang, context: Context | None,
                 claimed: str | None, found: str | None = None) -> NumberCheck:
    groups: list[NumberGroup] = []
    seen: set[str] = set()

    def add(org: OrgRef | None, role: str, first: OfficialNumberOut | None = None) -> None:
        if org is not None and org.id not in seen:
            seen.add(org.id)
            groups.append(_group(kb, org, role, first))

    imitated = result.imitates
    if result.verdict in DANGER:  # whom they pretend to be comes first: those are the numbers to call
        add(result.claimed_organization, "claimed")
        add(imitated.organization if imitated else None, "imitated", imitated.official_number if imitated else None)
        add(result.organization, "owner", result.official_number)
    else:
        add(result.organization, "owner", result.official_number)
        add(result.claimed_organization, "claimed")
        add(imitated.organization if imitated else None, "imitated", imitated.official_number if imitated else None)
    claim = claimed or (result.claimed_organization.name if result.claimed_organization else None)
    return NumberCheck(result=result, groups=groups, report_url=report_url(found or result.input, claim, context),
                       org_line=org_line(result, lang), found=found)


def check(request: web.Request, q: str, org: str, context: Context | None, lang: Lang,
          charge: Callable[[int], None] | None = None) -> HomeCheck:
    """`charge`: called with a text's cost once its checks are counted, before any is made (it
    may refuse); a text with more than VERIFIER_TEXT_MAX_CHECKS of them is refused whole, as the
    API refuses it (verifier.core.text.budget), and shown as a message."""
    kb = service_of(request).knowledge
    if len(q) > MAX_TEXT:
        return HomeCheck(kind="none", error="too_long")
    found = find_numbers(q)
    if len(q) <= MAX_SINGLE and len(found) <= 1:
        try:
            result = verify(kb, q, claimed_org=org or None, context=context, lang=lang)
            return HomeCheck(kind="number", number=number_check(kb, result, lang, context, org or None))
        except NotANumber as exc:
            if not found and not _worth_scanning(q):
                return HomeCheck(kind="none", error=exc.code if exc.code in ERRORS else "other")
    if not found and not _worth_scanning(q):
        return HomeCheck(kind="none", error="no_digits")
    limit = request.app[SETTINGS].text_max_checks
    try:
        return HomeCheck(kind="text", text=text_check(request, kb, q, org, context, lang, limit, charge))
    except TooManyChecks:
        return HomeCheck(kind="none", error="too_many_checks", extra={"max": str(limit)}, status=413)


ERRORS = ("empty", "no_digits", "too_long", "too_short", "bad_characters")


def _worth_scanning(q: str) -> bool:
    """A text with no phone number still says something: a link, a scam-script cue, or digits
    that are not numbers (a code, a card tail) which the answer explains."""
    return bool(find_links(q) or find_cues(q) or classify_digits(q))


def text_check(request: web.Request, kb: Knowledge, text: str, org: str, context: Context | None,
               lang: Lang, max_checks: int | None = None, charge: Callable[[int], None] | None = None) -> TextCheck:
    scanned = scan(kb, TextRequest(text=text, context=context, lang=lang), said_org=org or None,
                   max_checks=max_checks, charge=charge)
    items = [number_check(kb, item.result, lang, context or Context.sms, org or None, found=item.found)
             for item in scanned.numbers]
    worst = max(items, key=lambda i: PRECEDENCE[i.result.verdict], default=None)
    first_org = scanned.organizations_mentioned[0].name if scanned.organizations_mentioned else (org or None)
    if worst is not None and (worst.danger or scanned.verdict not in DANGER):
        url = worst.report_url
    else:  # the danger is in a link or the wording: report the message under the organisation it names
        url = report_url("", first_org, context or Context.sms)
    return TextCheck(mentioned=scanned.organizations_mentioned, items=items, verdict=scanned.verdict, report_url=url,
                     risk_score=scanned.risk_score, advice=scanned.advice, reasons=scanned.reasons,
                     links=scanned.links, cues=scanned.cues, skipped=scanned.skipped)


def org_names(kb: Knowledge, lang: Lang) -> list[str]:
    """Suggestions for "who did they say they were?": every name, English name and alias, the
    most relevant organisations first (banks and wallets people ask about most; foreign ones last:
    verifier.core.names.relevance_key)."""
    names: dict[str, None] = {}
    orgs: list[Organization] = kb.names.ranked()
    for org in orgs:
        names[org.name] = None
        if lang == "en" and org.name_en:
            names[org.name_en] = None
        for alias in org.aliases:
            names[alias] = None
    return list(names)
