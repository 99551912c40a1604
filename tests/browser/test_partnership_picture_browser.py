"""In a real browser: a board member opens the partnership picture from the reports and looks at another year."""

import pytest
from playwright.sync_api import expect

from tests.reports.test_partnership_picture import YEAR, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_member_reads_the_partnership_picture(page, log_in, screenshot, board_member, secretariat):
    build(secretariat)
    log_in(board_member)
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="The partnership picture").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Three questions, {YEAR}")
    gaps = page.get_by_role("row").filter(has_text="Do you have an e-safety policy?").first
    # 3 gaps last year, 2 with an action (1 Red, 1 Green), 2 answered this year: 1 closed, 1 still a gap.
    expect(gaps).to_contain_text("1 / 0 / 1 / 0")
    expect(page.get_by_role("row").filter(has_text="Birch Library")).to_contain_text("<5")
    screenshot("picture-1")
    page.get_by_label("Year (gaps of the year before, answers of this year)").select_option(str(YEAR - 1))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Three questions, {YEAR - 1}")
    screenshot("picture-2-last-year")
