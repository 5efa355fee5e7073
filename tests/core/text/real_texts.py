"""The real SMS of the accuracy sets, for the tests that prove a text shortcut equal to its plain path."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "accuracy"


def real_texts() -> list[str]:
    """The `text` column of the accuracy SMS sets, legitimate then scam."""
    texts = []
    for name in ("sms_legitimate.csv", "sms_scam.csv"):
        with (DATA / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows)]
    return texts
