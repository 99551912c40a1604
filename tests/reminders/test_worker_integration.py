"""With a real Celery worker, the real Redis broker and a real SMTP server on loopback:
every due reminder is delivered exactly once, even when sweeps overlap or a worker dies."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from esafety.celery import app as celery_app
from reminders.models import Reminder
from reminders.tasks import run_sweep
from tests.factories import AgencyFactory, ConfirmationRoundFactory, ListConfirmationFactory, NominationFactory

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("celery"), pytest.mark.django_db(transaction=True)]

BROKER = "redis://127.0.0.1:6379/13"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Catcher:
    """An SMTP server that keeps every message; it can hold one recipient step to freeze a sender."""

    def __init__(self):
        self.messages = []
        self.stall_at = None  # hold the n-th RCPT until released
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._rcpts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._rcpts += 1
        if self.stall_at is not None and self._rcpts == self.stall_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def keys(self) -> Counter:
        return Counter(m["X-Reminder-Key"] for m in self.messages)


@pytest.fixture
def smtp():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield catcher, controller.port
    catcher.release.set()
    controller.stop()


@pytest.fixture
def broker():
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = BROKER  # the producer pool is made on first use, after this
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved


@pytest.fixture
def start_worker(smtp, broker, tmp_path):
    """Start `celery worker` processes against this test's database, broker and SMTP server."""
    _catcher, port = smtp
    workers = []

    def start(name="w1", pool="solo"):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "esafety.settings_test",
            "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "TEST_REDIS_URL": BROKER,
            "TEST_CELERY_EAGER": "false",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "esafety",
                "worker",
                "-P",
                pool,
                "-n",
                f"{name}@%h",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "worker did not start"
            time.sleep(0.2)
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def wait_until(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def open_round_for(agency_count: int) -> int:
    """A confirmation round asking ``agency_count`` agencies: two recipients each."""
    confirmation_round = ConfirmationRoundFactory()
    for agency in AgencyFactory.create_batch(agency_count):
        NominationFactory(agency=agency)
        ListConfirmationFactory(round=confirmation_round, agency=agency)
    return agency_count * 2


def test_overlapping_sweeps_on_two_workers_deliver_each_reminder_once(smtp, start_worker):
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


def test_a_worker_killed_mid_sweep_and_restarted_loses_nothing_and_repeats_nothing(smtp, start_worker):
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
