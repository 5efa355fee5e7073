"""`verifier reports import`: outside evidence, kept apart, weighted by source, idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.servers import run_cli

DATA = Path(__file__).resolve().parents[1] / "data"


def test_ftc_layout_imports_once_and_names_skipped_rows(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    first = run_cli("reports", "import", str(DATA / "ftc_dnc_sample.csv"), "--source", "ftc-dnc", "--weight", "0.3",
                    "--database", str(database))
    assert first.returncode == 0, first.stderr
    assert "(ftc-dnc) as source ftc-dnc: 3 new, 0 already imported, 1 skipped" in first.stdout
    assert "row 5: number" in first.stderr
    again = run_cli("reports", "import", str(DATA / "ftc_dnc_sample.csv"), "--source", "ftc-dnc",
                    "--database", str(database))
    assert "0 new, 3 already imported" in again.stdout
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT number_key, category, source, source_weight, status FROM reports ORDER BY id").fetchall()
    assert rows == [("+18664100458", "loan_scam", "ftc-dnc", 0.3, "pending"),
                    ("+16785050054", "impersonating_authority", "ftc-dnc", 0.3, "pending"),
                    ("+12125550199", "harassment_marketing", "ftc-dnc", 0.3, "pending")]


def test_generic_layout_and_the_same_rows_from_another_source_count_separately(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    evidence = tmp_path / "evidence.csv"
    evidence.write_text("number,category,date,text\n13912345678,refund_scam,2026-11-01,退款诈骗\n"
                        "13912345678,refund_scam,2026-11-02,again\n", encoding="utf-8")
    assert "2 new" in run_cli("reports", "import", str(evidence), "--source", "partner-a",
                              "--database", str(database)).stdout
    assert "2 new" in run_cli("reports", "import", str(evidence), "--source", "partner-b",
                              "--database", str(database)).stdout
    with sqlite3.connect(database) as db:
        voices = db.execute("SELECT source, COUNT(DISTINCT reporter_hash) FROM reports GROUP BY source").fetchall()
    assert voices == [("partner-a", 1), ("partner-b", 1)]  # one source, one voice


def test_imported_evidence_counts_with_its_weight_in_verify(tmp_path: Path) -> None:
    import asyncio

    from registry.backends import open_store
    from verifier.actions.verify import verify
    from verifier.state.service import Service

    database = tmp_path / "db.sqlite3"
    evidence = tmp_path / "evidence.csv"
    evidence.write_text("number,category,date\n13912345678,loan_scam,2099-01-01\n", encoding="utf-8")
    future = run_cli("reports", "import", str(evidence), "--source", "partner", "--database", str(database))
    assert "0 new" in future.stdout and "1 skipped" in future.stdout and "lies in the future" in future.stderr
    evidence.write_text("number,category,date\n13912345678,loan_scam,2026-11-20\n", encoding="utf-8")
    run_cli("reports", "import", str(evidence), "--source", "partner", "--weight", "0.5", "--database", str(database))

    async def check() -> None:
        service = Service(open_store(str(database)))
        await service.start()
        try:
            answer = verify(service.knowledge, "13912345678")
            assert answer.reports.pending >= 1 and answer.reports.distinct_reporters == 1
            assert 0 < answer.reports.weight <= 0.5
        finally:
            await service.stop()

    asyncio.run(check())


def test_bad_source_names_and_layouts_are_refused(tmp_path: Path) -> None:
    evidence = tmp_path / "x.csv"
    evidence.write_text("phone,when\n1,2\n", encoding="utf-8")
    assert run_cli("reports", "import", str(evidence), "--source", "user").returncode == 1
    result = run_cli("reports", "import", str(evidence), "--source", "ok", "--database", str(tmp_path / "d.sqlite3"))
    assert result.returncode == 1 and "unknown layout" in result.stderr
