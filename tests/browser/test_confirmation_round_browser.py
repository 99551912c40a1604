"""In a real browser: the secretariat asks for confirmations, a champion corrects and confirms."""

import pytest
from playwright.sync_api import expect

from champions.models import ListConfirmation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_champions_confirmation_round_end_to_end(page, log_in, screenshot, secretariat, champion_a, agency_a, agency_b):
    # The secretariat opens this year's round.
    log_in(secretariat)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Champions list confirmation").click()
    page.get_by_role("link", name="Open this year's round").click()
    page.get_by_label("Message").fill("Please check phone numbers especially.")
    page.get_by_role("button", name="Open the round and send the requests").click()
    expect(page.get_by_text("0 of 2", exact=False)).to_be_visible()
    screenshot("confirmation-round-opened")

    # The champion finds the request on their home page, corrects their phone number and confirms.
    log_in(champion_a)
    page.get_by_role("link", name="Confirm the champions of Northfield Academy").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Champions of Northfield Academy")
    page.get_by_role("link", name=f"Correct {champion_a.full_name}").click()
    page.get_by_label("Telephone").fill("01632 960123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="01632 960123")).to_be_visible()
    page.get_by_label("Anything the secretariat should know").fill("Phone number updated.")
    screenshot("confirmation-champion")
    page.get_by_role("button", name="Confirm this list is correct").click()
    expect(page.get_by_text("Confirmed with corrections by")).to_be_visible()

    # The secretariat sees who has confirmed.
    log_in(secretariat)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Champions list confirmation").click()
    page.get_by_role("link", name=str(ListConfirmation.objects.get(agency=agency_a).round.year)).click()
    expect(page.get_by_text("1 of 2", exact=False)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=agency_a.name)
    expect(row).to_contain_text("Confirmed with corrections")
    expect(row).to_contain_text(champion_a.full_name)
    expect(page.get_by_role("row").filter(has_text=agency_b.name)).to_contain_text("Awaiting confirmation")
    screenshot("confirmation-round-progress")
