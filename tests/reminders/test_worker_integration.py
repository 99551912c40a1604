"""With a real Celery worker, the real Redis broker and a real SMTP server on loopback:
every due reminder is delivered exactly once, even when sweeps overlap or a worker dies."""

import os
import signal
import time

import pytest

from reminders.models import Reminder
from reminders.tasks import run_sweep
from tests.factories import AgencyFactory, ConfirmationRoundFactory, ListConfirmationFactory, NominationFactory
from tests.support.services import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]


def open_round_for(agency_count: int) -> int:
    """A confirmation round asking ``agency_count`` agencies: two recipients each."""
    confirmation_round = ConfirmationRoundFactory()
    for agency in AgencyFactory.create_batch(agency_count):
        NominationFactory(agency=agency)
        ListConfirmationFactory(round=confirmation_round, agency=agency)
    return agency_count * 2


def test_overlapping_sweeps_on_two_workers_deliver_each_reminder_once(smtp, broker, start_worker):
    catcher, _port = smtp
    expected = open_round_for(25)
    start_worker("w1", pool="prefork")
    start_worker("w2", pool="prefork")
    # Beat firing twice and a manual run at the same time: three sweeps at once.
    for _ in range(3):
        run_sweep.delay()
    wait_until(lambda: Reminder.objects.filter(status="sent").count() == expected)
    run_sweep.delay()  # and once more afterwards
    time.sleep(3)
    keys = catcher.keys()
    assert len(keys) == expected == Reminder.objects.count()
    assert set(keys.values()) == {1}, [k for k, n in keys.items() if n > 1]
    assert sum(keys.values()) == expected


def test_a_worker_killed_mid_sweep_and_restarted_loses_nothing_and_repeats_nothing(smtp, broker, start_worker):
    catcher, _port = smtp
    expected = open_round_for(15)
    catcher.stall_at = 6  # the sixth e-mail freezes at the mail server...
    worker = start_worker("w1")
    run_sweep.delay()
    assert catcher.stalled.wait(60)
    os.killpg(worker.pid, signal.SIGKILL)  # ...and the worker dies there, mid-sweep
    worker.wait(timeout=30)
    catcher.release.set()
    assert len(catcher.messages) == 5
    sent_before_restart = Reminder.objects.filter(status="sent").count()
    assert sent_before_restart == 5

    start_worker("w2")
    run_sweep.delay()  # the next scheduled sweep finds what is still unsent
    wait_until(lambda: Reminder.objects.filter(status="sent").count() == expected)
    time.sleep(3)
    keys = catcher.keys()
    assert len(keys) == expected and set(keys.values()) == {1}
