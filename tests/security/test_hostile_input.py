"""Hostile and malformed input to every form and import: never a server error, a clear message, nothing saved.

For each URL that takes a POST, the test logs in as a role allowed to use it (from the
authorisation table), reads the field names off the page's form, and posts values hypothesis
draws from nasty strings: HTML and script, SQL-ish text, unicode edge cases, huge numbers, bad
dates, very long text, and files of the wrong kind. A request that is refused must say why and
must not have changed a single row.
"""

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import logged_in_client
from tests.security.authorisation_table import EXPECTED
from tests.security.test_authorisation_matrix import PERSONAS, World, all_url_names, url_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE agencies_agency; --",
    "1 OR 1=1",
    "\u202e\u0000\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧 ﷽",
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "2026-02-30",
    "31/13/2026",
    "0000-00-00",
    "",
    " ",
    "x" * 20000,
    "../../etc/passwd",
    '=HYPERLINK("http://evil.invalid")',
]
PROJECT_APPS = {
    "accounts",
    "agencies",
    "champions",
    "audits",
    "incidents",
    "actionplan",
    "reports",
    "reminders",
    "activity",
}
ERROR_MARKERS = ("errorlist", "invalid-feedback", "alert-danger", "is-invalid", "Nothing was saved")
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"[^>]*>', re.I)
FILE_FIELD = re.compile(r'<input[^>]*type="file"[^>]*name="([^"]+)"|<input[^>]*name="([^"]+)"[^>]*type="file"', re.I)

values = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=300), st.integers(min_value=-(10**30), max_value=10**30).map(str)
)
files = st.one_of(
    st.binary(max_size=2000).map(lambda b: SimpleUploadedFile("upload.csv", b, content_type="text/csv")),
    st.sampled_from(NASTY).map(lambda s: SimpleUploadedFile("evil.yaml", s.encode(), content_type="text/yaml")),
    st.just(SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")),
)


def allowed_persona(name: str) -> str | None:
    """A role the table lets POST to this URL (so the form is really processed)."""
    post = EXPECTED[name][1].split()
    for persona in ("secretariat", "champion_a", "staff_a", "safeguarding_lead", "admin"):
        if post[PERSONAS.index(persona)] not in ("403", "404", "405", "login"):
            return persona
    return None


POST_URLS = [n for n in all_url_names() if n in EXPECTED and allowed_persona(n) and n not in ("logout", "login")]


def fingerprint() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and model._meta.label not in ("activity.ActivityEvent",)
    }


@pytest.mark.parametrize("name", POST_URLS)
def test_hostile_input_is_refused_cleanly(name, personas, agency_a, agency_b, settings_fixture, tmp_path):
    world = World({**personas, "agency_a": agency_a, "agency_b": agency_b}, settings_fixture, tmp_path)
    url = url_for(name, world)
    client = logged_in_client(personas[allowed_persona(name)])
    page = client.get(url)
    html = page.content.decode(errors="replace") if page.status_code == 200 and not page.streaming else ""
    names = sorted({n for n in FIELD.findall(html) if n not in ("csrfmiddlewaretoken",)}) or ["name", "note", "year"]
    file_names = {a or b for a, b in FILE_FIELD.findall(html)}

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.fixed_dictionaries({n: (files if n in file_names else values) for n in names}))
    def post(data):
        before = fingerprint()
        try:
            with transaction.atomic():
                response = client.post(url, data)
                after = fingerprint()
                raise _Undo((response, after))
        except _Undo as undo:
            response, after = undo.args[0]
        assert response.status_code < 500, f"{name} answered {response.status_code} to {data!r}"[:2000]
        html_reply = "html" in response.get("Content-Type", "") and not response.streaming
        body = response.content.decode(errors="replace") if html_reply else ""
        refused = response.status_code in (200, 400) and any(marker in body for marker in ERROR_MARKERS)
        if refused:
            assert after == before, f"{name} refused the input but changed rows: {data!r}"[:2000]

    post()


class _Undo(Exception):  # noqa: N818 - a control-flow signal
    pass


@pytest.fixture
def settings_fixture(settings):
    return settings
