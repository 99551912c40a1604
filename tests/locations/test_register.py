"""Each agency keeps its register of internet access locations; the secretariat sees the partnership's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from locations.models import AccessLocation
from tests.factories import AccessLocationFactory, AgencyFactory, NominationFactory

pytestmark = pytest.mark.django_db

LOCATION = {
    "name": "Central Library public PCs",
    "address": "1 Market Square",
    "location_type": "library",
    "filtering": "on",
    "monitoring": "on",
    "responsible_person": "Library ICT manager",
    "last_checked_on": "2026-01-10",
    "notes": "Filtering by the county's provider.",
}


@pytest.fixture
def location_a(agency_a):
    return AccessLocationFactory(agency=agency_a, name="Northfield after-school club")


def _write_urls(agency, location):
    return [
        reverse("locations:create", args=[agency.pk]),
        reverse("locations:edit", args=[location.pk]),
        reverse("locations:archive", args=[location.pk]),
    ]


def _checked_url(location):
    return reverse("locations:checked", args=[location.pk])  # POST only


def test_a_champion_adds_a_location_to_their_agencys_register(champion_a, agency_a, client_for):
    response = client_for(champion_a).post(reverse("locations:create", args=[agency_a.pk]), LOCATION)
    assert response.status_code == 302 and response["Location"] == reverse("locations:agency", args=[agency_a.pk])
    location = AccessLocation.objects.get()
    assert location.agency == agency_a and location.filtering and location.monitoring and not location.age_filtering
    assert location.last_checked_on == datetime.date(2026, 1, 10) and location.created_by == champion_a


def test_the_secretariat_edits_any_agencys_register(secretariat, location_a, client_for):
    data = {**LOCATION, "name": "Renamed club", "seen_updated_at": location_a.updated_at.isoformat()}
    assert client_for(secretariat).post(reverse("locations:edit", args=[location_a.pk]), data).status_code == 302
    location_a.refresh_from_db()
    assert location_a.name == "Renamed club" and location_a.updated_by == secretariat


def test_a_champion_of_another_agency_gets_404_and_changes_nothing(champion_b, agency_a, location_a, client_for):
    client = client_for(champion_b)
    assert client.get(reverse("locations:agency", args=[agency_a.pk])).status_code == 404
    for url in _write_urls(agency_a, location_a):
        assert client.get(url).status_code == 404
        assert client.post(url, LOCATION).status_code == 404
    assert client.post(_checked_url(location_a)).status_code == 404
    location_a.refresh_from_db()
    assert location_a.name == "Northfield after-school club" and location_a.archived_at is None
    assert AccessLocation.objects.count() == 1


@pytest.mark.parametrize("persona", ["staff_a", "board_member", "safeguarding_lead"])
def test_staff_and_read_only_roles_read_but_cannot_change_the_register(
    personas, agency_a, location_a, client_for, persona
):
    client = client_for(personas[persona])
    body = client.get(reverse("locations:agency", args=[agency_a.pk])).content.decode()
    assert location_a.name in body and "Add a location" not in body
    for url in _write_urls(agency_a, location_a):
        assert client.get(url).status_code == 403
        assert client.post(url, LOCATION).status_code == 403
    assert client.post(_checked_url(location_a)).status_code == 403
    location_a.refresh_from_db()
    assert location_a.name == "Northfield after-school club" and location_a.archived_at is None
    assert AccessLocation.objects.count() == 1


def test_the_executive_lead_reads_but_does_not_keep_the_register(agency_a, location_a, client_for):
    client = client_for(agency_a.executive_lead)
    assert client.get(reverse("locations:agency", args=[agency_a.pk])).status_code == 200
    assert client.get(reverse("locations:edit", args=[location_a.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(agency_a, location_a, client_for):
    client = client_for(None)
    for url in [
        reverse("locations:list"),
        reverse("locations:agency", args=[agency_a.pk]),
        *_write_urls(agency_a, location_a),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
        response = client.post(url, LOCATION)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_bad_input_shows_messages_and_saves_nothing(champion_a, agency_a, client_for):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {**LOCATION, "name": "", "location_type": "pub", "last_checked_on": tomorrow}
    response = client_for(champion_a).post(reverse("locations:create", args=[agency_a.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in body
    assert "Select a valid choice" in body and "cannot be in the future" in body
    assert not AccessLocation.objects.exists()


def test_an_edit_made_over_someone_elses_newer_change_is_refused(champion_a, secretariat, location_a, client_for):
    seen = location_a.updated_at.isoformat()
    client_for(secretariat).post(
        reverse("locations:edit", args=[location_a.pk]),
        {**LOCATION, "name": "Secretariat's name", "seen_updated_at": seen},
    )
    response = client_for(champion_a).post(
        reverse("locations:edit", args=[location_a.pk]),
        {**LOCATION, "name": "Champion's name", "seen_updated_at": seen},
    )
    assert response.status_code == 200 and "Someone else changed this location" in response.content.decode()
    location_a.refresh_from_db()
    assert location_a.name == "Secretariat's name"


def test_archiving_keeps_the_record_and_takes_it_off_the_register(champion_a, agency_a, location_a, client_for):
    client = client_for(champion_a)
    assert client.get(reverse("locations:archive", args=[location_a.pk])).status_code == 200
    assert client.post(reverse("locations:archive", args=[location_a.pk])).status_code == 302
    location_a.refresh_from_db()
    assert location_a.archived_at is not None
    assert (
        f'id="location-{location_a.pk}"'
        not in client.get(reverse("locations:agency", args=[agency_a.pk])).content.decode()
    )
    assert client.get(reverse("locations:edit", args=[location_a.pk])).status_code == 404


def test_marking_a_location_checked_today(champion_a, agency_a, client_for):
    old = AccessLocationFactory(agency=agency_a, last_checked_on=None)
    client_for(champion_a).post(reverse("locations:checked", args=[old.pk]))
    old.refresh_from_db()
    assert old.last_checked_on == timezone.localdate()
    assert client_for(champion_a).get(reverse("locations:checked", args=[old.pk])).status_code == 405


def test_a_year_without_a_check_is_flagged_from_the_day_after(agency_a):
    today = timezone.localdate()
    on_time = AccessLocationFactory(agency=agency_a, last_checked_on=today - datetime.timedelta(days=365))
    late = AccessLocationFactory(agency=agency_a, last_checked_on=today - datetime.timedelta(days=366))
    never = AccessLocationFactory(agency=agency_a, last_checked_on=None)
    assert not on_time.is_check_overdue() and on_time.check_status == "Checked within the year"
    assert late.is_check_overdue() and late.check_status == "Not checked within a year"
    assert never.check_status == "Never checked"
    assert set(AccessLocation.objects.overdue()) == {late, never}


def test_the_secretariat_filters_the_partnership_register(secretariat, agency_a, agency_b, client_for):
    today = timezone.localdate()
    AccessLocationFactory(agency=agency_a, name="School library", location_type="library")
    AccessLocationFactory(agency=agency_b, name="Youth café", location_type="internet_cafe", filtering=False)
    AccessLocationFactory(
        agency=agency_b,
        name="Old youth club",
        location_type="youth_club",
        last_checked_on=today - datetime.timedelta(days=500),
    )
    client = client_for(secretariat)
    body = client.get(reverse("locations:list")).content.decode()
    assert "School library" in body and "Youth café" in body
    assert "1 location has not been checked within a year" in body and "Not checked within a year" in body
    only = lambda **q: client.get(reverse("locations:list"), q).content.decode()  # noqa: E731
    assert "School library" not in only(agency=agency_b.pk)
    assert "School library" not in only(sector="youth") and "Youth café" in only(sector="youth")
    assert "Youth café" in only(missing="filtering") and "Old youth club" not in only(missing="filtering")
    assert "Old youth club" in only(overdue="true") and "Youth café" not in only(overdue="true")
    assert "Youth café" in only(location_type="internet_cafe") and "Old youth club" not in only(
        location_type="internet_cafe"
    )


def test_a_champion_sees_only_their_own_agencies_in_the_list(champion_a, agency_a, agency_b, client_for):
    AccessLocationFactory(agency=agency_a, name="Our club")
    AccessLocationFactory(agency=agency_b, name="Their café")
    client = client_for(champion_a)
    body = client.get(reverse("locations:list")).content.decode()
    assert "Our club" in body and "Their café" not in body
    # filtering by another agency's id shows nothing of it
    assert client.get(reverse("locations:list"), {"agency": agency_b.pk}).status_code == 200
    assert "Their café" not in client.get(reverse("locations:list"), {"agency": agency_b.pk}).content.decode()


def test_the_agency_page_and_home_pages_show_the_register(champion_a, secretariat, agency_a, client_for):
    AccessLocationFactory(
        agency=agency_a, name="Overdue club", last_checked_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    assert "Overdue club" in client_for(champion_a).get(agency_a.get_absolute_url()).content.decode()
    home = client_for(champion_a).get(reverse("home")).content.decode()
    assert "Internet access locations due a check" in home and "Overdue club" in home
    assert "1 of 1 location not checked within a year" in client_for(secretariat).get(reverse("home")).content.decode()


def _fill(count):
    for i in range(count):
        agency = AgencyFactory()
        NominationFactory(agency=agency)
        AccessLocationFactory.create_batch(2, agency=agency, last_checked_on=None if i % 2 else timezone.localdate())


def test_the_partnership_register_uses_a_constant_number_of_queries(
    secretariat, client_for, django_assert_max_num_queries
):
    # 9: session, user, the overdue count, the agencies for the filter, the paginator's count, the page of
    # locations with their agencies (one join), the session update in its savepoint (3)
    client = client_for(secretariat)
    _fill(2)
    with django_assert_max_num_queries(9):
        client.get(reverse("locations:list"))
    _fill(20)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("locations:list")).status_code == 200


def test_an_agency_register_uses_a_constant_number_of_queries(
    champion_a, agency_a, client_for, django_assert_max_num_queries
):
    # 11: session, user, agency roles (3), the agency, its locations, the ESIG nav link's core-member check,
    # the session update in its savepoint (3)
    client = client_for(champion_a)
    AccessLocationFactory.create_batch(2, agency=agency_a)
    with django_assert_max_num_queries(11):
        client.get(reverse("locations:agency", args=[agency_a.pk]))
    AccessLocationFactory.create_batch(30, agency=agency_a)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("locations:agency", args=[agency_a.pk])).status_code == 200


def test_the_register_table_writes_each_header_cell_once_with_one_scope(secretariat, location_a, client_for):
    body = client_for(secretariat).get(reverse("locations:list")).content.decode()
    headers = [tag for tag in body.split("<th")[1:] if "</th>" in tag]
    assert headers and all(tag.split(">", 1)[0].count("scope=") <= 1 for tag in headers)
