"""Records of the official-channel registry, shared by the store, the API and import/export.

These are the *facts* the service knows: an organisation, and each official number it
publishes together with where that number was verified and how sure we are of it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator


class Category(StrEnum):
    bank = "bank"
    payment = "payment"
    insurer = "insurer"
    securities = "securities"
    telecom = "telecom"
    government = "government"
    ecommerce = "ecommerce"
    transport = "transport"  # airlines, rail, transit, ticketing and car hire
    logistics = "logistics"  # express delivery and freight
    other = "other"


FINANCIAL_CATEGORIES = frozenset({"bank", "payment", "insurer", "securities"})
"""Organisations whose published customer-service numbers are an authoritative list (see
Organization.authoritative): they publish them, and they are who fake customer service imitates."""


class Channel(StrEnum):
    """What a number is for, as its source says (docs/registry-format.md)."""

    hotline = "hotline"  # customer service people call
    credit_card = "credit_card"  # the credit-card centre's line (信用卡)
    overseas = "overseas"  # the line for calls from abroad (境外, 海外)
    sms_sender = "sms_sender"  # sends SMS; cannot be called back
    outbound = "outbound"  # calls people (外呼)


class Direction(StrEnum):
    inbound_only = "inbound_only"
    calls_out = "calls_out"
    unknown = "unknown"


class Confidence(StrEnum):
    """How sure we are that a number is official, strongest first."""

    official_page = "official_page"
    multiple_sources = "multiple_sources"
    single_source = "single_source"


OrgId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^0[1-9][0-9]{1,2}$")]


class OfficialNumber(BaseModel):
    """One official number of one organisation, with its provenance."""

    model_config = ConfigDict(extra="forbid")

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    region: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "CN"
    channel: Channel = Channel.hotline
    main: bool = Field(
        default=False,
        description="The organisation's main customer-service hotline, as its source names it (the "
        "shipped registry: the number of its row in hotlines_cn.csv).",
    )
    direction: Direction = Direction.unknown
    label: Annotated[str, StringConstraints(max_length=200)] | None = None
    variants: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list,
        description="Other accepted written forms, e.g. area code + short code (021-95561).",
    )
    shown_with_area_code: bool = Field(
        default=False,
        description="Genuine calls from this short code always show an area code in front (区号+96110).",
    )
    source_url: Annotated[str, StringConstraints(max_length=500)] | None = None
    source_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None,
        description="The human name of the source, shown to people (中国工商银行官网, "
        "metowolf/vCards (community list)); source_note holds the build notes.",
    )
    source_note: Annotated[str, StringConstraints(max_length=1000)] = ""
    shared_with: list[OrgId] = Field(
        default_factory=list,
        description="Other organisations that genuinely hold the same number (95188: alipay and mybank); "
        "a number under several organisations is a conflict unless they name each other here.",
    )
    verified_at: dt.date | None = None
    confidence: Confidence

    @field_validator("source_url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("source_url must be an http(s) URL")
        return value or None

    @field_validator("source_name")
    @classmethod
    def _empty_name_is_none(cls, value: str | None) -> str | None:
        return value or None


class Organization(BaseModel):
    """An organisation and the official numbers it publishes."""

    model_config = ConfigDict(extra="forbid")

    id: OrgId
    name: ShortText
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    aliases: list[ShortText] = Field(default_factory=list)
    category: Category = Category.other
    domains: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]] = Field(
        default_factory=list
    )
    numbers: list[OfficialNumber] = Field(default_factory=list)
    numbers_complete: bool = Field(
        default=False, description="A cited source says this list of numbers is complete."
    )
    numbers_complete_source: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, description="URL of the source that says the list of numbers is complete."
    )
    home_area_code: AreaCode | None = Field(
        default=None,
        description="Area code of the organisation's home city (0731): where a local 96xxx code a "
        "source lists without an area code belongs.",
    )

    @field_validator("numbers_complete_source")
    @classmethod
    def _complete_source_is_http(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("numbers_complete_source must be an http(s) URL")
        return value or None

    @property
    def authoritative(self) -> bool:
        """A number missing from this list is a mismatch, not a gap in our knowledge: a cited
        source says the list is complete, or the organisation is financial (bank, payment,
        insurer, securities)."""
        return self.numbers_complete or self.category.value in FINANCIAL_CATEGORIES


class RegistryDocument(BaseModel):
    """The JSON import/export format (see docs/registry-format.md)."""

    model_config = ConfigDict(extra="forbid")

    format: str = "hotline-verifier-registry"
    version: int = 1
    organizations: list[Organization]
