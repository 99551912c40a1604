"""A partnership upgrading from the version before keeps a portal that answers and reports that add up.

``demo-6b9479f.sqlite3.gz`` is the ``make run`` database of the version before (commit 6b9479f), made
once with that version's code (``migrate`` then ``seed_demo`` on 7 December 2026): twenty agencies typed
into the register that day, with audit cycles, returns, incidents and meetings of 2025 and 2026. The
suite migrates a copy to the current code exactly as an upgrade does (``manage.py migrate``, on SQLite),
then checks that the 2025 report reconciles, counting in the partnership every agency asked to return an
audit, and that each demo login still opens every page it can reach. Its data is fixed, so it holds
whatever day the suite runs on.
"""

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reports.reconcile import pdf_text
from tests.support.demo_server import DemoSession, _environment, demo_logins, served
from tests.support.services import ROOT
from tests.support.walk import junk_in, walk

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sqlite-upgrade")]

PREVIOUS_DEMO = Path(__file__).parent / "demo-6b9479f.sqlite3.gz"
REPORT_YEAR = 2025  # the demo's "last year": it was made in December 2026
AGENCIES = 20
LOGINS = demo_logins()


class Upgraded:
    def __init__(self, home: Path):
        self.home = home
        self.env = _environment(home / "db.sqlite3", home / "private_media")
        self.url = ""

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The version before's demo database, migrated to the current code, served as ``make run`` serves it."""
    demo = Upgraded(tmp_path_factory.mktemp("upgraded-demo"))
    with gzip.open(PREVIOUS_DEMO) as packed, open(demo.home / "db.sqlite3", "wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    demo.migrated = demo.manage("migrate", "--noinput")
    with served(demo.home, demo.env) as url:
        demo.url = url
        yield demo


def test_the_upgrade_dates_every_agency_from_the_evidence_and_leaves_nothing_to_fix(upgraded):
    assert "Applying agencies.0005_joining_dates_from_the_evidence... OK" in upgraded.migrated
    # Run again after the upgrade, the secretariat's command finds every date already right.
    assert "nothing to change" in upgraded.manage("agency_joining_dates")
    # Each change is on the agency's history, as the secretariat sees it.
    secretariat = DemoSession(upgraded.url)
    secretariat.log_in(LOGINS["Board secretariat"])
    log = secretariat.fetch("/audit-trail/?action=membership_dates").text
    assert log.count("Joined the partnership on") == AGENCIES, log
    assert "(was 7 December 2026)" in log
    # The version before's events and the upgrade's own are one unbroken hash chain.
    assert "The audit trail is whole" in upgraded.manage("verify_trail")


def test_last_years_report_counts_in_the_partnership_every_agency_asked_for_an_audit(upgraded):
    # Every figure of the report adds up against the upgraded database (the suite's own reconciliation).
    upgraded.manage("shell", "-c", f"from tests.reports.reconcile import check_report; check_report({REPORT_YEAR})")
    pdf = upgraded.home / "report.pdf"
    upgraded.manage("annual_report", "--year", str(REPORT_YEAR), "--output", str(pdf))
    lines = pdf_text(pdf.read_bytes())
    text = " ".join(lines)
    assert "No agency was a member" not in text
    # The key figure, as the PDF reads.
    [members] = [int(m.group(1)) for line in lines if (m := re.fullmatch(r"Agencies in the partnership (\d+)", line))]
    asked = re.findall(r"(\d+) agencies were asked to return the (.+?) by ", text)
    assert len(asked) == 2, asked  # the checklist and the maturity review
    for count, audit in asked:
        assert members >= int(count), (audit, members, count)
    assert members == AGENCIES
    assert f"{AGENCIES} agencies took part in the partnership in {REPORT_YEAR}" in text
    # The preview has nothing to warn the secretariat of.
    secretariat = DemoSession(upgraded.url)
    secretariat.log_in(LOGINS["Board secretariat"])
    preview = secretariat.fetch(f"/reports/preview/{REPORT_YEAR}/")
    assert preview.status == 200 and "outside the partnership" not in preview.text


@pytest.mark.parametrize("role", LOGINS)
def test_each_login_of_the_previous_demo_opens_every_page_it_can_reach(upgraded, role):
    person = DemoSession(upgraded.url)
    logged_in = person.log_in(LOGINS[role])
    assert logged_in.status_code == 200 and logged_in.url == f"{upgraded.url}/", f"{role} could not log in"
    visited = walk(person.fetch)
    problems = []
    for page in visited.pages:
        if page.status != 200:
            problems.append(f"{page.path}: {page.status} (linked from {visited.linked_from.get(page.path)})")
        elif page.final.startswith("/login/"):
            problems.append(f"{page.path}: sent back to the log-in page")
        elif page.is_html:
            problems.extend(f"{page.path}: {junk}" for junk in junk_in(page.text))
    assert not problems, f"{role}:\n" + "\n".join(problems)
    assert len(visited.kinds) > 10, f"{role} reached only {sorted(visited.kinds)}"
