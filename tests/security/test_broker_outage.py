"""With Redis down, people's work still saves; the notifications go out once it is back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import QueuedTask
from reminders.outbox import queued_tasks_flush
from tests.factories import NominationFactory
from tests.support.services import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]


def test_opening_a_round_while_redis_is_down_succeeds_and_the_emails_follow(
    throwaway_redis, smtp, start_worker, secretariat, client_for, agency_a, agency_b
):
    catcher, _port = smtp
    NominationFactory(agency=agency_a)
    NominationFactory(agency=agency_b)
    start_worker("w1", broker_url=throwaway_redis.url)
    throwaway_redis.stop()

    response = client_for(secretariat).post(
        reverse("champions:round_create"),
        {"year": timezone.localdate().year, "due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()},
    )
    assert response.status_code == 302  # the secretariat's work is saved and they see no error
    assert QueuedTask.objects.count() == 1 and catcher.messages == []

    throwaway_redis.start()  # Redis comes back; the beat job sends what was kept
    wait_until(lambda: queued_tasks_flush() == 1 or not QueuedTask.objects.exists(), 60)
    wait_until(lambda: len(catcher.messages) == 4, 90)  # a champion and an executive lead per agency
    assert not QueuedTask.objects.exists()
    assert sorted(m["To"] for m in catcher.messages) == sorted(
        [agency_a.executive_lead.email, agency_b.executive_lead.email]
        + [n.user.email for n in (agency_a.nominations.get(), agency_b.nominations.get())]
    )
