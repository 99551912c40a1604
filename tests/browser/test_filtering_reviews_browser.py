"""In a real browser: a champion records a filtering and monitoring review; the board sees the reviews overdue."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from locations.models import AccessLocation, FilteringReview
from tests.factories import AccessLocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_champion_reviews_a_location_and_the_board_sees_what_is_overdue(
    page, log_in, screenshot, champion_a, agency_a, board_member
):
    library = AccessLocationFactory(agency=agency_a, name="Central Library public PCs")
    late = AccessLocationFactory(agency=agency_a, name="Mobile library Wi-Fi")
    AccessLocation.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))

    log_in(champion_a)
    page.get_by_role("navigation").get_by_role("link", name="Locations").click()
    page.get_by_role("link", name=agency_a.name).first.click()
    page.get_by_role("link", name="Record a review of Central Library public PCs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a filtering and monitoring review")
    page.get_by_label("Senior leader responsible").fill("Head of library services")
    page.get_by_label("Filtering provider and system").fill("County ICT web filter")
    for number, answer in ((1, "Met"), (2, "Met"), (3, "Partly met"), (4, "Met")):
        page.get_by_role("group", name=f"Standard {number}:").get_by_label(answer, exact=True).check()
    page.get_by_label("A filtering test").check()
    page.get_by_label("What needs to change").fill("Allow the curriculum site that was wrongly blocked.")
    screenshot("filtering-review-1-form")
    page.get_by_role("button", name="Record the review").click()

    expect(page.get_by_text("The review of Central Library public PCs is recorded")).to_be_visible()
    review = FilteringReview.objects.get()
    assert review.location == library and review.blocking_answer == "partly" and review.checks == ["filter_test"]
    expect(page.get_by_role("heading", name="Review of")).to_contain_text("3 of 4 standards met")
    screenshot("filtering-review-2-recorded")

    log_in(board_member)
    page.get_by_role("navigation").get_by_role("link", name="Locations").click()
    page.get_by_role("link", name="Filtering and monitoring reviews overdue across the partnership").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Filtering and monitoring reviews")
    row = page.get_by_role("row").filter(has_text="Mobile library Wi-Fi")
    expect(row).to_contain_text("Never reviewed: review overdue")
    expect(page.get_by_role("row").filter(has_text="Central Library public PCs")).to_have_count(0)
    screenshot("filtering-review-3-overdue")
