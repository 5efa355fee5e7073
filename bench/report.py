"""Writes docs/performance.md from a run's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import cold_path, queue_flood, text_cost


def _paired(figures: dict[str, Any], key: str, value: str, baseline: str) -> float:
    """The run's ratio: the median of each round's own ratio (bench.run.paired); results from
    before rounds were paired hold only the medians."""
    return float(figures.get(key, figures[value] / figures[baseline]))


def _row(target: str, figure: str, baseline: str, ratio: str, goal: str, met: bool | None) -> str:
    state = "" if met is None else ("met" if met else "**missed**")
    return f"| {target} | {figure} | {baseline} | {ratio} | {goal} | {state} |"


def write_report(results: dict[str, Any], path: Path) -> None:
    v, b, r, m = results["verify"], results["batch"], results["reports"], results["machine"]
    rows = [
        _row("1. `GET /api/v1/verify`, realistic mix", f"{v['rps']:,.0f} req/s (p50 {v['p50_ms']:.2f} ms, "
             f"p99 {v['p99_ms']:.2f} ms)", f"hello world {v['hello_rps']:,.0f} req/s (p50 {v['hello_p50_ms']:.2f} ms, "
             f"p99 {v['hello_p99_ms']:.2f} ms)", f"{_paired(v, 'ratio', 'rps', 'hello_rps'):.2f}×", "≥ 0.5×",
             _paired(v, "ratio", "rps", "hello_rps") >= 0.5),
        _row("   same, every number new (no reuse)", f"{v['cold_rps']:,.0f} req/s (p50 {v['cold_p50_ms']:.2f} ms, "
             f"p99 {v['cold_p99_ms']:.2f} ms)", "hello world", f"{_paired(v, 'cold_ratio', 'cold_rps', 'hello_rps'):.2f}×", "reported", None),
        _row("   reference: plain phonenumbers + pydantic handler", f"{v['plain_parse_rps']:,.0f} req/s", "hello world",
             f"{_paired(v, 'plain_ratio', 'plain_parse_rps', 'hello_rps'):.2f}×", "reported", None),
        _row("2. `POST /api/v1/verify/batch`, 1,000 numbers (repeated lists, answered from the cache)", f"{b['numbers_per_s']:,.0f} numbers/s",
             f"bare `phonenumbers.parse` + validity {b['bare_numbers_per_s']:,.0f} numbers/s",
             f"{_paired(b, 'ratio', 'numbers_per_s', 'bare_numbers_per_s'):.2f}×", "≥ 0.6×",
             _paired(b, "ratio", "numbers_per_s", "bare_numbers_per_s") >= 0.6),
    ]
    if "large" in results:
        big = results["large"]
        rows += [
            _row("3. verify mix with 100,000 official numbers and 1,000,000 reports", f"{big['rps']:,.0f} req/s "
                 f"(p99 {big['p99_ms']:.2f} ms)", f"shipped default store {big['default_rps']:,.0f} req/s",
                 f"{_paired(big, 'ratio', 'rps', 'default_rps'):.2f}×", "≥ 0.9×",
                 _paired(big, "ratio", "rps", "default_rps") >= 0.9),
            _row("   resident memory, large store", f"{big['rss_mb']:,.0f} MB", "", "", "< 1,024 MB",
                 big["rss_mb"] < 1024),
            _row("5. start-up to ready, large store (from the snapshot)", f"{big['startup_s']:.2f} s", "", "",
                 "aim < 3 s", big["startup_s"] < 3),
            _row("   first start (every row; writes the snapshot at shutdown)",
                 f"{big.get('startup_first_s', big['startup_s']):.2f} s", "", "", "reported", None),
        ]
    rows.append(_row("4. `POST /api/v1/reports`, durably committed", f"{r['rps']:,.0f} req/s (p50 {r['p50_ms']:.2f} ms,"
                     f" p99 {r['p99_ms']:.2f} ms)", f"hello world {r['hello_rps']:,.0f} req/s",
                     f"{_paired(r, 'ratio', 'rps', 'hello_rps'):.2f}×", "≥ 0.2×",
                     _paired(r, "ratio", "rps", "hello_rps") >= 0.2))
    if "queue" in results:  # 7. bench/queue_flood.py
        rows += queue_flood.rows(results["queue"], _row)
    if "cold_path" in results:  # 8. bench/cold_path.py
        rows += cold_path.rows(results["cold_path"], _row)
    template = (Path(__file__).with_name("performance_template.md")).read_text(encoding="utf-8")
    path.write_text(template.format(
        text_cost=text_cost.section(results.get("text_cost")),
        table="\n".join(rows), cpu=m["cpu"], database=m.get("database", "SQLite"), cores=m["cores"], python=m["python"], kernel=m["kernel"], date=m["date"],
    ), encoding="utf-8")
