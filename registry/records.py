"""Records of reports, appeals, accounts and the audit log (the registry's are in models.py)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ReportCategory(StrEnum):
    fake_customer_service = "fake_customer_service"
    refund_scam = "refund_scam"
    account_security_scam = "account_security_scam"  # 账户异常/冻结/解封
    loan_scam = "loan_scam"
    investment_scam = "investment_scam"
    impersonating_authority = "impersonating_authority"  # police, courts, regulators
    phishing_sms = "phishing_sms"
    harassment_marketing = "harassment_marketing"
    other = "other"


class ReportChannel(StrEnum):
    incoming_call = "incoming_call"
    sms = "sms"
    web_page = "web_page"
    search_ad = "search_ad"
    social_media = "social_media"
    other = "other"


class ReportStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    overturned = "overturned"  # was approved; lifted on appeal


class Decision(StrEnum):
    approve = "approve"
    reject = "reject"


class AppealStatus(StrEnum):
    pending = "pending"
    upheld = "upheld"  # the scam verdict stays
    lifted = "lifted"  # the approved reports are overturned


class AppealDecision(StrEnum):
    uphold = "uphold"
    lift = "lift"


class Role(StrEnum):
    moderator = "moderator"
    admin = "admin"


class NewReport(BaseModel):
    number_key: str
    number: str
    region: str
    category: ReportCategory
    claimed_org: str | None = None
    channel: ReportChannel
    description: str = ""
    occurred_at: dt.datetime | None = None
    evidence_url: str | None = None
    reporter_hash: str
    client_hash: str
    api_key_id: int | None = None
    source: str = "user"
    source_weight: float = 1.0
    source_ref: str | None = None  # imports: a digest of the source row (idempotent re-imports)
    voice_hash: str | None = None  # who it counts as, decided when filed (None: the rule of verifier/core/voices.py)


class Report(NewReport):
    id: int
    status: ReportStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None


class QueuedReport(Report):
    against_official: bool = False
    pending_reporters: int = 0
    pending_voices: float = 0.0  # what the pending reporters count as (verifier/core/report_book.py)


class NewAppeal(BaseModel):
    number_key: str
    number: str
    statement: str
    contact: str
    client_hash: str


class Appeal(NewAppeal):
    id: int
    status: AppealStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None


class User(BaseModel):
    id: int
    username: str
    role: Role
    disabled: bool
    created_at: dt.datetime


class Session(BaseModel):
    user: User
    kind: str
    csrf_token: str | None
    expires_at: dt.datetime


class ApiKey(BaseModel):
    id: int
    name: str
    prefix: str
    rate_limit: int
    usage_count: int
    vouches: int | None = None  # reports an hour its users count as their own voices (None: the default setting)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class AuditEntry(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any] | list[Any] | None = None
    after: dict[str, Any] | list[Any] | None = None


class Page(BaseModel):
    number: int = Field(default=1, ge=1)
    size: int = Field(default=50, ge=1, le=200)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size
