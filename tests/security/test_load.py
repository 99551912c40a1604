"""Load without loss: 16 clients log incidents and save audit answers at once against gunicorn on
PostgreSQL, for a bounded time. No server error, and every acknowledged submission is in the database."""

import datetime
import http.client
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from activity.integrity import trail_verify
from activity.models import Action, ActivityEvent
from audits import services as audit_services
from audits.models import AuditReturn
from benchmark.scenarios import incident_pages
from incidents.models import Incident, IncidentHistory
from tests.factories import AgencyFactory, MembershipFactory, NominationFactory
from tests.support.services import free_port, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 16
SECONDS = int(os.environ.get("LOAD_TEST_SECONDS", "60"))
CSRF = "a" * 32  # a token of our own: Django accepts the same secret in the cookie and the header
TEMPLATE = """
slug: load
name: Load audit
kind: checklist
sections:
  - key: policy
    title: Policy
    questions:
      - {key: policy_in_place, text: "Do you have an e-safety policy?", kind: yes_no, required: true, gap_when: "no"}
      - {key: manager, text: "Who is the responsible manager?", kind: person, required: true}
"""


class Browser:
    """A logged-in HTTP client of its own (no Django test machinery in the request path)."""

    def __init__(self, port, user):
        django_client = Client()
        django_client.force_login(user)
        self.port = port
        self.cookie = f"sessionid={django_client.cookies['sessionid'].value}; csrftoken={CSRF}"

    def post(self, path, data) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "POST",
                path,
                body=urlencode(data),
                headers={
                    "Cookie": self.cookie,
                    "X-CSRFToken": CSRF,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location") or ""
        finally:
            conn.close()


def log_incident(browser, agency_id, stats):
    status, location = browser.post("/incidents/new/", {"agency": agency_id})
    stats.record(status)
    match = re.search(r"/incidents/(\d+)/", location)
    if not match:
        return
    base = f"/incidents/{match[1]}/report"
    pages = incident_pages()
    for page, data in pages:
        status, location = browser.post(f"{base}/{page}/", data)
        stats.record(status)
        if status != 302:
            return
    if re.fullmatch(rf"/incidents/{match[1]}/", location):
        stats.acknowledge("incidents")


def save_answers(browser, audit_return, questions, version, stats) -> int:
    data = {"version": version, "go": "stay"}
    for question in questions:
        data[f"q_{question.pk}"] = "yes" if question.kind == "yes_no" else "A named manager"
        data[f"c_{question.pk}"] = f"Saved at {time.monotonic():.3f}"
    status, location = browser.post(f"/audits/returns/{audit_return.pk}/sections/policy/", data)
    stats.record(status)
    if status == 302 and location.endswith("/sections/policy/"):
        stats.acknowledge("saves")
        return version + 1
    return version


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.acknowledged = {"incidents": 0, "saves": 0}

    def record(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def acknowledge(self, kind):
        with self.lock:
            self.acknowledged[kind] += 1


def test_sixteen_clients_lose_nothing_and_see_no_server_error(secretariat, tmp_path):
    agencies = AgencyFactory.create_batch(CLIENTS // 2)
    staff = [MembershipFactory(agency=a).user for a in agencies]
    champions = [NominationFactory(agency=a).user for a in agencies]
    version, _ = audit_services.template_import(text=TEMPLATE, fmt="yaml")
    today = timezone.localdate()
    cycle = audit_services.cycle_open(
        template_version=version,
        year=today.year,
        opens_on=today,
        due_on=today + datetime.timedelta(days=30),
        agencies=agencies,
        by=secretariat,
    )
    questions = list(version.questions.all())

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "esafety.settings_test",
        "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "esafety.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    stats = Stats()
    deadline = time.monotonic() + SECONDS
    try:
        wait_until(lambda: _up(port), 60)

        def incident_client(user, agency):
            try:
                browser = Browser(port, user)
                while time.monotonic() < deadline:
                    log_incident(browser, agency.pk, stats)
            finally:
                connections.close_all()  # this thread's own database connection

        def audit_client(user, agency):
            try:
                browser = Browser(port, user)
                audit_return = AuditReturn.objects.get(cycle=cycle, agency=agency)
                current = audit_return.version
                while time.monotonic() < deadline:
                    current = save_answers(browser, audit_return, questions, current, stats)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=incident_client, args=(u, a)) for u, a in zip(staff, agencies, strict=True)]
        threads += [
            threading.Thread(target=audit_client, args=(u, a)) for u, a in zip(champions, agencies, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
    finally:
        server.terminate()
        server.wait(timeout=30)

    requests = sum(stats.statuses.values())
    print(
        f"\nLoad test: {CLIENTS} clients, {SECONDS} s, {requests} requests ({requests / SECONDS:.0f}/s), "
        f"statuses {stats.statuses}, acknowledged {stats.acknowledged}"
    )
    assert not [s for s in stats.statuses if s >= 500], (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert stats.acknowledged["incidents"] > 0 and stats.acknowledged["saves"] > 0
    assert Incident.objects.filter(status="reported").count() == stats.acknowledged["incidents"]
    saved = sum(r.version - 1 for r in AuditReturn.objects.filter(cycle=cycle))
    assert saved == stats.acknowledged["saves"]
    # The audit trail, written by every worker at once, is one unbroken chain and lost no event:
    # each row of an incident's own history has its event in the trail (they commit together).
    report = trail_verify()
    assert report.ok, report.problem
    changes = ActivityEvent.objects.filter(action=Action.INCIDENT_CHANGED).count()
    assert changes == IncidentHistory.objects.count() > 0
    print(f"Audit trail after the load: {report.checked} events, one chain")


def _up(port) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/health/")
        return conn.getresponse().status == 200
    except OSError:
        return False
