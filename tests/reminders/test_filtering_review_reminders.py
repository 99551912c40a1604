"""Champions are reminded of their locations' yearly filtering and monitoring review; once late, the secretariat too."""

import datetime

import pytest

from champions.models import Nomination
from locations import services as location_services
from locations.standards import STANDARD_FIELDS
from reminders import services
from tests.factories import AccessLocationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def long_standing_champion(champion_a):
    Nomination.objects.filter(user=champion_a).update(started_on=D(2020, 1, 1))


def sweep(today):
    for pk in services.reminders_sweep(today=today, codes=["filtering-review-due"]):
        services.reminder_deliver(reminder_id=pk)


def review(location, by, reviewed_on):
    return location_services.filtering_review_record(
        location=location,
        by=by,
        reviewed_on=reviewed_on,
        senior_leader="Centre manager",
        filtering_provider="County ICT web filter",
        next_review_due=reviewed_on + datetime.timedelta(days=365),
        **dict.fromkeys(STANDARD_FIELDS, "met"),
    )


def test_champions_are_reminded_before_the_review_is_due_and_chased_after_with_the_secretariat(
    agency_a, champion_a, secretariat, mailoutbox
):
    location = AccessLocationFactory(agency=agency_a, name="Eastside youth centre")
    reviewed = D(2025, 12, 1)
    review(location, secretariat, reviewed)
    due = reviewed + datetime.timedelta(days=365)
    for offset in range(-40, 50):
        sweep(due + datetime.timedelta(days=offset))
    assert [m.to for m in mailoutbox] == [[champion_a.email]] * 4
    subjects = [m.subject for m in mailoutbox]
    assert subjects[0].startswith("Coming up") and subjects[1].startswith("Coming up")  # 30 and 7 days before
    assert subjects[2].startswith("Overdue") and subjects[3].startswith("Overdue")  # the day after, 4 weeks on
    assert f"due {due:%-d %B %Y}" in subjects[0] and "Eastside youth centre" in subjects[0]
    assert mailoutbox[0].cc == [] and mailoutbox[2].cc == [secretariat.email]
    assert f"/locations/{location.pk}/reviews/new/" in mailoutbox[0].body


def test_a_new_review_starts_the_reminders_afresh(agency_a, champion_a, secretariat, mailoutbox):
    location = AccessLocationFactory(agency=agency_a)
    review(location, secretariat, D(2025, 1, 10))
    sweep(D(2026, 1, 1))  # 9 days before: the 30-day reminder
    review(location, secretariat, D(2026, 1, 5))
    sweep(D(2026, 1, 11))  # the old due date has passed, but the new review is in date
    assert len(mailoutbox) == 1


def test_archived_locations_are_not_reminded(agency_a, champion_a, secretariat, mailoutbox):
    location = AccessLocationFactory(agency=agency_a)
    review(location, secretariat, D(2025, 1, 10))
    location_services.location_archive(location=location, by=secretariat)
    sweep(D(2026, 1, 9))
    assert mailoutbox == []


def test_the_rule_uses_a_fixed_number_of_queries(agency_a, champion_a, secretariat, django_assert_max_num_queries):
    services.rules_ensure()
    services.reminders_sweep(today=D(2026, 1, 1), codes=["filtering-review-due"])  # the rule's row is read once
    for _ in range(2):
        review(AccessLocationFactory(agency=agency_a), secretariat, D(2025, 1, 10))
    with django_assert_max_num_queries(12) as few:
        services.reminders_sweep(today=D(2026, 1, 15), codes=["filtering-review-due"])  # overdue: secretariat read
    for _ in range(15):
        review(AccessLocationFactory(agency=agency_a), secretariat, D(2025, 1, 12))
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.reminders_sweep(today=D(2026, 1, 20), codes=["filtering-review-due"])
