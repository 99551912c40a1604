"""Real services for integration tests: an SMTP server on loopback, Celery workers, throwaway Redis."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from esafety.celery import app as celery_app

SHARED_BROKER = "redis://127.0.0.1:6379/13"
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=180):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


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


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, which the test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ),
            20,
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class ThrowawayPostgres:
    """A cluster of the test's own (initdb in a temporary folder), run as the postgres user."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.as_postgres([PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres"])

    def as_postgres(self, command):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True, capture_output=True)

    def pg_ctl(self, *args):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w", "-l", self.dir / "log", *args])

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self):
        self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def use_broker(url: str) -> None:
    """Point this test process's Celery producer at ``url`` and stop running tasks in-process."""
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    # Forget the connections made for another broker (kombu keeps its pools per broker address).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def declare_default_queue() -> None:
    """Bind the task queue now: Redis drops a message sent before any worker or producer declared it."""
    with celery_app.connection_for_write() as connection:
        for queue in celery_app.amqp.queues.values():
            queue(connection.default_channel).declare()


@pytest.fixture
def smtp():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield catcher, controller.port
    catcher.release.set()
    controller.stop()


@pytest.fixture
def broker(settings):
    """The shared Redis (a database of its own, emptied), for tests that send tasks to a worker."""
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    use_broker(SHARED_BROKER)
    declare_default_queue()
    yield SHARED_BROKER
    use_broker(saved[1])
    celery_app.conf.task_always_eager = saved[0]


@pytest.fixture
def throwaway_redis(settings):
    server = ThrowawayRedis()
    server.start()
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    use_broker(server.url)
    declare_default_queue()
    yield server
    server.stop()
    use_broker(saved[1])
    celery_app.conf.task_always_eager = saved[0]


@pytest.fixture
def start_worker(smtp, tmp_path):
    """Start `celery worker` processes against this test's database, a broker and the SMTP server."""
    _catcher, port = smtp
    workers = []

    def start(name="w1", pool="solo", broker_url=SHARED_BROKER, extra_env=None, cwd=ROOT):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "esafety.settings_test",
            "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "TEST_REDIS_URL": broker_url,
            "TEST_CELERY_EAGER": "false",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "PYTHONPATH": str(ROOT),
            **(extra_env or {}),
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
            cwd=cwd,
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
