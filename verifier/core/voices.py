"""Who a report counts as (its voice) and whose track record it rests on (its origin).

One model for every kind of report (docs/reports.md, "Voices and weights"):

- the **reporter** is whose track record the report adds to: an app's user (the API key plus the
  `reporter_id` it sends), a web browser (its `hv_reporter` cookie), an anonymous API caller
  (its address), an imported source;
- the **origin** is what the report came through: the API key, the client address (anonymous
  API calls and the web form), or the imported source itself. A report's trust is the lower of
  its reporter's and its origin's, so a new reporter id or a fresh cookie never starts with more
  trust than its key or address has earned;
- the **voice** is who counts once per number: decided when the report is filed and stored with
  it (`reports.voice_hash`). An app's user is its own voice while the key still vouches this
  hour (`verifier apikeys create --vouches N`, else VERIFIER_KEY_VOUCHES_PER_HOUR); beyond that
  budget, and for `--vouches 0`, every report through the key is the key's one voice. An
  anonymous or web report counts by its client address (however many cookies it uses), an
  imported source by its name. Reports stored before voices were stored (voice_hash NULL) count
  as they always did: the reporter for keyed apps and imports, else the address.

`registry.store.reports.FACT_COLUMNS` computes the same voice and origin in SQL, for the book
rebuilt from the store; tests/store/contract/test_contract_reports.py and
tests/api/test_report_voices.py (a book rebuilt from the store) check that the two agree.
"""

from __future__ import annotations

from registry.records import NewReport
from verifier.core.report_book import Record, record


def origin_of(api_key_id: int | None, source: str, reporter_hash: str, client_hash: str) -> str:
    """The API key (as ``key:<id>``), else an imported source (its reporter), else the address."""
    if api_key_id is not None:
        return f"key:{api_key_id}"
    return reporter_hash if source != "user" else client_hash


def voice_of(voice_hash: str | None, api_key_id: int | None, source: str, reporter_hash: str,
             client_hash: str) -> str:
    """The voice decided at filing time, else the rule for reports stored before it was."""
    if voice_hash:
        return voice_hash
    return reporter_hash if api_key_id is not None or source != "user" else client_hash


def book_record(report: NewReport, report_id: int, status: str, created: float) -> Record:
    """A stored report as the in-memory book keeps it."""
    keyed = report.api_key_id is not None or report.source != "user"
    return record(report_id, report.reporter_hash, report.client_hash, keyed, report.category.value, status, created,
                  report.source_weight,
                  voice=voice_of(report.voice_hash, report.api_key_id, report.source, report.reporter_hash,
                                 report.client_hash),
                  origin=origin_of(report.api_key_id, report.source, report.reporter_hash, report.client_hash))
