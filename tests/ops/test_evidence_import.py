"""`verifier reports import`: outside evidence, kept apart, weighted by source, idempotent;
duplicates within a file said apart, a new weight applied and said, and a running server
showing the import within seconds."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.servers import run_cli, running_server

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


def test_rows_of_one_file_read_as_one_report_are_duplicates_not_already_imported(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    evidence = tmp_path / "evidence.csv"
    evidence.write_text("number,category,date,text\n"
                        "13912345678,refund_scam,2026-11-01,退款\n"
                        "+86 139 1234 5678,refund_scam,2026-11-01,退款\n"  # the same number, written otherwise
                        "139-1234-5678,refund_scam,2026-11-01,退款\n"
                        "13912345678,loan_scam,2026-11-01,退款\n", encoding="utf-8")  # another report
    first = run_cli("reports", "import", str(evidence), "--source", "partner", "--database", str(database))
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 already imported, 0 skipped, 2 duplicates within the file" in first.stdout
    assert "row 3 repeats row 2" in first.stderr and "row 4 repeats row 2" in first.stderr
    again = run_cli("reports", "import", str(evidence), "--source", "partner", "--database", str(database))
    assert "0 new, 2 already imported, 0 skipped, 2 duplicates within the file" in again.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM reports").fetchone() == (2,)


def test_importing_again_with_another_weight_changes_it_and_says_so(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    evidence = tmp_path / "police.csv"
    evidence.write_text("number,category,date\n13912345678,refund_scam,2026-11-01\n"
                        "13812345678,loan_scam,2026-11-02\n", encoding="utf-8")

    def imported(*weight: str) -> Any:
        result = run_cli("reports", "import", str(evidence), "--source", "police", *weight, "--database", str(database))
        assert result.returncode == 0, result.stderr
        return result

    def weights() -> list[float]:
        with sqlite3.connect(database) as db:
            return [row[0] for row in db.execute("SELECT source_weight FROM reports ORDER BY id")]

    assert "2 new" in imported("--weight", "0.5").stdout and weights() == [0.5, 0.5]
    heavier = imported("--weight", "3")
    assert "0 new, 2 already imported" in heavier.stdout
    assert "weight of source police changed from 0.5 to 3 for 2 reports imported before" in heavier.stdout
    assert weights() == [3.0, 3.0]
    assert "weight of source police unchanged (3) for 2 reports imported before" in imported("--weight", "3").stdout
    assert "2 reports imported before keep their weight (--weight changes it)" in imported().stdout
    assert weights() == [3.0, 3.0]
    capped = imported("--weight", "5")
    assert "counts like 3 voices at most (VERIFIER_IMPORTED_SOURCE_MAX_VOICES)" in capped.stdout
    assert weights() == [5.0, 5.0]  # stored as given: the setting decides what it counts for
    with sqlite3.connect(database) as db:
        audited = db.execute("SELECT actor, before, after FROM audit_log WHERE action = 'import.reweigh' ORDER BY id")
        assert [(actor, json.loads(before), json.loads(after)) for actor, before, after in audited] == [
            ("cli", {"weights": {"0.5": 2}}, {"weight": 3.0, "reports": 2}),
            ("cli", {"weights": {"3": 2}}, {"weight": 5.0, "reports": 2})]
    for bad in ("0", "-1", "10.5", "nan"):
        refused = run_cli("reports", "import", str(evidence), "--source", "police", "--weight", bad,
                          "--database", str(database))
        assert refused.returncode == 1 and "--weight is above 0 and at most 10" in refused.stderr, bad


def _verify(base: str, number: str) -> dict[str, Any]:
    query = urllib.parse.urlencode({"number": number, "lang": "en"})
    with urllib.request.urlopen(f"{base}/api/v1/verify?{query}", timeout=10) as response:
        return json.load(response)


def _until(base: str, number: str, wanted: Any, seconds: float = 15.0) -> dict[str, Any]:
    """The verify answer once `wanted(answer)` holds, asked every 0.1 s for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = _verify(base, number)
        if wanted(answer):
            return answer
        assert time.monotonic() < deadline, f"not seen within {seconds} s: {answer}"
        time.sleep(0.1)


def test_a_running_server_on_sqlite_shows_an_import_within_seconds(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    evidence = tmp_path / "12321.csv"
    evidence.write_text("number,category,date\n13912345678,account_security_scam,2026-11-20\n", encoding="utf-8")
    with running_server(database, env={"VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "100000"}) as base:
        before = _verify(base, "13912345678")
        assert before["verdict"] == "unknown" and before["reports"]["pending"] == 0
        official = _verify(base, "95588")
        assert official["verdict"] == "official"
        evidence.write_text(evidence.read_text(encoding="utf-8") + "95588,fake_customer_service,2026-11-20\n",
                            encoding="utf-8")
        imported = run_cli("reports", "import", str(evidence), "--source", "cn-12321", "--weight", "3",
                           "--database", str(database))
        assert "2 new" in imported.stdout, imported.stderr
        # a trusted source of weight 3 counts like 3 voices: suspicious on its own, no restart
        answer = _until(base, "13912345678", lambda a: a["reports"]["pending"] == 1)
        assert answer["verdict"] == "suspicious", answer["reasons"]
        assert answer["reports"]["distinct_reporters"] == 1 and "pending_reports" in [r["code"] for r in answer["reasons"]]
        spoofed = _until(base, "95588", lambda a: a["reports"]["pending"] == 1)
        assert spoofed["verdict"] == "official"  # an official number never moves
        assert "official_number_spoofed" in [r["code"] for r in spoofed["reasons"]]
        lighter = run_cli("reports", "import", str(evidence), "--source", "cn-12321", "--weight", "0.5",
                          "--database", str(database))
        assert "changed from 3 to 0.5 for 2 reports" in lighter.stdout, lighter.stderr
        answer = _until(base, "13912345678", lambda a: a["verdict"] != "suspicious")
        assert answer["verdict"] == "unknown" and answer["reports"]["weight"] <= 0.5
