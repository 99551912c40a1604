"""The portal served by gunicorn in a process of its own, as on a host of a hosted service, and a person
using it with an HTTP client through the real log-in form."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.services import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


class PortalServer:
    """gunicorn with the portal's own gunicorn.conf.py, started in an empty working directory with a
    private-files folder of its own: anything written to local disk stays on this "host"."""

    def __init__(self, name: str, base: Path, env: dict[str, str]):
        self.name = name
        self.workdir = base / name
        self.media = self.workdir / "private_media"
        self.workdir.mkdir(parents=True)
        self.port = free_port()
        self.log = self.workdir.parent / f"{name}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))},
            "PYTHONPATH": str(ROOT),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "PRIVATE_MEDIA_ROOT": str(self.media),
            **env,
        }
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "PortalServer":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "esafety.wsgi:application"],
            cwd=self.workdir,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

        def up():
            assert self.process.poll() is None, self.log.read_text()
            try:
                return requests.get(f"{self.url}/health/live/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(up, 90)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def files_on_disk(self) -> list[str]:
        """Every file this host wrote into its working directory (logs are kept beside it)."""
        return sorted(str(p.relative_to(self.workdir)) for p in self.workdir.rglob("*") if p.is_file())


class Person:
    """Someone with a browser's cookie jar: a load balancer may send each request to any server."""

    def __init__(self, email: str, password: str):
        self.email, self.password = email, password
        self.http = requests.Session()

    def log_in(self, server: PortalServer, code=None) -> None:
        form = self.http.get(f"{server.url}/login/", timeout=30)
        response = self.http.post(
            f"{server.url}/login/",
            data={"csrfmiddlewaretoken": csrf(form.text), "username": self.email, "password": self.password},
            timeout=30,
        )
        if "/account/two-factor/verify/" in response.url:
            response = self.http.post(
                response.url, data={"csrfmiddlewaretoken": csrf(response.text), "token": code()}, timeout=30
            )
        assert response.url.rstrip("/") == server.url, f"{self.email} was not logged in: {response.url}"

    def get(self, server: PortalServer, path: str, **kwargs) -> requests.Response:
        return self.http.get(f"{server.url}{path}", timeout=60, **kwargs)

    def post_form(self, server: PortalServer, form_path: str, action: str, data: dict, files=None):
        """Open the page with the form (for its CSRF token and hidden fields), then send it."""
        page = self.get(server, form_path)
        assert page.status_code == 200, page.status_code
        fields = {"csrfmiddlewaretoken": csrf(page.text), **hidden_fields(page.text), **data}
        return self.http.post(f"{server.url}{action}", data=fields, files=files, timeout=60, allow_redirects=False)


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = value.group(1).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return fields


def wait_for(condition, timeout=180, every=0.5):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)
