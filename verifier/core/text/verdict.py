"""The overall verdict of a pasted text: its numbers, its links and its scam-script cues.

| verdict | when |
|---|---|
| `scam` | any number in it is a confirmed scam number |
| `suspicious` | any number or link is suspicious; or a cue (frozen account, refund, points, ETC, …) comes with a contact channel that is not the organisation's own (a number that is not official, a link that is not on its official domains, "add WeChat/QQ", "download this app / share your screen"); or a strong cue appears (a "safe account" transfer; police, a court or a prosecutor demanding money) |
| `official` | at least one number or link, every number official, every link on the official domains of the organisation the text names |
| `unknown` | none of these (also: nothing to check) |

The risk score combines every finding's risk (each number's own risk score, each link's,
each cue's) as independent evidence, ``100 × (1 − Π(1 − rᵢ/100))``, held inside the
verdict's band as for one number (`verifier.core.verdict`). A cue alone only raises the risk:
real notices say 解冻 and 退款 too.

Pure: the findings come in already judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.core import messages
from verifier.core.messages import Lang
from verifier.core.signals import Verdict
from verifier.core.text.cues import FOLLOW_UNSEEN, CueFinding
from verifier.core.verdict import RISK_BANDS, UNKNOWN_BASE_RISK, Reason

LINK_OFFICIAL = "link_official"


@dataclass(frozen=True, slots=True)
class NumberEvidence:
    found: str
    verdict: Verdict
    risk: int
    detail: str = ""  # the number's own first reason that is not "official", for the text's reasons


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    found: str
    code: str  # link_official, link_imitates_org, link_ip_host, link_shortener, link_unrelated, link_unknown
    verdict: Verdict | None
    risk: int
    message: str = ""


@dataclass(frozen=True, slots=True)
class TextJudgement:
    verdict: Verdict
    risk_score: int
    reasons: list[Reason]
    advice: str


def judge_text(numbers: Sequence[NumberEvidence], links: Sequence[LinkEvidence], cues: Sequence[CueFinding],
               lang: Lang = "zh") -> TextJudgement:
    reasons: list[Reason] = []

    def say(code: str, **fields: object) -> None:
        reasons.append(Reason(code, messages.reason(code, lang, **fields)))

    scam = [n for n in numbers if n.verdict is Verdict.scam]
    bad_numbers = [n for n in numbers if n.verdict is Verdict.suspicious]
    bad_links = [link for link in links if link.verdict in (Verdict.suspicious, Verdict.scam)]
    strong = [c for c in cues if c.strong]
    pretexts = [c for c in cues if not c.channel and not c.strong]
    foreign = _foreign_channels(numbers, links, cues, lang)

    for n in scam:
        say("text_number_scam", number=n.found)
    for n in bad_numbers:
        say("text_number_suspicious", number=n.found, detail=n.detail)
    for link in bad_links:
        say("text_link_suspicious", link=link.found, detail=link.message)
    pretext_with_channel = bool(pretexts and foreign)
    if pretext_with_channel:
        say("text_cue_with_channel", cues=messages.join([messages.cue_name(c.code, lang) for c in pretexts], lang),
            channels=messages.join(foreign, lang))

    if scam:
        verdict = Verdict.scam
    elif bad_numbers or bad_links or strong or pretext_with_channel:
        verdict = Verdict.suspicious
    elif (numbers or links) and all(n.verdict is Verdict.official for n in numbers) \
            and all(link.code == LINK_OFFICIAL for link in links):
        verdict = Verdict.official
        say("text_all_official")
    else:
        verdict = Verdict.unknown
        unconfirmed = [n.found for n in numbers if n.verdict is not Verdict.official] + \
                      [link.found for link in links if link.code != LINK_OFFICIAL]
        if unconfirmed:
            say("text_unconfirmed", items=messages.join(unconfirmed, lang))
        elif not numbers and not links:
            say("text_nothing_found")
    for cue in cues:
        say(cue.code)

    risks = [n.risk for n in numbers] + [link.risk for link in links] + [c.risk for c in cues]
    return TextJudgement(verdict=verdict, risk_score=text_risk(verdict, risks), reasons=reasons,
                         advice=messages.advice(f"text_{verdict.value}", lang))


def _foreign_channels(numbers: Sequence[NumberEvidence], links: Sequence[LinkEvidence],
                      cues: Sequence[CueFinding], lang: Lang) -> list[str]:
    """The ways the text offers to get in touch that are not the organisation's own."""
    channels = [n.found for n in numbers if n.verdict is not Verdict.official]
    channels += [link.found for link in links if link.code != LINK_OFFICIAL]
    channels += [messages.cue_name(c.code, lang) for c in cues if c.channel and not (c.code == FOLLOW_UNSEEN and links)]
    return channels


def text_risk(verdict: Verdict, risks: Sequence[int]) -> int:
    risky = [r for r in risks if r > 0]
    combined = 100 * (1 - math.prod(1 - min(r, 100) / 100 for r in risky)) if risky else 0.0
    if verdict is Verdict.unknown and not risky:
        combined = UNKNOWN_BASE_RISK
    low, high = RISK_BANDS[verdict]
    return int(min(high, max(low, round(combined))))
