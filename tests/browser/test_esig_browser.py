"""In a real browser: the secretariat schedules an ESIG meeting, records who came and sees it quorate;
a champion adds a location to their agency's register of internet access locations."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from esig.models import Attendance
from locations.models import AccessLocation
from tests.factories import NominationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_records_a_quorate_meeting(page, log_in, screenshot, secretariat, agency_a, agency_b):
    started = timezone.localdate() - datetime.timedelta(days=200)
    chair = NominationFactory(agency=agency_a, esig_membership="core", is_co_chair=True, started_on=started).user
    core = [NominationFactory(agency=agency_b, esig_membership="core", started_on=started).user for _ in range(3)]
    absent = NominationFactory(agency=agency_b, esig_membership="core", started_on=started).user

    log_in(secretariat)
    page.get_by_role("link", name="ESIG", exact=True).click()
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("ESIG autumn meeting")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Venue or link").fill("Civic Centre")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ESIG autumn meeting")
    expect(page.locator("#quorum")).to_contain_text("Attendance not recorded yet.")

    page.get_by_role("link", name="Record attendance").click()
    for person in [chair, *core]:
        page.get_by_label(person.full_name).select_option("present")
    page.get_by_label(absent.full_name).select_option("apologies")
    screenshot("esig-attendance")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#quorum")).to_contain_text("Quorate. 4 members present (4 needed), including a co-chair.")
    expect(page.get_by_role("row").filter(has_text=chair.full_name)).to_contain_text("Core member, co-chair")
    screenshot("esig-meeting-quorate")
    assert Attendance.objects.filter(status="present").count() == 4

    page.get_by_role("link", name=f"ESIG meetings {timezone.localdate().year}").click()
    expect(page.get_by_role("row").filter(has_text="ESIG autumn meeting")).to_contain_text("Quorate")
    screenshot("esig-year")


def test_champion_adds_a_location_to_their_register(page, log_in, screenshot, champion_a, agency_a):
    log_in(champion_a)
    page.get_by_role("link", name="Locations", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Internet access locations of my agencies")
    page.goto(f"/locations/agency/{agency_a.pk}/")
    page.get_by_role("link", name="Add a location").click()
    page.get_by_label("Location name").fill("After-school computer club")
    page.get_by_label("Type").select_option("other")
    page.get_by_label("Filtering in place").check()
    page.get_by_label("Responsible person").fill("Network manager")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row").filter(has_text="After-school computer club")
    expect(row).to_contain_text("No monitoring")
    expect(row).to_contain_text("Never checked")
    row.get_by_role("button", name="Checked today").click()
    expect(page.get_by_text("is recorded as checked today")).to_be_visible()
    screenshot("locations-agency-register")
    assert AccessLocation.objects.get().last_checked_on == timezone.localdate()
