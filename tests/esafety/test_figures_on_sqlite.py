"""Figures and lists kept in the cache are never stale on the embedded default either.

The demo as ``make run`` serves it (SQLite, the local-memory cache, the development server): a
status changed and an incident logged through the pages show on the next view of the lists and
figures that count them, as on PostgreSQL (tests/incidents/test_monitoring.py and others).
"""

import re

import pytest

from benchmark.scenarios import incident_pages
from tests.support.demo_server import DemoSession

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sqlite-demo")]


def _post_form(person: DemoSession, path: str, data: dict):
    """Submit the form at ``path`` as the person would (its CSRF token from the page), not following redirects."""
    page = person.http.get(f"{person.base_url}{path}", timeout=60)
    assert page.status_code == 200, (path, page.status_code)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    return person.http.post(
        f"{person.base_url}{path}",
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": f"{person.base_url}{path}"},
        allow_redirects=False,
        timeout=60,
    )


def _rag_counts(dashboard: str) -> dict[str, int]:
    """The dashboard's red, amber, green and blue counts for the whole plan."""
    row = dashboard[dashboard.index("All priorities") :]
    counts = re.findall(r'<td class="text-end">(\d+)</td>', row)[:4]
    return dict(zip(("red", "amber", "green", "blue"), map(int, counts), strict=True))


def test_a_status_change_shows_in_the_plan_table_and_dashboard_on_the_next_view(sqlite_demo):
    secretariat = DemoSession(sqlite_demo)
    secretariat.log_in("secretariat@example.org")
    board = DemoSession(sqlite_demo)
    board.log_in("board@example.org")
    plans = board.fetch("/action-plan/plans/").body.decode()
    plan = re.search(r'href="/action-plan/plans/(\d+)/"', plans)[1]
    table = board.fetch(f"/action-plan/plans/{plan}/table/").body.decode()
    action, status = re.search(
        r'<a href="/action-plan/actions/(\d+)/">[^<]*</a></th>(?:\s*<td>.*?</td>){5}\s*<td><span class="badge rag rag-(\w+)">',
        table,
        re.S,
    ).groups()
    new = "blue" if status != "blue" else "green"
    counts_before = _rag_counts(board.fetch(f"/action-plan/plans/{plan}/").body.decode())  # kept rendered too

    response = _post_form(secretariat, f"/action-plan/actions/{action}/status/", {"status": new, "reason": "Reviewed."})
    assert response.status_code == 302

    table = board.fetch(f"/action-plan/plans/{plan}/table/").body.decode()
    row = re.search(rf'<a href="/action-plan/actions/{action}/">.*?</tr>', table, re.S)[0]
    assert f"rag-{new}" in row
    counts_after = _rag_counts(board.fetch(f"/action-plan/plans/{plan}/").body.decode())
    assert counts_after[new] == counts_before[new] + 1 and counts_after[status] == counts_before[status] - 1


def test_an_incident_logged_counts_in_the_champion_s_list_on_the_next_view(sqlite_demo):
    champion = DemoSession(sqlite_demo)
    champion.log_in("champion@example.org")
    count = re.compile(r"<strong>(\d+)</strong> incidents?\.")
    before = int(count.search(champion.fetch("/incidents/").body.decode())[1])

    staff = DemoSession(sqlite_demo)
    staff.log_in("staff@example.org")
    start = staff.fetch("/incidents/new/").body.decode()
    agency = re.search(r'<option value="(\d+)"[^>]*>Northfield Academy</option>', start)[1]
    response = _post_form(staff, "/incidents/new/", {"agency": agency})
    incident = re.search(r"/incidents/(\d+)/", response.headers["Location"])[1]
    for page, data in incident_pages():
        response = _post_form(staff, f"/incidents/{incident}/report/{page}/", data)
        assert response.status_code == 302, page

    after = int(count.search(champion.fetch("/incidents/").body.decode())[1])
    assert after == before + 1
