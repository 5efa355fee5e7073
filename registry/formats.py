"""Registry import/export in JSON and CSV (documented in docs/registry-format.md).

Reading validates every record; a problem names the file, the row and the field, and one
bad row rejects the whole file (nothing is half-imported).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from registry.models import OfficialNumber, Organization, RegistryDocument

CSV_COLUMNS = (
    "org_id",
    "org_name",
    "org_name_en",
    "org_aliases",
    "org_category",
    "org_domains",
    "org_numbers_complete",
    "org_numbers_complete_source",
    "org_home_area_code",
    "number",
    "region",
    "channel",
    "main",
    "direction",
    "label",
    "variants",
    "shown_with_area_code",
    "source_url",
    "source_name",
    "source_note",
    "shared_with",
    "verified_at",
    "confidence",
)
LIST_SEPARATOR = "|"
_ORG_FIELDS = {"org_id": "id", "org_name": "name", "org_name_en": "name_en", "org_aliases": "aliases",
               "org_category": "category", "org_domains": "domains", "org_numbers_complete": "numbers_complete",
               "org_numbers_complete_source": "numbers_complete_source", "org_home_area_code": "home_area_code"}
_LIST_FIELDS = {"aliases", "domains", "variants", "shared_with"}
_BOOL_FIELDS = {"shown_with_area_code", "numbers_complete", "main"}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: str  # "3" for a CSV line, "organizations[2].numbers[0]" for JSON
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: field {self.field!r}: {self.message}"


class RegistryFormatError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(problem) for problem in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the registry file:\n{shown}{more}")


Validator = Callable[[OfficialNumber], str]
"""Returns the canonical key of a number, or raises ValueError saying why it is no number."""


def read_registry(path: Path, key_of: Validator, data: bytes | None = None) -> list[Organization]:
    """Parse and validate a registry file (.json or .csv, by extension)."""
    raw = path.read_bytes() if data is None else data
    name = path.name
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryFormatError([Problem(name, "-", "-", f"not UTF-8 text ({exc.reason})")]) from exc
    if path.suffix.lower() == ".csv":
        organizations = _read_csv(name, text)
    else:
        organizations = _read_json(name, text)
    _check_numbers(name, organizations, key_of)
    return organizations


def _read_json(name: str, text: str) -> list[Organization]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryFormatError([Problem(name, str(exc.lineno), "-", f"invalid JSON: {exc.msg}")]) from exc
    try:
        return RegistryDocument.model_validate(payload).organizations
    except ValidationError as exc:
        raise RegistryFormatError([_json_problem(name, error) for error in exc.errors()]) from exc


def _json_problem(name: str, error: Any) -> Problem:
    loc = list(error["loc"])
    row_parts: list[str] = []
    while len(loc) >= 2 and isinstance(loc[1], int):
        row_parts.append(f"{loc[0]}[{loc[1]}]")
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or "-"
    return Problem(name, ".".join(row_parts) or "-", field, error["msg"])


def _read_csv(name: str, text: str) -> list[Organization]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in ("org_id", "org_name", "number", "confidence") if column not in (reader.fieldnames or [])]
    if missing:
        raise RegistryFormatError([Problem(name, "1", column, "required column missing") for column in missing])
    unknown = [column for column in reader.fieldnames or [] if column not in CSV_COLUMNS]
    if unknown:
        raise RegistryFormatError([Problem(name, "1", column, "unknown column") for column in unknown])
    problems: list[Problem] = []
    orgs: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if None in row:
            problems.append(Problem(name, str(line), "-", "more values than columns"))
            continue
        org_fields = {_ORG_FIELDS[k]: _cell(_ORG_FIELDS[k], v) for k, v in row.items() if k in _ORG_FIELDS}
        number_fields = {k: _cell(k, v) for k, v in row.items() if k not in _ORG_FIELDS and v not in (None, "")}
        org_id = org_fields.get("id") or ""
        if org_id in orgs:
            previous = orgs[org_id]["fields"]
            for key, value in org_fields.items():
                if value != previous.get(key):
                    problems.append(Problem(name, str(line), f"org_{key}" if key != "id" else "org_id",
                                            f"disagrees with row {first_row[org_id]} for organisation {org_id!r}"))
        else:
            orgs[org_id] = {"fields": org_fields, "numbers": []}
            first_row[org_id] = line
        try:
            orgs[org_id]["numbers"].append((line, OfficialNumber.model_validate(number_fields)))
        except ValidationError as exc:
            problems.extend(
                Problem(name, str(line), ".".join(map(str, err["loc"])) or "-", err["msg"]) for err in exc.errors()
            )
    result = []
    for org_id, entry in orgs.items():
        try:
            org = Organization.model_validate({**{k: v for k, v in entry["fields"].items() if v is not None}, "numbers": []})
        except ValidationError as exc:
            problems.extend(
                Problem(name, str(first_row[org_id]), f"org_{err['loc'][0]}" if err["loc"] else "-", err["msg"])
                for err in exc.errors()
            )
            continue
        org.numbers = [number for _, number in entry["numbers"]]
        result.append(org)
    if problems:
        raise RegistryFormatError(problems)
    return result


def _cell(field: str, value: str | None) -> Any:
    if value is None:
        return None
    value = value.strip()
    if field in _LIST_FIELDS:
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if field in _BOOL_FIELDS:
        return value.lower() in ("1", "true", "yes")
    return value or None


def _check_numbers(name: str, organizations: list[Organization], key_of: Validator) -> None:
    problems = []
    seen_ids: set[str] = set()
    for index, org in enumerate(organizations):
        if org.id in seen_ids:
            problems.append(Problem(name, f"organizations[{index}]", "id", f"duplicate organisation id {org.id!r}"))
        seen_ids.add(org.id)
        keys: dict[str, int] = {}
        for position, number in enumerate(org.numbers):
            row = f"organizations[{index}].numbers[{position}] ({org.id})"
            try:
                key = key_of(number)
            except ValueError as exc:
                problems.append(Problem(name, row, "number", f"{number.number!r} is not a usable number: {exc}"))
                continue
            if key in keys:
                problems.append(Problem(name, row, "number", f"{number.number!r} repeats numbers[{keys[key]}] of {org.id!r}"))
            keys[key] = position
    if problems:
        raise RegistryFormatError(problems)


def dump_json(organizations: list[Organization]) -> str:
    document = RegistryDocument(organizations=organizations)
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def dump_csv(organizations: list[Organization]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for org in organizations:
        org_cells = {
            "org_id": org.id,
            "org_name": org.name,
            "org_name_en": org.name_en or "",
            "org_aliases": LIST_SEPARATOR.join(org.aliases),
            "org_category": org.category.value,
            "org_domains": LIST_SEPARATOR.join(org.domains),
            "org_numbers_complete": "true" if org.numbers_complete else "false",
            "org_numbers_complete_source": org.numbers_complete_source or "",
            "org_home_area_code": org.home_area_code or "",
        }
        for number in org.numbers:
            data = number.model_dump(mode="json")
            cells = {key: ("" if value is None else value) for key, value in data.items()}
            cells["variants"] = LIST_SEPARATOR.join(number.variants)
            cells["shared_with"] = LIST_SEPARATOR.join(number.shared_with)
            cells["shown_with_area_code"] = "true" if number.shown_with_area_code else "false"
            cells["main"] = "true" if number.main else "false"
            writer.writerow({**org_cells, **cells})
    return out.getvalue()
