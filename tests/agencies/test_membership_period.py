"""The dates an agency joined and left the partnership: kept by the secretariat, and what every figure counts by."""

import datetime

from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from tests.factories import AgencyFactory

TODAY = timezone.localdate()


def _form(agency, **changes):
    data = {"name": agency.name, "sector": agency.sector, "membership_type": agency.membership_type}
    return {**data, **changes}


def test_a_new_agency_joins_the_partnership_the_day_it_is_added(secretariat, client_for):
    client_for(secretariat).post(
        reverse("agencies:create"), {"name": "Southfield Library", "sector": "library", "membership_type": "partner"}
    )
    agency = Agency.objects.get(name="Southfield Library")
    assert agency.joined_on == TODAY and agency.left_on is None
    assert agency in Agency.objects.current_members()


def test_secretariat_records_when_an_agency_joined_and_left(secretariat, agency_a, client_for):
    joined, left = datetime.date(2016, 4, 1), datetime.date(2024, 8, 31)
    response = client_for(secretariat).post(
        reverse("agencies:edit", args=[agency_a.pk]), _form(agency_a, joined_on=joined, left_on=left)
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert (agency_a.joined_on, agency_a.left_on) == (joined, left)
    page = client_for(secretariat).get(agency_a.get_absolute_url()).content.decode()
    assert "Since 1 April 2016, until 31 August 2024" in page
    assert agency_a in Agency.objects.members_during(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert agency_a in Agency.objects.members_as_of(left)  # a member up to and on the day it left
    assert agency_a not in Agency.objects.members_as_of(left + datetime.timedelta(days=1))
    assert agency_a not in Agency.objects.members_as_of(joined - datetime.timedelta(days=1))


def test_leaving_before_joining_is_refused_and_changes_nothing(secretariat, agency_a, client_for):
    before = agency_a.joined_on
    response = client_for(secretariat).post(
        reverse("agencies:edit", args=[agency_a.pk]),
        _form(agency_a, joined_on="2020-05-01", left_on="2019-05-01"),
    )
    assert response.status_code == 200
    assert "cannot be before the date it joined" in response.content.decode()
    agency_a.refresh_from_db()
    assert agency_a.joined_on == before and agency_a.left_on is None


def test_archiving_an_agency_records_that_it_left_and_restoring_brings_it_back(secretariat, agency_a, client_for):
    client = client_for(secretariat)
    client.post(reverse("agencies:archive", args=[agency_a.pk]))
    agency_a.refresh_from_db()
    assert agency_a.left_on == TODAY
    assert agency_a not in Agency.objects.current_members()
    client.post(reverse("agencies:archive", args=[agency_a.pk]), {"action": "restore"})
    agency_a.refresh_from_db()
    assert agency_a.left_on is None and agency_a in Agency.objects.current_members()


def test_restoring_keeps_a_leaving_date_the_secretariat_set(secretariat, client_for):
    agency = AgencyFactory(joined_on=datetime.date(2015, 1, 1), left_on=datetime.date(2020, 3, 31))
    client = client_for(secretariat)
    client.post(reverse("agencies:archive", args=[agency.pk]))
    client.post(reverse("agencies:archive", args=[agency.pk]), {"action": "restore"})
    agency.refresh_from_db()
    assert agency.left_on == datetime.date(2020, 3, 31) and not agency.is_archived


def test_the_champions_home_counts_only_todays_members(secretariat, client_for):
    AgencyFactory(joined_on=datetime.date(2015, 1, 1))
    AgencyFactory(joined_on=datetime.date(2015, 1, 1), left_on=datetime.date(2020, 1, 1))
    AgencyFactory(joined_on=TODAY + datetime.timedelta(days=30))  # joins next month
    page = client_for(secretariat).get(reverse("home")).content.decode()
    members = Agency.objects.current_members().count()
    assert members == 1
    assert f"1 of {members}</strong> active agencies have no current champion" in page
