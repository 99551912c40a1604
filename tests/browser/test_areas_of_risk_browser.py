"""In a real browser: a reporter picks a category under its area of risk; the board reads the figures by area."""

import pytest
from playwright.sync_api import expect

from incidents import areas
from incidents.models import Incident
from tests.factories import IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_picks_a_commerce_category_and_the_board_sees_it_by_area(
    page, log_in, screenshot, staff_a, agency_a, board_member
):
    draft = IncidentFactory(agency=agency_a, reporter=staff_a, status="draft", step_reached="what", category="")
    log_in(staff_a)
    page.goto(f"/incidents/{draft.pk}/report/what/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What happened")
    # The categories are listed under the four areas of risk; the single "Other" is no longer offered.
    for area in ("Content", "Contact", "Conduct", "Commerce"):
        expect(page.locator("strong", has_text=area)).to_be_visible()
    expect(page.get_by_label("Other (reported before the areas of risk)")).to_have_count(0)
    page.get_by_label("Online gambling").check()
    page.get_by_label("What happened?").fill("Spending on a betting-style game.")
    screenshot("areas-1-category")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The flow chart questions")
    draft.refresh_from_db()
    assert draft.category == "gambling" and areas.area_label(draft.category) == "Commerce"

    IncidentFactory.create_batch(6, agency=agency_a, category="gambling")
    log_in(board_member)
    page.get_by_role("navigation").get_by_role("link", name="Incidents").click()
    areas_table = page.locator("section", has=page.get_by_role("heading", name="The four areas of risk"))
    commerce = areas_table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Commerce"))
    reported = Incident.objects.filter(category="gambling").exclude(status="draft").count()
    expect(commerce.get_by_role("cell").last).to_have_text(str(reported))
    page.get_by_role("link", name="what each area covers").click()
    expect(page.get_by_role("heading", name="What each area of risk covers")).to_be_visible()
    screenshot("areas-2-monitoring")
