"""What a newcomer runs is what the suite proves: the ``make run`` demo on SQLite, every demo login.

The demo is built and served by the same commands as ``make run`` (see tests/support/demo_server.py).
Each person the README lists logs in through the real form, then opens every page reachable from
the navigation and the home page, and one page of each kind linked from those: none may fail, send
them back to the log-in page, show template junk, or be invalid HTML (the Nu HTML Checker).
"""

import pytest

from tests.support.demo_server import DemoSession, demo_logins
from tests.support.html_check import html_errors
from tests.support.walk import junk_in, walk

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sqlite-demo")]

LOGINS = demo_logins()

# Pages every person has, whatever their role; the walk must reach more than these.
EVERYONE = {"home", "agencies:list", "audits:index", "actionplan:dashboard", "locations:list"}


def test_the_readme_lists_a_login_for_every_role():
    assert set(LOGINS) >= {
        "Board secretariat",
        "Board member",
        "Partnership safeguarding lead",
        "Administrator",
        "Staff (Northfield Academy)",
    }
    assert any(role.startswith("Champion") for role in LOGINS)


@pytest.mark.parametrize("role", LOGINS)
def test_each_demo_login_opens_every_page_it_can_reach(sqlite_demo, role, tmp_path):
    person = DemoSession(sqlite_demo)
    logged_in = person.log_in(LOGINS[role])
    assert logged_in.status_code == 200 and logged_in.url == f"{sqlite_demo}/", (
        f"{role} could not log in: ended on {logged_in.url} ({logged_in.status_code})"
    )

    visited = walk(person.fetch)

    problems = []
    for page in visited.pages:
        if page.status >= 500:
            problems.append(f"{page.path}: {page.status}")
        elif page.status != 200:
            problems.append(f"{page.path}: {page.status} for a link {visited.linked_from.get(page.path)} offered")
        elif page.final.startswith("/login/"):
            problems.append(f"{page.path}: sent back to the log-in page")
        elif page.is_html:
            problems.extend(f"{page.path}: {junk}" for junk in junk_in(page.text))
    assert not problems, f"{role} ({LOGINS[role]}):\n" + "\n".join(problems)
    invalid = html_errors([p for p in visited.html_pages() if not p.path.startswith("/admin/")], tmp_path)
    assert not invalid, f"{role}: {len(invalid)} HTML errors\n" + "\n".join(invalid)
    assert set(visited.kinds) >= EVERYONE
    assert len(visited.kinds) > len(EVERYONE) + 5, f"{role} reached only {sorted(visited.kinds)}"
