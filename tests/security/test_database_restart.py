"""A PostgreSQL restart while the portal is serving costs at most the requests made while it is down."""

import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.services import ThrowawayPostgres, free_port, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres():
    server = ThrowawayPostgres()
    server.pg_ctl("start")
    yield server
    server.remove()


def get(port, path="/health/"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def test_the_portal_carries_on_after_a_database_restart(postgres, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "esafety.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": postgres.url,
        "CONN_MAX_AGE": "600",  # long-lived connections, as in production: the restart breaks them
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "esafety.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: get(port) == 200, 60)
        before = [get(port) for _ in range(20)]
        assert before == [200] * 20

        postgres.pg_ctl("restart", "-m", "fast")
        # Right after the restart every request succeeds again: stale connections are checked and replaced.
        after = [get(port) for _ in range(40)]
        assert after == [200] * 40, after

        postgres.pg_ctl("stop", "-m", "fast")
        down = [get(port) for _ in range(5)]
        assert set(down) == {503}  # a clear answer while the database is away, never a crash
        postgres.pg_ctl("start")
        time.sleep(0.5)
        assert [get(port) for _ in range(20)] == [200] * 20
    finally:
        server.terminate()
        server.wait(timeout=30)
