"""In a real browser: the secretariat publishes the open-data feed and anyone can then read it."""

import pytest
from playwright.sync_api import expect

from reports.models import OpenDataSwitch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_publishes_the_open_data_feed(page, log_in, screenshot, secretariat):
    log_in(secretariat)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Open-data feed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open-data feed of the incident figures")
    expect(page.get_by_text("not published", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Publish the feed").click()
    expect(page.get_by_text("The open-data feed is now published.")).to_be_visible()
    assert OpenDataSwitch.is_on()
    screenshot("open-data-1-published")

    page.context.clear_cookies()  # a member of the public
    page.goto("/open-data/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open data: e-safety incident figures")
    expect(page.get_by_role("rowheader", name="status")).to_be_visible()
    response = page.request.get("/open-data/v1/incident-figures.csv")
    assert response.status == 200 and response.text().startswith("feed_version,period_type,period")
    screenshot("open-data-2-documentation")
