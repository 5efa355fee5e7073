"""Pydantic models of reports, appeals, logins, moderation and registry editing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from registry.models import Category, OfficialNumber
from registry.records import (
    Appeal,
    AppealDecision,
    AppealStatus,
    AuditEntry,
    Decision,
    Report,
    ReportCategory,
    ReportChannel,
    ReportStatus,
    Role,
)
from verifier.schemas.answers import ClaimText, RawNumber, Region, Strict, VerifyResponse

Description = Annotated[str, StringConstraints(max_length=2000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://[^\s<>\"']+$")]


class ReportRequest(Strict):
    number: RawNumber
    region: Region | None = None
    category: ReportCategory
    claimed_org: ClaimText | None = None
    channel: ReportChannel = ReportChannel.other
    description: Description = ""
    occurred_at: dt.datetime | None = Field(default=None, description="When it happened (ISO 8601); not in the future.")
    evidence_url: Url | None = None
    reporter_id: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = Field(
        default=None, description="An app's opaque id for its user (with an API key); stored only as a keyed hash."
    )

    @field_validator("occurred_at")
    @classmethod
    def _not_in_future(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        if value > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
            raise ValueError("occurred_at lies in the future")
        if value.year < 2000:
            raise ValueError("occurred_at is implausibly old")
        return value


class Accepted(BaseModel):
    id: int
    status: str


# An appeal's statement must say something: at least 4 CJK characters (four Chinese characters
# say as much as ten Latin letters) or at least 10 characters in all, after trimming. CJK here
# is the BMP's Han ideographs (with extension A and compatibility ideographs), kana and Hangul
# syllables, so the JSON Schema pattern below states exactly the same rule.
STATEMENT_MIN_CJK, STATEMENT_MIN_CHARS, STATEMENT_MAX_CHARS = 4, 10, 2000
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _statement_long_enough(value: str) -> str:
    if len(value) >= STATEMENT_MIN_CHARS or len(_CJK_CHAR.findall(value)) >= STATEMENT_MIN_CJK:
        return value
    raise PydanticCustomError(
        "statement_too_short",
        "Too short: write at least {min_cjk} Chinese characters or {min_length} characters in all.",
        {"min_cjk": STATEMENT_MIN_CJK, "min_length": STATEMENT_MIN_CHARS},
    )


Statement = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=STATEMENT_MAX_CHARS),
    AfterValidator(_statement_long_enough),
    WithJsonSchema({
        "type": "string", "maxLength": STATEMENT_MAX_CHARS,
        "anyOf": [{"minLength": STATEMENT_MIN_CHARS},
                  {"pattern": f"^[^{_CJK}]*(?:[{_CJK}][^{_CJK}]*){{{STATEMENT_MIN_CJK}}}"}],
        "description": f"At least {STATEMENT_MIN_CJK} Chinese (CJK) characters, or at least "
                       f"{STATEMENT_MIN_CHARS} characters in all (leading and trailing spaces do not count).",
    }),
]


class AppealRequest(Strict):
    number: RawNumber
    region: Region | None = None
    statement: Statement
    contact: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)] = Field(
        description="How a moderator can reach the number's owner (e-mail or phone)."
    )


class LoginRequest(Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class LoginResponse(BaseModel):
    token: str
    expires_at: dt.datetime
    username: str
    role: Role


class DecisionRequest(Strict):
    decision: Decision
    note: Note | None = None


class NumberDecisionRequest(DecisionRequest):
    number: RawNumber
    region: Region | None = None


class AppealDecisionRequest(Strict):
    decision: AppealDecision
    note: Note | None = None


class QueueQuery(Strict):
    status: ReportStatus = ReportStatus.pending
    number: RawNumber | None = None
    region: Region | None = None
    category: ReportCategory | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)


class AppealQuery(Strict):
    status: AppealStatus | None = AppealStatus.pending
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)


class AuditQuery(Strict):
    actor: Annotated[str, StringConstraints(max_length=64)] | None = None
    action: Annotated[str, StringConstraints(max_length=64)] | None = None
    target_type: Annotated[str, StringConstraints(max_length=64)] | None = None
    target_id: Annotated[str, StringConstraints(max_length=200)] | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)


class ReportOut(BaseModel):
    """A report as moderators see it: the reporter only as a short pseudonym."""

    id: int
    number: str
    number_key: str
    region: str
    category: ReportCategory
    claimed_org: str | None
    channel: ReportChannel
    description: str
    occurred_at: dt.datetime | None
    evidence_url: str | None
    source: str
    status: ReportStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    decision_note: str | None
    reporter: str = Field(description="A pseudonym: the same reporter has the same one.")
    api_key_id: int | None = Field(None, description="The API key it came through (none: the web or anonymous).")
    api_key_name: str | None = Field(None, description="That key's name: a burst from one key is one source.")
    against_official: bool | None = None
    pending_reporters: int | None = Field(None, description="Voices behind the number's pending reports, counted as the verdict counts them.")
    pending_voices: float | None = Field(None, description="What those voices count as (a heavy imported source up to VERIFIER_IMPORTED_SOURCE_MAX_VOICES).")

    @classmethod
    def of(cls, report: Report, key_names: Mapping[int, str] | None = None) -> ReportOut:
        """Also takes a QueuedReport, keeping its queue fields. `key_names`: API key names by id."""
        data = report.model_dump(exclude={"reporter_hash", "client_hash", "source_weight", "voice_hash"})
        name = (key_names or {}).get(report.api_key_id) if report.api_key_id is not None else None
        return cls(**data, reporter=report.reporter_hash[:12], api_key_name=name)


class AppealOut(BaseModel):
    id: int
    number: str
    number_key: str
    statement: str
    contact: str | None = Field(description="How to reach the appellant, as typed. Stored sealed (encrypted), opened "
                                            "only here; null when it was sealed under another secret key.")
    status: AppealStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    decision_note: str | None

    @classmethod
    def of(cls, appeal: Appeal, contact: str | None) -> AppealOut:
        """`contact`: the appeal's contact opened (the store holds it sealed: verifier.ops.crypto.Sealer)."""
        return cls(**appeal.model_dump(exclude={"client_hash", "contact"}), contact=contact)


class QueueResponse(BaseModel):
    items: list[ReportOut]
    page: int
    page_size: int


class ReportDetail(BaseModel):
    report: ReportOut
    key_reports_last_hour: int | None = Field(
        None, description="How many reports the report's API key sent in the last hour (none: it came without one).")
    history: list[ReportOut] = Field(description="Every report of the same number, newest first.")
    appeals: list[AppealOut]
    verdict: VerifyResponse = Field(description="What verify answers for this number now.")


class DecisionResponse(BaseModel):
    decided: int
    reports: list[ReportOut]


class AppealDecisionResponse(BaseModel):
    appeal: AppealOut
    overturned_reports: list[int]


class AppealList(BaseModel):
    items: list[AppealOut]


class AuditList(BaseModel):
    items: list[AuditEntry]


class OrganizationUpdate(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    aliases: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]] | None = None
    category: Category | None = None
    domains: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]] | None = None


def _source_required(schema: dict[str, Any]) -> None:
    """The JSON Schema of what `SourcedNumber` checks in code: an http(s) source_url, a non-blank
    source_note, or both."""
    for option in schema["properties"]["source_url"].get("anyOf", []):
        if option.get("type") == "string":
            option["pattern"] = r"^(https?://[\s\S]*)?$"  # "" counts as none
    schema["anyOf"] = [
        {"required": ["source_url"], "properties": {"source_url": {"type": "string", "pattern": r"^https?://"}}},
        {"required": ["source_note"], "properties": {"source_note": {"type": "string", "pattern": r"\S"}}},
    ]


class SourcedNumber(OfficialNumber):
    """An official number as an administrator enters it: a source is required."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_source_required)

    @model_validator(mode="after")
    def _has_source(self) -> SourcedNumber:
        if not self.source_url and not self.source_note.strip():
            raise ValueError("give the source: source_url, source_note, or both")
        return self


class Changed(BaseModel):
    outcome: str
