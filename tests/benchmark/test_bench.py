"""``manage.py bench`` runs end to end on a database of its own: it seeds it, serves the portal with
gunicorn, drives it with Locust as each role and reports every figure its budgets need.

Here it runs on the small demo data set for a few seconds per page, so its speed figures are not
judged: the budgets are checked when it runs on the large data set (see the README).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from benchmark.management.commands.bench import server_environment

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy")]
ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "home: champion",
    "home: staff",
    "home: secretariat",
    "home: board",
    "home: safeguarding_lead",
    "home: admin",
    "agency list",
    "champions list",
    "audit collation",
    "incident list",
    "incident monitoring",
    "action-plan dashboard",
    "action-plan table",
    "report list",
}
WRITES = {
    "incident: start",
    "incident: when",
    "incident: what",
    "incident: questions",
    "incident: people",
    "incident: review",
    "audit: save a section",
}


@pytest.fixture
def bench_database():
    name = f"test_bench_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    admin = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_the_benchmark_measures_every_main_page_the_report_the_sweep_and_an_import_preview(bench_database, tmp_path):
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench",
            "--scale=demo",
            f"--database-url={bench_database}",
            "--seconds=1",
            "--write-seconds=10",
            f"--output={output}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode in (0, 1) and output.exists(), result.stderr[-3000:]
    figures = json.loads(output.read_text())
    assert figures["rows"]["agencies"] >= 20 and figures["rows"]["incidents"] > 0

    assert set(figures["pages"]) == PAGES
    for name, page in figures["pages"].items():
        assert page["queries"] > 0, name
        for clients in ("one_client", "eight_clients"):
            assert page[clients]["requests"] > 0 and page[clients]["failures"] == 0, (name, clients)
            assert page["admin"][clients]["requests"] > 0 and page["admin"][clients]["failures"] == 0, name
        assert page["admin"]["url"].startswith("/bench/admin/")
        assert page["ratio_to_admin_p95"] > 0 and page["ratio_to_floor_p95"] > 0
    assert figures["floor"]["requests"] > 0 and figures["floor"]["failures"] == 0
    # Every home page is "/": each role's queries are counted as that person's, not the last one's.
    assert figures["pages"]["home: staff"]["queries"] < figures["pages"]["home: secretariat"]["queries"]

    # Each step of logging an incident, and saving audit answers, by eight people at once.
    assert set(figures["writes"]) >= WRITES
    for name, write in figures["writes"].items():
        assert write["requests"] > 0 and write["failures"] == 0, name

    report = figures["annual_report"]
    assert report["pages"] > 5 and report["total_seconds"] > report["layout_seconds"] * 0.5
    assert report["peak_memory_mb"] > 0
    # The sweep runs a week on, when the weekly chasers fall due again: it records real reminders.
    sweep = figures["reminder_sweep"]
    assert sweep["queries"] <= 25 and sweep["due"] > 0
    # The secretariat previews a plan spreadsheet of the import's limit; nothing is imported.
    preview = figures["import_preview"]
    assert preview["rows"] == 2000 and preview["runs"] == 5
    assert 0 < preview["median_seconds"] <= preview["max_seconds"]
    assert "import preview of 2,000 rows" in result.stdout
    with psycopg2.connect(bench_database) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM imports_pendingimport")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM actionplan_action WHERE action = 'Action 1999'")
        assert cursor.fetchone()[0] == 0
    db.close()

    # Every budget is listed with its figure, and the exit status says whether all were met.
    assert len(figures["budgets"]) == 4 * len(PAGES) + 2 * len(figures["writes"]) + 6
    assert figures["all_budgets_met"] == all(check["ok"] for check in figures["budgets"])
    assert (result.returncode == 0) == figures["all_budgets_met"]
    assert "budgets met" in result.stdout


def test_the_benchmark_collects_static_files_apart_from_the_checkouts_own():
    environment = server_environment("postgres://postgres@127.0.0.1:5432/esafety_bench")
    assert Path(environment["STATIC_ROOT"]) != ROOT / "staticfiles"
    assert environment["STATIC_ROOT"].endswith("esafety-bench-static-esafety_bench")
