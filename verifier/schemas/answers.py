"""Pydantic models of the JSON API: they validate requests, serialise responses, and are
the single source of the OpenAPI document (verifier.api.openapi)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import Examples, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from registry.models import Channel, Confidence, Direction
from verifier.core.messages import Lang
from verifier.core.numbers.reading import NumberType
from verifier.core.numbers.text import MAX_INPUT_CHARS
from verifier.core.signals import Context, Verdict

# No length limit of its own: whether a text is a phone number, its length included (over
# MAX_INPUT_CHARS characters it is none), is the reader's question, answered 400 not-a-number
# (docs/errors.md); the body's size limit bounds it.
RawNumber = Annotated[str, Examples(["95588", "+86 139 1234 5678", "tel:95588;3"])]
NUMBER_NOTE = f"Text that is no phone number (empty, no digits, over {MAX_INPUT_CHARS} characters…) is a 400 not-a-number."
Region = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
ClaimText = Annotated[str, StringConstraints(max_length=100)]
BATCH_MAX_ITEMS = 1000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerifyRequest(Strict):
    number: RawNumber = Field(description="The number as the person has it: any written form. " + NUMBER_NOTE)
    region: Region | None = Field(default=None, description="Region to read national numbers in (default CN).")
    claimed_org: ClaimText | None = Field(default=None, description="Who the caller or page said they were.")
    context: Context | None = Field(default=None, description="Where the number was met.")
    lang: Lang = "zh"


class BatchItem(Strict):
    """One number of a batch. Read item by item (verifier.api.verify.verify_batch): an item that is
    not one (a missing or ill-typed field, an unknown field, not an object) gets its own error."""

    number: RawNumber = Field(description=NUMBER_NOTE)
    claimed_org: ClaimText | None = None
    context: Context | None = None
    region: Region | None = None


class AnyItem:
    """A batch item as the envelope reads it: any JSON value, documented as a BatchItem or anything
    else (anything else is answered by that item's own error, never by refusing the batch)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.any_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [handler(BatchItem.__pydantic_core_schema__), {}],
                "description": "A BatchItem; any other value gets its own error in `results`."}


class BatchRequest(Strict):
    items: list[AnyItem] = Field(min_length=1, description=(
        f"The numbers, at most the server's batch limit (default {BATCH_MAX_ITEMS}; more is a 413). Each item is "
        "read on its own: a malformed one gets its own error and does not fail the batch."))
    region: Region | None = None
    context: Context | None = None
    lang: Lang = "zh"


class TextRequest(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    region: Region | None = None
    context: Context | None = None
    lang: Lang = "zh"


class NumberInfo(BaseModel):
    key: str = Field(description="Canonical key: E.164 for full numbers, REGION:digits for short codes and SMS "
                                 "senders, CN:0<area>-<code> for a local 96xxx code written with its area code "
                                 "(docs/private-lookup.md).")
    e164: str | None
    region: str | None
    type: NumberType
    valid: bool
    extension: str | None
    carrier: str | None
    location: str | None
    area_code: str | None = None
    dialled_international: bool = False
    letters_mapped: bool = False
    flags: list[str] = Field(default_factory=list)
    family: str | None = Field(default=None, description=(
        "China's numbering family of the number (cn_national_95, cn_local_96, cn_nationwide_96, "
        "cn_sms_sender_106, cn_service_125, cn_postal_11, cn_operator_line, cn_directory, cn_emergency, "
        "cn_public_12; docs/numbers.md), null for ordinary numbers."))


class OrgRef(BaseModel):
    id: str
    name: str
    name_en: str | None


class OfficialNumberOut(BaseModel):
    """An official number as people are shown it: where it was verified and how sure we are.
    The registry's build notes (``source_note``) stay in the admin view and the export."""

    number: str = Field(description="As the source writes it.")
    display: str = Field(description="The one readable form every answer and page uses.")
    key: str
    region: str
    channel: Channel
    main: bool = Field(default=False, description="The organisation's main customer-service hotline.")
    direction: Direction
    label: str | None
    source_name: str | None = Field(default=None, description="The source's name, for people.")
    source_url: str | None
    verified_at: dt.date | None
    confidence: Confidence
    organization_id: str


class OrganizationOut(BaseModel):
    """One organisation and its official numbers, as the public API shows it."""

    id: str
    name: str
    name_en: str | None
    aliases: list[str]
    category: str
    domains: list[str]
    authoritative: bool = Field(description="Our list of its numbers is taken as complete: a number not in it "
                                            "claimed as this organisation is suspicious.")
    numbers: list[OfficialNumberOut]


class Imitation(BaseModel):
    organization: OrgRef
    official_number: OfficialNumberOut


class ReasonOut(BaseModel):
    code: str
    message: str


class ReportSummary(BaseModel):
    approved: int = 0
    pending: int = 0
    distinct_reporters: int = 0
    categories: dict[str, int] = Field(default_factory=dict)
    first_reported_at: dt.datetime | None = None
    last_reported_at: dt.datetime | None = None
    weight: float = Field(default=0.0, description="Recency- and track-record-weighted evidence (docs/reports.md).")
    confidence: float = Field(default=0.0, ge=0, le=1)


class VerifyResponse(BaseModel):
    input: str
    number: NumberInfo
    verdict: Verdict
    risk_score: int = Field(ge=0, le=100)
    organization: OrgRef | None
    official_number: OfficialNumberOut | None
    also_official_for: list[OrgRef] = Field(default_factory=list)
    imitates: Imitation | None = None
    claimed_organization: OrgRef | None
    claimed_official_numbers: list[OfficialNumberOut]
    reports: ReportSummary
    reasons: list[ReasonOut]
    advice: str
    lang: Lang


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None


class BatchResult(BaseModel):
    index: int
    result: VerifyResponse | None = None
    error: ProblemOut | None = None


class BatchResponse(BaseModel):
    count: int
    results: list[BatchResult]


class TextNumber(BaseModel):
    found: str = Field(description="The text as it stood in the message.")
    start: int
    end: int
    result: VerifyResponse


class TextLink(BaseModel):
    found: str = Field(description="The link as it stood in the message.")
    start: int
    end: int
    host: str
    registrable_domain: str | None = Field(description="The domain one registers (icbc.com.cn for www.icbc.com.cn); "
                                                       "none for an IP host.")
    code: str = Field(description="link_official, link_imitates_org, link_ip_host, link_shortener, link_unrelated "
                                  "or link_unknown (docs/verdicts.md).")
    verdict: Verdict | None = Field(description="official, suspicious, or none when the link says nothing either way.")
    message: str
    organization: OrgRef | None = Field(default=None, description="The organisation the link belongs to or imitates.")


class TextCue(BaseModel):
    code: str = Field(description="A scam-script cue (cue_account_frozen, cue_safe_account, …).")
    message: str
    strong: bool = Field(description="Never legitimate: a \"safe account\", police or a court asking for money.")
    channel: bool = Field(default=False, description="Moves you to a channel the organisation does not use "
                                                     "(add WeChat/QQ, download an app, share your screen).")


class TextSkipped(BaseModel):
    found: str
    start: int
    end: int
    kind: Literal["card_tail", "own_number", "code", "amount", "date_time", "order_code", "in_url", "masked",
                  "other"] = Field(
        description="Why these digits were not read as a phone number.")


class TextResponse(BaseModel):
    organizations_mentioned: list[OrgRef]
    numbers: list[TextNumber]
    links: list[TextLink] = Field(default_factory=list)
    cues: list[TextCue] = Field(default_factory=list)
    skipped: list[TextSkipped] = Field(default_factory=list, description="Digits that are not phone numbers.")
    verdict: Verdict = Field(description="The message as a whole: official, suspicious, scam or unknown "
                                         "(docs/verdicts.md, \"The overall verdict of a text\").")
    risk_score: int = Field(default=20, ge=0, le=100)
    reasons: list[ReasonOut] = Field(default_factory=list)
    advice: str = ""
    lang: Lang = "zh"


class OrgSummary(OrgRef):
    category: str
    aliases: list[str]
    number_count: int


class OrgList(BaseModel):
    items: list[OrgSummary]


class Health(BaseModel):
    status: Literal["ok"]
    registry_numbers: int
