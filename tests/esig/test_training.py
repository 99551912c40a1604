"""Training: events with attendance by agency, champions' training status and expiry, yearly totals."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from esig.models import Rules, TrainingAttendee, TrainingEvent, TrainingHeadcount
from esig.selectors import champions_training, training_status, training_totals, user_training
from tests.factories import NominationFactory, TrainingAttendeeFactory, TrainingEventFactory

pytestmark = pytest.mark.django_db


def _trained(user, agency, *, on, kind="eslo"):
    event = TrainingEventFactory(held_on=on, kind=kind)
    return TrainingAttendeeFactory(event=event, user=user, agency=agency)


def test_training_is_valid_up_to_and_including_the_last_day_of_the_refresh_period():
    rules = Rules.current()  # 36 months by default
    trained_on = datetime.date(2023, 3, 15)
    last_day = datetime.date(2026, 3, 15)
    assert training_status(trained_on, rules, today=last_day).is_trained is True
    expired = training_status(trained_on, rules, today=last_day + datetime.timedelta(days=1))
    assert expired.is_trained is False
    assert expired.words == "Training expired — it was valid until 15 March 2026"
    assert training_status(None, rules).words == "Not trained"


def test_a_shorter_refresh_period_set_by_the_secretariat_applies(champion_a, agency_a):
    rules = Rules.current()
    rules.training_valid_months = 12
    rules.save()
    today = timezone.localdate()
    _trained(champion_a, agency_a, on=today - relativedelta(months=13))
    assert user_training(champion_a).is_trained is False
    rules.training_valid_months = 24
    rules.save()
    assert user_training(champion_a).valid_until == today - relativedelta(months=13) + relativedelta(months=24)


def test_only_eslo_and_ceop_training_makes_a_champion_trained(champion_a, agency_a):
    today = timezone.localdate()
    _trained(champion_a, agency_a, on=today - datetime.timedelta(days=10), kind="awareness")
    assert user_training(champion_a).trained_on is None
    _trained(champion_a, agency_a, on=today - datetime.timedelta(days=400), kind="ceop")
    assert user_training(champion_a).trained_on == today - datetime.timedelta(days=400)


def test_the_latest_training_counts(champion_a, agency_a):
    today = timezone.localdate()
    _trained(champion_a, agency_a, on=today - datetime.timedelta(days=2000))
    _trained(champion_a, agency_a, on=today - datetime.timedelta(days=20))
    [nomination] = champions_training([agency_a.pk])
    assert nomination.training.is_trained and nomination.training.trained_on == today - datetime.timedelta(days=20)


def test_the_agency_page_shows_its_champions_training(champion_a, agency_a, staff_a, client_for):
    untrained = NominationFactory(agency=agency_a).user
    _trained(champion_a, agency_a, on=timezone.localdate() - datetime.timedelta(days=30))
    body = client_for(staff_a).get(agency_a.get_absolute_url()).content.decode()
    assert "Champions' e-safety training" in body
    assert champion_a.full_name in body and untrained.full_name in body
    assert "Not trained" in body and "valid until" in body


def test_a_champion_sees_when_their_training_expires_on_the_home_page(champion_a, agency_a, client_for):
    trained_on = timezone.localdate() - datetime.timedelta(days=100)
    _trained(champion_a, agency_a, on=trained_on)
    valid_until = trained_on + relativedelta(months=36)
    body = client_for(champion_a).get(reverse("home")).content.decode()
    assert f"Your training is valid until {valid_until.day} {valid_until:%B %Y}" in body


def test_totals_per_year_add_named_attendees_and_head_counts_by_audience(agency_a, agency_b):
    year = timezone.localdate().year - 1
    staff_event = TrainingEventFactory(held_on=datetime.date(year, 3, 1), audience="staff")
    TrainingAttendeeFactory.create_batch(3, event=staff_event, agency=agency_a)
    parents = TrainingEventFactory(held_on=datetime.date(year, 6, 1), audience="parents", kind="awareness")
    TrainingHeadcount.objects.create(event=parents, agency=agency_a, people=40)
    TrainingHeadcount.objects.create(event=parents, agency=agency_b, people=15)
    TrainingEventFactory(held_on=datetime.date(year, 7, 1), audience="parents", archived_at=timezone.now())
    other_year = TrainingEventFactory(held_on=datetime.date(year + 1, 1, 5))
    TrainingAttendeeFactory(event=other_year)
    rows = {r["audience"]: (r["named"], r["counted"], r["total"]) for r in training_totals(year)}
    assert rows == {
        "Staff and volunteers": (3, 0, 3),
        "Parents and carers": (0, 55, 55),
        "Children and young people": (0, 0, 0),
    }


TRAINING_WRITES = [
    "esig:training_create",
    "esig:training_edit",
    "esig:training_attendee_add",
    "esig:training_headcount_add",
]
TRAINING_READS = ["esig:training", "esig:training_event", "esig:champion_training"]


def _url(name, event):
    return (
        reverse(name)
        if name in ("esig:training", "esig:training_create", "esig:champion_training")
        else reverse(name, args=[event.pk])
    )


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b"])
@pytest.mark.parametrize("name", TRAINING_READS + TRAINING_WRITES)
def test_agency_people_cannot_open_the_training_records(personas, client_for, persona, name):
    assert client_for(personas[persona]).get(_url(name, TrainingEventFactory())).status_code == 403


@pytest.mark.parametrize("persona", ["board_member", "safeguarding_lead"])
@pytest.mark.parametrize("name", TRAINING_WRITES)
def test_read_only_roles_cannot_record_training(personas, client_for, persona, name, agency_a):
    event = TrainingEventFactory()
    client = client_for(personas[persona])
    assert client.get(_url(name, event)).status_code == 403
    assert client.post(_url(name, event), {"agency": agency_a.pk, "people": "5", "title": "X"}).status_code == 403
    assert TrainingEvent.objects.count() == 1 and not TrainingHeadcount.objects.exists()


@pytest.mark.parametrize("persona", ["board_member", "safeguarding_lead", "secretariat", "admin"])
@pytest.mark.parametrize("name", TRAINING_READS)
def test_partnership_roles_read_the_training_records(personas, client_for, persona, name):
    assert client_for(personas[persona]).get(_url(name, TrainingEventFactory())).status_code == 200


def test_secretariat_records_an_event_then_who_attended(secretariat, champion_a, agency_a, client_for):
    client = client_for(secretariat)
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        reverse("esig:training_create"),
        {
            "kind": "ceop",
            "title": "Thinkuknow ambassador course",
            "held_on": day.isoformat(),
            "provider": "CEOP",
            "audience": "staff",
        },
    )
    event = TrainingEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (
        client.post(
            reverse("esig:training_attendee_add", args=[event.pk]), {"agency": agency_a.pk, "user": champion_a.pk}
        ).status_code
        == 302
    )
    again = client.post(
        reverse("esig:training_attendee_add", args=[event.pk]), {"agency": agency_a.pk, "user": champion_a.pk}
    )
    assert "already recorded as attending" in again.content.decode()
    assert TrainingAttendee.objects.count() == 1
    assert (
        client.post(
            reverse("esig:training_headcount_add", args=[event.pk]), {"agency": agency_a.pk, "people": "12"}
        ).status_code
        == 302
    )
    assert user_training(champion_a).is_trained


def test_bad_training_input_saves_nothing(secretariat, agency_a, client_for):
    client = client_for(secretariat)
    response = client.post(reverse("esig:training_create"), {"kind": "party", "title": "", "held_on": "1999-01-01"})
    body = response.content.decode()
    assert "Nothing was saved" in body and "Select a valid choice" in body
    assert not TrainingEvent.objects.exists()
    event = TrainingEventFactory()
    response = client.post(
        reverse("esig:training_headcount_add", args=[event.pk]), {"agency": agency_a.pk, "people": "0"}
    )
    assert response.status_code == 200 and not TrainingHeadcount.objects.exists()


def test_the_training_list_uses_a_constant_number_of_queries(secretariat, client_for, django_assert_max_num_queries):
    # 9: session, user, the year's events with named and head-count subqueries, distinct years,
    # named totals by audience, head-count totals by audience, the session update in its savepoint (3)
    client = client_for(secretariat)
    TrainingAttendeeFactory.create_batch(2)
    with django_assert_max_num_queries(9):
        client.get(reverse("esig:training"))
    for _ in range(15):
        TrainingAttendeeFactory.create_batch(2, event=TrainingEventFactory())
    with django_assert_max_num_queries(9):
        assert client.get(reverse("esig:training")).status_code == 200


def test_champions_training_status_uses_a_constant_number_of_queries(
    secretariat, client_for, django_assert_max_num_queries
):
    # 7: session, user, rules, current champions with their latest training (one subquery),
    # the session update in its savepoint (3)
    client = client_for(secretariat)
    Rules.current()  # the row a migration makes (a transactional test earlier on the worker empties the tables)
    NominationFactory.create_batch(2)
    with django_assert_max_num_queries(7):
        client.get(reverse("esig:champion_training"))
    for nomination in NominationFactory.create_batch(25):
        TrainingAttendeeFactory(user=nomination.user, agency=nomination.agency)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("esig:champion_training")).status_code == 200
