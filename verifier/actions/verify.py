"""Verifying one number as the answer model (VerifyResponse), for the pages, the moderation
views and the text check; the JSON API serves the same answer from its ready bytes
(verifier.state.answer_cache, verifier.core.answers)."""

from __future__ import annotations

from typing import Any

from verifier.core.answers import verify_payload
from verifier.core.knowledge import Knowledge
from verifier.schemas.answers import VerifyResponse


def verify(kb: Knowledge, raw: str, **options: Any) -> VerifyResponse:
    """Raises verifier.core.numbers.reading.NotANumber when the text is no phone number at all."""
    return VerifyResponse.model_validate(verify_payload(kb, raw, **options))
