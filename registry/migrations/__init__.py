"""Named, ordered schema migrations, one SQL file each, per backend.

Each backend applies the files it has not yet recorded, in name order, each in its own
transaction together with the row that records it in ``schema_migrations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


def migrations_for(backend: str) -> list[Migration]:
    folder = resources.files(__package__).joinpath(backend)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".sql")),
        key=lambda entry: entry.name,
    )
    return [Migration(entry.name.removesuffix(".sql"), entry.read_text("utf-8")) for entry in files]
