"""The secretariat and each agency's own champions keep its list of champions."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.models import Action, ActivityEvent
from agencies.models import Sector
from champions.models import Nomination
from tests.factories import AgencyFactory, NominationFactory

pytestmark = pytest.mark.django_db

NOMINATION = {
    "full_name": "Aisha Khan",
    "email": "aisha.khan@example.org",
    "job_title": "Designated safeguarding lead",
    "phone": "01632 960001",
    "title": "ESLO",
    "nominated_by": "Rachel Owen",
    "started_on": "2026-09-01",
    "esig_membership": "core",
    "is_co_chair": "on",
}


def test_secretariat_nominates_a_new_champion_who_is_invited(
    secretariat, agency_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(reverse("champions:nominate", args=[agency_a.pk]), NOMINATION)
    assert response.status_code == 302
    nomination = Nomination.objects.get(agency=agency_a, user__email="aisha.khan@example.org")
    assert nomination.title == "ESLO" and nomination.esig_membership == "core" and nomination.is_co_chair
    assert nomination.user.phone == "01632 960001"
    assert mailoutbox[0].to == ["aisha.khan@example.org"]


def test_nominating_the_same_person_twice_is_refused(secretariat, agency_a, champion_a, client_for):
    data = {**NOMINATION, "email": champion_a.email}
    response = client_for(secretariat).post(reverse("champions:nominate", args=[agency_a.pk]), data)
    assert response.status_code == 200
    assert "already a champion" in response.content.decode()
    assert Nomination.objects.filter(agency=agency_a).count() == 1


def test_bad_nomination_shows_messages_and_saves_nothing(secretariat, agency_a, client_for):
    data = {**NOMINATION, "email": "nope", "started_on": "31/02/2026", "esig_membership": "boss"}
    response = client_for(secretariat).post(reverse("champions:nominate", args=[agency_a.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in body
    assert "Enter a valid email address" in body and "Enter a valid date" in body
    assert not Nomination.objects.filter(agency=agency_a).exists()


def test_champion_of_another_agency_gets_404_on_nominations(champion_b, agency_a, champion_a, client_for):
    client = client_for(champion_b)
    nomination = Nomination.objects.get(user=champion_a)
    assert client.get(reverse("champions:nominate", args=[agency_a.pk])).status_code == 404
    assert client.get(reverse("champions:nomination_edit", args=[nomination.pk])).status_code == 404
    assert (
        client.post(reverse("champions:nomination_end", args=[nomination.pk]), {"ended_on": "2026-01-01"}).status_code
        == 404
    )
    nomination.refresh_from_db()
    assert nomination.ended_on is None


@pytest.mark.parametrize("persona", ["staff_a", "board_member", "safeguarding_lead"])
def test_people_who_do_not_answer_for_the_agency_cannot_change_champions(personas, agency_a, client_for, persona):
    client = client_for(personas[persona])
    nomination = Nomination.objects.get(user=personas["champion_a"])
    assert client.get(reverse("champions:nominate", args=[agency_a.pk])).status_code == 403
    assert (
        client.post(reverse("champions:nomination_edit", args=[nomination.pk]), {"full_name": "X"}).status_code == 403
    )


def test_ending_a_nomination_keeps_the_record(champion_a, client_for):
    nomination = Nomination.objects.get(user=champion_a)
    today = timezone.localdate()
    response = client_for(champion_a).post(
        reverse("champions:nomination_end", args=[nomination.pk]), {"ended_on": today.isoformat(), "reason": "Retiring"}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.ended_on == today and nomination.end_reason == "Retiring"
    tomorrow = today + datetime.timedelta(days=1)
    assert not Nomination.objects.current(on=tomorrow).filter(pk=nomination.pk).exists()


def test_a_nomination_cannot_end_before_it_started(champion_a, client_for):
    nomination = Nomination.objects.get(user=champion_a)
    before = (nomination.started_on - datetime.timedelta(days=1)).isoformat()
    response = client_for(champion_a).post(
        reverse("champions:nomination_end", args=[nomination.pk]), {"ended_on": before}
    )
    assert response.status_code == 200 and "cannot end before it started" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.ended_on is None


def test_champion_list_shows_coverage_gaps(secretariat, agency_a, agency_b, champion_a, client_for):
    body = client_for(secretariat).get(reverse("champions:list")).content.decode()
    assert "1 active agency has no current champion" in body
    assert agency_b.name in body and champion_a.full_name in body


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b"])
def test_agency_people_cannot_see_the_partnership_champion_list(personas, client_for, persona):
    assert client_for(personas[persona]).get(reverse("champions:list")).status_code == 403


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_secretariat_downloads_the_contact_list(personas, client_for, persona):
    assert client_for(personas[persona]).get(reverse("champions:csv")).status_code == 403


def test_secretariat_downloads_the_champions_contact_list_as_csv(secretariat, champion_a, agency_a, client_for):
    ended = NominationFactory(agency=agency_a, ended_on=timezone.localdate() - datetime.timedelta(days=1))
    NominationFactory(agency=agency_a, user__full_name="=HYPERLINK(1)")
    response = client_for(secretariat).get(reverse("champions:csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Agency", "Sector", "Name"]
    names = [r[2] for r in rows[1:]]
    assert champion_a.full_name in names and ended.user.full_name not in names
    assert "'=HYPERLINK(1)" in names  # no formula reaches a spreadsheet


def test_the_contact_list_holds_the_champions_the_filtered_list_shows(secretariat, client_for):
    school = NominationFactory(agency__sector=Sector.EDUCATION, user__full_name="Sam Teacher")
    police = NominationFactory(agency__sector=Sector.POLICE, user__full_name="Pat Police")
    client = client_for(secretariat)
    listed = client.get(reverse("champions:list"), {"sector": Sector.EDUCATION}).content.decode()
    assert school.user.full_name in listed and police.user.full_name not in listed
    response = client.get(reverse("champions:csv"), {"sector": Sector.EDUCATION})
    names = [row[2] for row in list(csv.reader(io.StringIO(response.content.decode())))[1:]]
    assert names == ["Sam Teacher"]


def test_a_contact_list_asked_for_with_a_bad_filter_is_refused_with_the_reason(secretariat, client_for):
    NominationFactory()
    client = client_for(secretariat)
    response = client.get(reverse("champions:csv"), {"sector": "not-a-sector"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("champions:list"))
    page = response.content.decode()
    assert "The contact list was not downloaded" in page and "Select a valid choice" in page
    assert not ActivityEvent.objects.filter(action=Action.EXPORTED).exists()


def test_champion_list_uses_a_constant_number_of_queries(secretariat, client_for, django_assert_max_num_queries):
    client = client_for(secretariat)
    NominationFactory.create_batch(2)
    with django_assert_max_num_queries(9):  # with the figure versions the rendered list is kept under
        client.get(reverse("champions:list"))
    NominationFactory.create_batch(30)
    AgencyFactory.create_batch(10)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("champions:list")).status_code == 200
    with django_assert_max_num_queries(3):  # asked again, unchanged: session, user, figure versions
        assert client.get(reverse("champions:list")).status_code == 200


def test_the_coverage_box_names_the_first_agencies_without_a_champion_and_links_the_rest(
    secretariat, client_for, monkeypatch
):
    from champions import home, views

    monkeypatch.setattr(views, "UNCOVERED_SHOWN", 2)
    monkeypatch.setattr(home, "UNCOVERED_ON_HOME", 2)
    for name in ("Alpha School", "Beta Club", "Gamma Centre"):
        AgencyFactory(name=name)
    NominationFactory(agency__name="Delta Library")
    client = client_for(secretariat)
    for page in (client.get(reverse("champions:list")), client.get(reverse("home"))):
        body = page.content.decode()
        assert "Alpha School" in body and "Beta Club" in body and "Gamma Centre" not in body
        assert "and 1 more" in body and f"{reverse('agencies:list')}?champion=without" in body
    assert "3 active agencies have no current champion" in client.get(reverse("champions:list")).content.decode()
    assert "<strong>3 of 4</strong> active agencies" in client.get(reverse("home")).content.decode()


def test_the_champion_list_comes_in_pages_that_keep_the_filter_and_tell_the_whole_number(
    secretariat, client_for, monkeypatch
):
    from champions import views

    monkeypatch.setattr(views, "CHAMPIONS_PER_PAGE", 2)
    for n in range(5):
        NominationFactory(agency__name=f"Library {n}", agency__sector="library", user__full_name=f"Reader {n}")
    NominationFactory(agency__name="Northfield Academy", user__full_name="Teacher One")
    client = client_for(secretariat)

    body = client.get(reverse("champions:list"), {"sector": "library", "page": 2}).content.decode()
    assert "Showing 3–4 of <strong>5</strong> current champions" in body
    assert "Reader 2" in body and "Reader 3" in body and "Reader 0" not in body and "Teacher One" not in body
    assert "?sector=library&amp;page=3" in body and "?sector=library&amp;page=1" in body  # next and previous

    # Sorting by a column heading keeps the filter and starts again from the first page.
    assert 'href="?sector=library&amp;sort=name"' in body
    body = client.get(reverse("champions:list"), {"sector": "library", "sort": "-name"}).content.decode()
    assert body.index("Reader 4") < body.index("Reader 3") and "Reader 1" not in body
    assert 'aria-sort="descending"' in body


def test_the_champion_list_ignores_an_unknown_sort(secretariat, champion_a, client_for):
    response = client_for(secretariat).get(reverse("champions:list"), {"sort": "user__password"})
    assert response.status_code == 200 and champion_a.full_name in response.content.decode()


def test_the_champion_list_shows_a_new_champion_and_a_changed_telephone_on_the_next_view(
    secretariat, admin_user, agency_a, agency_b, champion_a, client_for
):
    """The list is kept rendered between views; a nomination through the portal or a person's details
    changed in the admin site reach it at once."""
    client = client_for(secretariat)
    assert "Zed Newcomer" not in client.get(reverse("champions:list")).content.decode()

    response = client.post(
        reverse("champions:nominate", args=[agency_b.pk]),
        {
            "full_name": "Zed Newcomer",
            "email": "zed@example.org",
            "title": "ESLO",
            "esig_membership": "core",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert "Zed Newcomer" in client.get(reverse("champions:list")).content.decode()

    admin = client_for(admin_user)
    change = reverse("admin:accounts_user_change", args=[champion_a.pk])
    form = admin.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"phone": "01632 960123", "groups": [], "user_permissions": [], "last_login_0": "", "last_login_1": ""})
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"
    assert admin.post(change, data).status_code == 302
    assert "01632 960123" in client.get(reverse("champions:list")).content.decode()
