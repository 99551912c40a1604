"""In Chromium, on the ``make run`` demo (SQLite, seed_demo): each role's first minutes, as a newcomer has them.

The champion opens the return due next and saves a section; a member of staff starts the guided
incident report; the secretariat opens the plan dashboard; the board member downloads the latest
annual report. Every page is the demo's own data, served as ``make run`` serves it.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.demo_server import DEMO_PASSWORD, demo_logins

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("sqlite-demo")]

LOGINS = demo_logins()


@pytest.fixture
def demo_page(browser, sqlite_demo):
    """A page of the make-run demo (the suite's other browser tests use the live test server)."""
    context = browser.new_context(base_url=sqlite_demo, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, role_starts: str):
    email = next(email for role, email in LOGINS.items() if role.startswith(role_starts))
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_champion_opens_the_return_due_next_and_saves_a_section(demo_page):
    page = demo_page
    log_in(page, "Champion")
    returns = page.locator("section", has=page.get_by_role("heading", name="E-safety audit returns to complete"))
    first = returns.get_by_role("link").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title.split(" for ")[-1])

    page.get_by_role("link", name=re.compile("^(Continue|Start) answering$")).click()
    section = page.get_by_role("heading", level=1).inner_text()
    question = page.locator(".question").first
    question.get_by_role("radio").first.check()
    question.get_by_role("textbox").fill("Policy approved by the trustees in September; minutes on the shared drive.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Your answers to '{section}' have been saved as a draft.")).to_be_visible()

    page.reload()
    question = page.locator(".question").first
    expect(question.get_by_role("radio").first).to_be_checked()
    expect(question.get_by_role("textbox")).to_have_value(
        "Policy approved by the trustees in September; minutes on the shared drive."
    )


def test_staff_start_the_guided_incident_report(demo_page):
    page = demo_page
    log_in(page, "Staff")
    page.get_by_role("link", name="Log an incident").click()
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("When and where")
    today = timezone.localdate()
    page.get_by_label("When did it happen?").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("When was it found or disclosed?").fill(today.isoformat())
    page.get_by_label("Where did it happen?").select_option(label="School or college")
    page.get_by_label("Which technology was used?").select_option(label="Mobile phone")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What happened")


def test_the_secretariat_opens_the_plan_dashboard(demo_page):
    page = demo_page
    log_in(page, "Board secretariat")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action plan", exact=True).click()
    table = page.get_by_role("table", name=re.compile("Number of actions per priority and status"))
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Red")).to_be_visible()
    expect(table.get_by_role("row")).not_to_have_count(1)


def test_the_board_member_downloads_the_latest_report(demo_page):
    page = demo_page
    log_in(page, "Board member")
    reports = page.locator("section", has=page.get_by_role("heading", name="Annual report to the Board"))
    expect(reports).to_contain_text("the copy presented to the Board")
    with page.expect_download() as download:
        reports.get_by_role("link", name="download the PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
