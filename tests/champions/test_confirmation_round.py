"""The annual 'please confirm your champions list' round."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from champions.models import ConfirmationRound, ListConfirmation, Nomination
from tests.factories import AgencyFactory, ConfirmationRoundFactory, ListConfirmationFactory

pytestmark = pytest.mark.django_db


def _open_round(client, **extra):
    due = (timezone.localdate() + datetime.timedelta(days=28)).isoformat()
    data = {"year": timezone.localdate().year, "due_on": due, "message": "Thank you all.", **extra}
    return client.post(reverse("champions:round_create"), data)


def test_secretariat_opens_the_round_and_every_agency_is_asked(
    secretariat, agency_a, agency_b, champion_a, champion_b, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    AgencyFactory(archived_at=timezone.now())  # archived agencies are not asked
    with django_capture_on_commit_callbacks(execute=True):
        response = _open_round(client_for(secretariat))
    confirmation_round = ConfirmationRound.objects.get()
    assert response.status_code == 302 and response.url == confirmation_round.get_absolute_url()
    assert set(confirmation_round.confirmations.values_list("agency__name", flat=True)) == {
        agency_a.name,
        agency_b.name,
    }
    # One e-mail to each champion and executive lead, with a link to their agency's list.
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted(
        [champion_a.email, agency_a.executive_lead.email, champion_b.email, agency_b.executive_lead.email]
    )
    message = next(m for m in mailoutbox if champion_a.email in m.to)
    confirmation = ListConfirmation.objects.get(agency=agency_a)
    assert confirmation.get_absolute_url() in message.body
    assert "Thank you all." in message.body
    assert message.alternatives and "Check and confirm" in message.alternatives[0][0]


def test_the_same_year_cannot_be_opened_twice(secretariat, agency_a, client_for):
    client = client_for(secretariat)
    _open_round(client)
    response = _open_round(client)
    assert response.status_code == 200 and "already been opened" in response.content.decode()
    assert ConfirmationRound.objects.count() == 1


def test_bad_round_form_saves_nothing(secretariat, client_for):
    response = _open_round(client_for(secretariat), year="abc", due_on="2001-01-01")
    assert response.status_code == 200
    assert ConfirmationRound.objects.count() == 0


def test_champion_confirms_the_list_unchanged(champion_a, agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    client = client_for(champion_a)
    page = client.get(confirmation.get_absolute_url()).content.decode()
    assert champion_a.full_name in page
    client.post(confirmation.get_absolute_url(), {"note": "All correct"})
    confirmation.refresh_from_db()
    assert confirmation.status == "confirmed" and confirmation.responded_by == champion_a
    assert confirmation.note == "All correct"


def test_correcting_the_list_during_the_round_is_recorded_as_a_correction(champion_a, agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    nomination = Nomination.objects.get(user=champion_a)
    client = client_for(champion_a)
    response = client.post(
        reverse("champions:nomination_edit", args=[nomination.pk]),
        {
            "full_name": champion_a.full_name,
            "job_title": "Deputy head",
            "phone": "01632 960999",
            "title": "ESLO",
            "started_on": nomination.started_on.isoformat(),
            "esig_membership": "associate",
            "next": confirmation.get_absolute_url(),
        },
    )
    assert response.url == confirmation.get_absolute_url()
    client.post(confirmation.get_absolute_url(), {"note": ""})
    confirmation.refresh_from_db()
    champion_a.refresh_from_db()
    assert confirmation.status == "corrected" and champion_a.phone == "01632 960999"


def test_executive_lead_can_confirm_for_their_agency(agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    client_for(agency_a.executive_lead).post(confirmation.get_absolute_url(), {})
    confirmation.refresh_from_db()
    assert confirmation.status == "confirmed" and confirmation.responded_by == agency_a.executive_lead


def test_a_confirmed_list_cannot_be_confirmed_again(champion_a, agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    client = client_for(champion_a)
    client.post(confirmation.get_absolute_url(), {"note": "first"})
    response = client.post(confirmation.get_absolute_url(), {"note": "second"}, follow=True)
    assert "already been confirmed" in response.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.note == "first"


def test_other_agency_champion_gets_404_and_staff_403(champion_b, staff_a, agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    assert client_for(champion_b).get(confirmation.get_absolute_url()).status_code == 404
    assert client_for(champion_b).post(confirmation.get_absolute_url(), {}).status_code == 404
    assert client_for(staff_a).post(confirmation.get_absolute_url(), {}).status_code == 403
    confirmation.refresh_from_db()
    assert confirmation.is_pending


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_secretariat_runs_rounds(personas, client_for, persona):
    confirmation_round = ConfirmationRoundFactory()
    client = client_for(personas[persona])
    assert client.get(reverse("champions:round_list")).status_code == 403
    assert client.get(confirmation_round.get_absolute_url()).status_code == 403
    assert _open_round(client, year=confirmation_round.year + 1).status_code == 403
    assert ConfirmationRound.objects.count() == 1


def test_secretariat_sees_who_has_confirmed(
    secretariat, champion_a, agency_a, agency_b, client_for, django_assert_max_num_queries
):
    confirmation_round = ConfirmationRoundFactory()
    ListConfirmationFactory(
        round=confirmation_round,
        agency=agency_a,
        status="confirmed",
        responded_by=champion_a,
        responded_at=timezone.now(),
    )
    ListConfirmationFactory(round=confirmation_round, agency=agency_b)
    for _ in range(20):
        ListConfirmationFactory(round=confirmation_round)
    client = client_for(secretariat)
    # session and user (2), round, row count, status counts, page of rows with agency and responder,
    # and the session renewed, as on the first page after logging in (3)
    with django_assert_max_num_queries(9):
        body = client.get(confirmation_round.get_absolute_url()).content.decode()
    assert "1 of 22" in body and champion_a.full_name in body and "Awaiting confirmation" in body


def test_champion_home_page_lists_the_confirmation_to_do(champion_a, agency_a, client_for):
    confirmation = ListConfirmationFactory(agency=agency_a)
    body = client_for(champion_a).get(reverse("home")).content.decode()
    assert confirmation.get_absolute_url() in body and "Confirm the champions of Northfield Academy" in body
