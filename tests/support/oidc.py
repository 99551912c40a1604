"""A real OpenID Connect provider for the sign-in tests: tests/support/oidc_server.mjs (npm `oidc-provider`).

One provider process per test session, on a free loopback port, with two clients of the portal — one for
Northfield School (north.test addresses) and one for Southgate Police (south.test) — and a client of another
application. Its people are below; their login is their subject id at the provider.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass

import pytest
import requests

from tests.support.services import ROOT

SCRIPT = ROOT / "tests" / "support" / "oidc_server.mjs"
SECRETS = {"portal-north": "north-client-secret", "portal-south": "south-client-secret", "another-app": "x" * 24}

PEOPLE = [
    {"login": "ann", "email": "ann.teacher@north.test", "name": "Ann Teacher"},
    {"login": "ann-again", "email": "ann.teacher@north.test", "name": "Ann Teacher"},  # same address, new subject
    {"login": "newcomer", "email": "new.teacher@north.test", "name": "Nia Newcomer"},
    {"login": "lead", "email": "lead@north.test", "name": "Lee Lead"},
    {"login": "lead-mfa", "email": "lead@north.test", "name": "Lee Lead", "mfa": True},
    {"login": "unverified", "email": "una@north.test", "email_verified": False},
    {"login": "stranger", "email": "someone@elsewhere.test"},
    {"login": "other-client", "email": "ann.teacher@north.test", "tamper": {"aud": "another-app"}},
    {"login": "stale", "email": "ann.teacher@north.test", "tamper": {"expired": True}},
    {"login": "wrong-nonce", "email": "ann.teacher@north.test", "tamper": {"nonce": "not-the-one-sent"}},
    {"login": "sam", "email": "sam.officer@south.test", "name": "Sam Officer"},
    {"login": "leaver", "email": "lou.leaver@south.test", "disabled": True},
]


@dataclass
class TestProvider:
    issuer: str

    def portal_settings(self) -> list[dict]:
        """``settings.SIGN_IN_PROVIDERS`` naming this server twice, once per agency's client."""
        return [
            {
                "slug": "northfield",
                "name": "Northfield Trust",
                "issuer": self.issuer,
                "client_id": "portal-north",
                "client_secret": SECRETS["portal-north"],
            },
            {
                "slug": "southgate",
                "name": "Southgate Police",
                "issuer": self.issuer,
                "client_id": "portal-south",
                "client_secret": SECRETS["portal-south"],
            },
        ]


@pytest.fixture(scope="session")
def oidc_server():
    node = shutil.which("node")
    assert node, "node is needed for the OpenID Connect provider of the tests"
    config = {
        "clients": [{"client_id": client, "client_secret": secret} for client, secret in SECRETS.items()],
        "redirect_prefixes": ["http://testserver/sign-in/callback/", "http://localhost:", "http://127.0.0.1:"],
        "users": PEOPLE,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(config, file)
    # Its warnings go to a file: a pipe nobody reads would stop the server once full.
    errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [node, str(SCRIPT), file.name], cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            errors.seek(0)
            raise AssertionError(f"the test provider did not start: {line}{errors.read()}")
        yield TestProvider(issuer=line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors.close()
        os.unlink(file.name)


def through_provider(location: str, login: str) -> str:
    """Follow the portal's redirect to the provider, sign in there as ``login``; the URL it sends back."""
    browser = requests.Session()
    response = browser.get(location, allow_redirects=False, timeout=10)
    while response.status_code in (302, 303) and not _back_at_portal(response.headers["Location"]):
        response = browser.get(urllib.parse.urljoin(location, response.headers["Location"]), allow_redirects=False)
    action = re.search(r'action="([^"]+)"', response.text).group(1)
    response = browser.post(urllib.parse.urljoin(location, action), data={"login": login}, allow_redirects=False)
    while not _back_at_portal(response.headers["Location"]):
        response = browser.get(urllib.parse.urljoin(location, response.headers["Location"]), allow_redirects=False)
    return response.headers["Location"]


def _back_at_portal(url: str) -> bool:
    return "/sign-in/callback/" in url


def sign_in(client, slug: str, login: str, next_url: str = ""):
    """The whole round trip with Django's test client: portal → provider → portal. Returns (response, callback)."""
    start = client.get(f"/sign-in/{slug}/" + (f"?next={urllib.parse.quote(next_url)}" if next_url else ""))
    assert start.status_code == 302, start
    callback = through_provider(start["Location"], login)
    parts = urllib.parse.urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}"), f"{parts.path}?{parts.query}"
