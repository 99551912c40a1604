"""The portal exactly as ``make run`` serves it: embedded SQLite, demo data, tasks in-process, DEBUG on.

The ``sqlite_demo`` fixture runs the same three commands as ``make run`` (migrate, seed_demo,
runserver) in a child process whose environment holds none of the test settings, on a SQLite file
of its own and a free port, and gives the server's address. Tests that use it are grouped on one
pytest-xdist worker (``xdist_group("sqlite-demo")``) so the demo is built once.
"""

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.services import ROOT, free_port
from tests.support.walk import Page

DEMO_PASSWORD = "Exampleshire-demo-2026"


def demo_logins() -> dict[str, str]:
    """The demo logins the README lists, by role: the walk follows the README, not our own fixtures."""
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| ([^|]+?) \| `([^`]+@example\.org)` \|$", readme, re.M)
    assert rows, "README.md lists no demo logins"
    return dict(rows)


def _environment(database: Path, media: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "TEST_", "CELERY_", "REDIS_", "PYTEST_"))
    }
    # The embedded default's engine on a file of this run's own, so a developer's db.sqlite3 is left alone.
    env.update(DATABASE_URL=f"sqlite:///{database}", PRIVATE_MEDIA_ROOT=str(media), PYTHONUNBUFFERED="1")
    return env


@contextlib.contextmanager
def served(home: Path, env: dict[str, str]):
    """``runserver`` on a free port over the database ``env`` names, until the block ends; gives its address."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    port = free_port()
    log = open(home / "runserver.log", "w")  # noqa: SIM115 - closed when the server stops
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if requests.get(f"{url}/health/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (home / "runserver.log").read_text()
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory):
    """The base URL of a ``make run`` demo on SQLite."""
    home = tmp_path_factory.mktemp("sqlite-demo")
    env = _environment(home / "db.sqlite3", home / "private_media")
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    with served(home, env) as url:
        yield url


class DemoSession:
    """A person using the demo through the real log-in form, with requests."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()

    def log_in(self, email: str, password: str = DEMO_PASSWORD) -> requests.Response:
        form = self.http.get(f"{self.base_url}/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.http.post(
            f"{self.base_url}/login/",
            data={"csrfmiddlewaretoken": token, "username": email, "password": password},
            headers={"Referer": f"{self.base_url}/login/"},
            timeout=30,
        )

    def fetch(self, path: str) -> Page:
        response = self.http.get(f"{self.base_url}{path}", timeout=120, allow_redirects=True)
        final = response.url.removeprefix(self.base_url)
        return Page(path, response.status_code, response.headers.get("Content-Type", ""), response.content, final)
