"""Reading outside evidence (other systems' complaint data) into reports.

Two CSV layouts:
- the generic one: ``number,category,date[,text][,region]`` (category from
  registry.records.ReportCategory; date ISO 8601 or YYYY-MM-DD);
- the FTC Do Not Call complaint layout: ``Company_Phone_Number,Created_Date,Violation_Date,
  Consumer_City,Consumer_State,Consumer_Area_Code,Subject,Recorded_Message_Or_Robocall``
  (US numbers; the subject is mapped to a category; consumer fields are not kept).

Imported reports are kept apart from user reports: their ``source`` is the import's name,
they weigh ``source_weight``, and one source is one voice per number (it cannot pose as many
reporters), which counts like ``w`` voices when its weight ``w`` is above 1, up to
VERIFIER_IMPORTED_SOURCE_MAX_VOICES (verifier/core/report_book.py; docs/reports.md). Each row
carries a digest of its content, so importing the same file again adds nothing (with another
weight, it changes the weight of the rows imported before: registry/store/reports.py), and rows
of one file with the same digest (the same number, category, date and text) are one report:
counted as duplicates within the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

from registry.records import NewReport, ReportCategory, ReportChannel
from verifier.core.numbers.reading import NotANumber, normalise
from verifier.ops.crypto import Keyed

SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
FTC_COLUMNS = ("Company_Phone_Number", "Created_Date", "Violation_Date", "Consumer_City", "Consumer_State",
               "Consumer_Area_Code", "Subject", "Recorded_Message_Or_Robocall")
GENERIC_COLUMNS = ("number", "category", "date")
FTC_SUBJECTS = (  # keyword in the FTC subject → category
    (("pretending", "impostor", "imposter", "government"), ReportCategory.impersonating_authority),
    (("debt", "loan", "credit", "mortgage"), ReportCategory.loan_scam),
    (("computer", "technical support", "tech support"), ReportCategory.fake_customer_service),
    (("invest",), ReportCategory.investment_scam),
    (("warrant", "vacation", "timeshare", "medical", "prescription", "energy", "solar", "home security",
      "home improvement", "dropped call", "no message"), ReportCategory.harassment_marketing),
)
MAX_TEXT = 2000
DEFAULT_WEIGHT = 0.5  # a new source's weight unless --weight says
MAX_WEIGHT = 10.0  # VERIFIER_IMPORTED_SOURCE_MAX_VOICES's own limit: the setting caps what a weight counts for


@dataclass
class ImportBatch:
    layout: str
    reports: list[NewReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "row 7: number: ..." for each row left out
    duplicates: list[str] = field(default_factory=list)  # "row 9 repeats row 4" for each row read as an earlier one


def check_source(name: str) -> str:
    if not SOURCE_NAME.match(name) or name == "user":
        raise ValueError("a source name is 1-64 of a-z 0-9 . _ - (and not 'user')")
    return name


def check_weight(weight: float) -> float:
    if not 0 < weight <= MAX_WEIGHT:  # (also refuses NaN)
        raise ValueError(f"--weight is above 0 and at most {MAX_WEIGHT:g} (a user's report weighs 1)")
    return weight


def read_evidence(text: str, *, source: str, weight: float, keyed: Keyed, region: str = "CN") -> ImportBatch:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = tuple(reader.fieldnames or ())
    if all(column in columns for column in FTC_COLUMNS[:2]) and "Subject" in columns:
        layout, region = "ftc-dnc", "US"
    elif all(column in columns for column in GENERIC_COLUMNS):
        layout = "generic"
    else:
        raise ValueError(f"unknown layout: expected columns {', '.join(GENERIC_COLUMNS)} (or the FTC DNC layout), "
                         f"got {', '.join(columns) or 'none'}")
    voice = keyed.hash("import-source", source)
    batch = ImportBatch(layout)
    first_row: dict[str | None, int] = {}  # a row's digest → the row that had it first
    for line, row in enumerate(reader, start=2):
        try:
            report = _report(row, layout, source, weight, voice, region)
        except (ValueError, KeyError) as exc:
            batch.skipped.append(f"row {line}: {exc}")
            continue
        if report.source_ref in first_row:
            batch.duplicates.append(f"row {line} repeats row {first_row[report.source_ref]}")
        else:
            first_row[report.source_ref] = line
            batch.reports.append(report)
    return batch


def _report(row: dict[str, str], layout: str, source: str, weight: float, voice: str, region: str) -> NewReport:
    if layout == "ftc-dnc":
        raw, date = row.get("Company_Phone_Number") or "", row.get("Violation_Date") or row.get("Created_Date") or ""
        subject = (row.get("Subject") or "").strip()
        category = _ftc_category(subject)
        robocall = (row.get("Recorded_Message_Or_Robocall") or "").strip()
        text = "; ".join(part for part in (subject, f"recorded message or robocall: {robocall}" if robocall else "")
                         if part)
        channel, row_region = ReportChannel.incoming_call, region
    else:
        raw, date, text = row.get("number") or "", row.get("date") or "", (row.get("text") or "").strip()
        try:
            category = ReportCategory((row.get("category") or "").strip())
        except ValueError:
            raise ValueError(f"category: {row.get('category')!r} is not one of "
                             f"{', '.join(c.value for c in ReportCategory)}") from None
        channel, row_region = ReportChannel.other, (row.get("region") or region).strip().upper()
    try:
        number = normalise(raw, row_region)
    except NotANumber as exc:
        raise ValueError(f"number: {raw!r}: {exc}") from None
    occurred = _date(date)
    digest = hashlib.sha256("\x1f".join((source, number.key, category.value, occurred.isoformat() if occurred else "",
                                         text)).encode()).hexdigest()
    return NewReport(number_key=number.key, number=raw.strip(), region=number.region or row_region,
                     category=category, channel=channel, description=text[:MAX_TEXT], occurred_at=occurred,
                     reporter_hash=voice, client_hash=voice, source=source, source_weight=weight,
                     source_ref=digest)


def _ftc_category(subject: str) -> ReportCategory:
    lowered = subject.lower()
    for words, category in FTC_SUBJECTS:
        if any(word in lowered for word in words):
            return category
    return ReportCategory.other


def _date(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    for parse in (dt.datetime.fromisoformat, lambda t: dt.datetime.strptime(t, "%m/%d/%Y"),
                  lambda t: dt.datetime.strptime(t, "%m/%d/%Y %H:%M:%S")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        if moment > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
            raise ValueError(f"date: {text!r} lies in the future")
        return moment
    raise ValueError(f"date: {text!r} is not a date (YYYY-MM-DD, ISO 8601 or MM/DD/YYYY)")
