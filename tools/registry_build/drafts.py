"""The organisations and numbers while they are being merged, and how each becomes a model.

A ``NumberDraft`` gathers every source's ``Contribution`` for one number of one organisation;
``NumberDraft.build`` decides the shipped ``OfficialNumber``: the strongest confidence, the
source shown to people, the label, the notes, and the channel and direction (outbound labels,
106-family SMS codes, 400/800 numbers that never call out, lines for calls from abroad and
credit-card centres by their labels) and whether it is the main hotline. An ``OrgDraft`` holds an
organisation's names, domains and numbers and builds its ``Organization`` with the numbers in a
stable order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from registry.models import Category, Channel, Confidence, Direction, OfficialNumber, Organization

from .config import (
    COMMUNITY_KINDS,
    CONFIDENCE_RANK,
    CREDIT_CARD_LABEL,
    INBOUND_ONLY_ADVISORY,
    OUTBOUND_LABEL,
    OVERSEAS_LABEL,
    SMS_LABEL,
    SMS_LABEL_NOT_SENDER,
)
from .parsing import Parsed


@dataclass
class Contribution:
    kind: str  # "hotlines" | "note" | "vcards" | "public" | "xdtianyu"
    confidence: Confidence
    number: str
    source_url: str | None
    note: str
    label: str | None = None
    source_name: str | None = None  # shown to people: the site's or list's name
    date: dt.date | None = None  # snapshot date of a community list


@dataclass
class NumberDraft:
    parsed: Parsed
    contributions: list[Contribution] = field(default_factory=list)
    extra_notes: list[str] = field(default_factory=list)
    variants: set[str] = field(default_factory=set)
    fallback_label: str | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    shown_with_area_code: bool = False
    shared_with: set[str] = field(default_factory=set)
    main: bool = False  # the number of the organisation's hotlines_cn.csv row: its main hotline

    def add(self, contribution: Contribution) -> None:
        self.contributions.append(contribution)

    def build(self) -> OfficialNumber:
        strongest = min(CONFIDENCE_RANK[c.confidence] for c in self.contributions)
        confidence = next(c for c in CONFIDENCE_RANK if CONFIDENCE_RANK[c] == strongest)
        # strongest first; among equals the order of the sources, except that the 2020 xdtianyu list
        # comes after every other (stable sort)
        ranked = sorted(self.contributions, key=lambda c: (CONFIDENCE_RANK[c.confidence], c.kind == "xdtianyu"))
        number = ranked[0].number
        source = next((c for c in ranked if c.source_url), ranked[0])  # the source shown to people
        source_url = source.source_url
        vcards_labels = [c.label for c in self.contributions if c.kind == "vcards" and c.label]
        other_labels = [c.label for c in self.contributions if c.kind != "vcards" and c.label]
        label = (vcards_labels + other_labels + [self.fallback_label] + [None])[0]
        community = {c.kind for c in self.contributions}
        community_only = community <= COMMUNITY_KINDS

        notes = [c.note for c in ranked] + self.extra_notes  # strongest source first
        if community_only and len(community) == 1:
            notes.append("One community-maintained list only, not checked against an official page.")
        elif community_only:
            notes.append("Two community-maintained lists (metowolf/vCards, xdtianyu/PhoneNumber) only, not checked "
                         "against an official page; each alone is single_source and so is their entry.")

        channel = self.channel or Channel.hotline
        direction = self.direction or Direction.unknown
        is_400_800 = self.parsed.region == "CN" and len(self.parsed.national) == 10 and self.parsed.national[
            :3
        ] in ("400", "800")
        if self.channel is None and label and OUTBOUND_LABEL.search(label):
            channel = Channel.outbound
            if is_400_800:
                direction = Direction.unknown
                notes.append(
                    f"The source labels it an outbound line ('{label}'), but police advisories say "
                    f"400/800 numbers only receive calls and never call out ({INBOUND_ONLY_ADVISORY}): "
                    "conflicting sources, direction left unknown."
                )
            else:
                direction = Direction.calls_out
                notes.append(f"The source labels it an outbound line ('{label}'): direction calls_out.")
        elif self.channel is None and self.parsed.region == "CN" and self.parsed.national.startswith("106"):
            channel = Channel.sms_sender  # the 106 family: SMS sender codes, they cannot be called back
            notes.append("A 106-family code: banks and platforms send SMS from it; it cannot be called back.")
        elif self.channel is None and label and SMS_LABEL.search(label) and label not in SMS_LABEL_NOT_SENDER:
            channel = Channel.sms_sender
        else:
            if self.channel is None and label and not self.main:  # a line people call: what for, by its label
                if OVERSEAS_LABEL.search(label):
                    channel = Channel.overseas
                elif CREDIT_CARD_LABEL.search(label):
                    channel = Channel.credit_card
            if is_400_800 and self.direction is None:
                direction = Direction.inbound_only
                notes.append(
                    "400/800 numbers only receive calls and are never used to call out (police advisory "
                    f"{INBOUND_ONLY_ADVISORY}): a call from this number is spoofed."
                )

        return OfficialNumber(
            number=number,
            region=self.parsed.region,
            channel=channel,
            main=self.main and channel is Channel.hotline,
            direction=direction,
            label=label,
            variants=sorted(self.variants),
            shown_with_area_code=self.shown_with_area_code,
            source_url=source_url,
            source_name=source.source_name,
            source_note=_clip(" | ".join(n for n in notes if n)),
            shared_with=sorted(self.shared_with),
            verified_at=source.date if community_only else None,
            confidence=confidence,
        )


@dataclass
class OrgDraft:
    id: str
    name: str
    name_en: str | None
    category: Category
    aliases: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    numbers: dict[str, NumberDraft] = field(default_factory=dict)
    home_area_code: str | None = None
    sources: set[str] = field(default_factory=set)  # which source files name this organisation

    def number(self, parsed: Parsed) -> NumberDraft:
        if parsed.key not in self.numbers:
            self.numbers[parsed.key] = NumberDraft(parsed)
        return self.numbers[parsed.key]

    def build(self) -> Organization:
        numbers = sorted(
            (draft.build() for draft in self.numbers.values()),
            key=lambda n: (CONFIDENCE_RANK[n.confidence], len(re.sub(r"\D", "", n.number)), n.region, n.number),
        )
        aliases = sorted(a for a in self.aliases if a and a != self.name)
        return Organization(
            id=self.id,
            name=self.name,
            name_en=self.name_en,
            aliases=aliases,
            category=self.category,
            domains=sorted(self.domains),
            numbers=numbers,
            home_area_code=self.home_area_code,
        )


def _clip(note: str, limit: int = 1000) -> str:
    """source_note holds at most 1,000 characters: a longer note keeps its start, marked cut."""
    return note if len(note) <= limit else note[: limit - 1] + "…"


def name_index(orgs: dict[str, OrgDraft]) -> dict[str, OrgDraft]:
    """Every organisation's name and aliases -> the organisation (a name two share: neither)."""
    index: dict[str, list[OrgDraft]] = {}
    for org in orgs.values():
        for text in {org.name, *org.aliases}:
            index.setdefault(text, []).append(org)
    return {text: found[0] for text, found in index.items() if len(found) == 1}


def holders_of(orgs: dict[str, OrgDraft], parsed: Parsed) -> list[OrgDraft]:
    """The organisations already holding `parsed`."""
    return [org for org in orgs.values() if parsed.key in org.numbers]
