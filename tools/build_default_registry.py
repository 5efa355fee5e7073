#!/usr/bin/env python3
"""Build the shipped default registry from the researched source lists.

Reads ONLY ``registry/data/sources/`` (``hotlines_cn.csv``, ``vcards_cn_service_numbers.csv``,
``xdtianyu_common_numbers.csv``, ``public_numbers_cn.csv``, ``aliases_cn.csv``, ``domains_cn.csv``;
see the README there) and writes ``registry/data/default_registry.json``: a ``RegistryDocument``
validated through the pydantic models of ``registry.models``.

The output is deterministic (organisations sorted by id, numbers by confidence then number,
aliases/domains/variants sorted, ``ensure_ascii=False``, indent 2), so re-running the tool
reproduces the committed file byte for byte; ``tests/test_default_registry.py`` checks that.

Usage, from the repository root (no PYTHONPATH needed: the tool puts the root on sys.path)::

    .venv/bin/python tools/build_default_registry.py [--output PATH] [--quiet] [--strict]

In Python, ``from tools.build_default_registry import build`` (or ``tools.registry_build.document``):
``build(sources, exclude_sources=frozenset({"xdtianyu"}))`` returns ``(document, omitted, conflicts)``.

Development-only dependency: ``pypinyin==0.55.0`` (``.venv/bin/pip install pypinyin==0.55.0``).
It turns the Chinese names of vCards-only organisations into ASCII ids ("ning-bo-yin-hang");
the service never imports it. Another pypinyin version could spell an id differently: the
reproducibility test would then fail, which is the point (ids must stay stable).

This file is the command line only; the build lives in the package ``tools/registry_build/``:

- ``config``: paths and identities of the sources; the configuration tables of vCards,
  xdtianyu/PhoneNumber and public_numbers_cn.csv; known shared numbers; label rules;
- ``hotlines_config``: the configuration table of hotlines_cn.csv (one entry per row);
- ``parsing``: reading CSV files, statuses, numbers (merge keys), URLs' hosts, names as ids;
- ``drafts``: organisations and numbers while merging, and how each becomes a model;
- ``merge_hotlines`` (steps 1 and 3), ``merge_vcards`` (2), ``merge_public`` (4),
  ``merge_xdtianyu`` (5), ``home_areas`` (6: local 96xxx codes), ``merge_names`` (7: aliases
  and domains): each source's merge step;
- ``conflicts``: shared numbers (step 8) and organisations renamed since the previous build;
- ``document``: ``build``, the steps in order, and ``render``, the committed JSON.

Everything there that is not read from the CSVs is *configuration* (``config`` and
``hotlines_config``): which hotlines_cn row is which id and category, which vCards organisation
is the same organisation, and how each free-text ``notes`` fragment is treated. Every fragment
is matched by a regex against the CSV text and the build fails if it no longer matches, so no
number, URL or domain that is shipped is typed in there: they all come from the source files.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so the tool also runs without PYTHONPATH=.
    sys.path.insert(0, str(ROOT))

from tools.registry_build.config import DEFAULT_OUTPUT, OPTIONAL_SOURCES, SOURCES, BuildError  # noqa: E402
from tools.registry_build.conflicts import BuildConflict, renamed_since  # noqa: E402
from tools.registry_build.document import build, render  # noqa: E402
from tools.registry_build.home_areas import home_area_from_name  # noqa: E402

__all__ = ["BuildConflict", "BuildError", "build", "home_area_from_name", "main", "render", "renamed_since"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--sources", type=Path, default=SOURCES, help=f"default: {SOURCES}")
    parser.add_argument("--previous", type=Path, default=DEFAULT_OUTPUT,
                        help="the registry built before, to report organisations renamed since (default: the "
                             "committed default registry)")
    parser.add_argument("--exclude-source", action="append", default=[], choices=sorted(OPTIONAL_SOURCES),
                        help="leave a source out of the build (repeatable)")
    parser.add_argument("--strict", action="store_true",
                        help="write nothing and exit with 2 when there is any conflict")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)

    document, omitted, conflicts = build(args.sources, frozenset(args.exclude_source))
    conflicts = conflicts + renamed_since(document, args.previous)
    if args.strict and conflicts:
        print(f"error: {len(conflicts)} conflict(s); nothing written:", file=sys.stderr)
        for conflict in conflicts:
            print(f"  conflict: {conflict}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(document), encoding="utf-8")

    if not args.quiet:
        orgs = Counter(o.category.value for o in document.organizations)
        nums = Counter(o.category.value for o in document.organizations for _ in o.numbers)
        print(f"wrote {args.output}", file=sys.stderr)
        for cat in sorted(orgs):
            print(f"  {cat:<11} {orgs[cat]:>4} organisations {nums[cat]:>4} numbers", file=sys.stderr)
        print(f"  {'total':<11} {sum(orgs.values()):>4} organisations {sum(nums.values()):>4} numbers", file=sys.stderr)
        for line in omitted:
            print(f"  omitted: {line}", file=sys.stderr)
        for conflict in conflicts:
            print(f"  conflict: {conflict}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
