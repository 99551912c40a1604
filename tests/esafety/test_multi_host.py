"""Several hosts, one portal: two web servers and a Celery worker, each a process with its own empty
working directory and private-files folder, sharing only PostgreSQL, Redis and the object store. What
one host writes, every other host reads; when the object store stops answering, people get a clear
"try again shortly" page with nothing half-saved, and all is well again when it returns."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from audits.models import AuditReturn, Evidence
from esig.models import Meeting
from reports.models import AnnualReport
from tests.browser.conftest import authenticator_for, current_code
from tests.factories import MeetingFactory, NominationFactory, UserFactory
from tests.support.data import open_tiny_cycle
from tests.support.objectstore import new_bucket
from tests.support.portal import Person, PortalServer, wait_for
from tests.support.services import SHARED_BROKER

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-battery-42"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SHARED_CACHE = "redis://127.0.0.1:6379/12"


class Steps:
    """What each step was, which host and process served it and where its file went."""

    def __init__(self):
        self.rows = []

    def add(self, step, server, response, key=""):
        self.rows.append({"step": step, "server": server, "request_id": response.headers["X-Request-ID"], "key": key})
        return response


def served_by(servers, request_id):
    for server in servers:
        for line in server.log.read_text().splitlines():
            if request_id in line and line.startswith("{"):
                record = json.loads(line)
                if record.get("message") == "request" and record.get("request_id") == request_id:
                    return server.name, record
    raise AssertionError(f"no log line for request {request_id}")


@pytest.fixture
def partnership(agency_a, agency_b):
    champion = NominationFactory(agency=agency_a, user__email="champion@northfield.example").user
    secretariat = UserFactory(email="secretariat@partnership.example", role=Role.SECRETARIAT)
    board = UserFactory(email="board@partnership.example", role=Role.BOARD)
    for user in (champion, secretariat, board):
        user.set_password(PASSWORD)
        user.save()
    cycle = open_tiny_cycle([agency_a, agency_b], by=secretariat)
    return {
        "champion": champion,
        "secretariat": secretariat,
        "board": board,
        "return": AuditReturn.objects.get(cycle=cycle, agency=agency_a),
        "meeting": MeetingFactory(held_on=timezone.localdate() - datetime.timedelta(days=3)),
    }


def test_files_written_on_one_host_are_read_on_any_other_and_a_store_outage_is_survived(
    partnership, throwaway_object_store, broker, start_worker, tmp_path
):
    import redis

    redis.Redis.from_url(SHARED_CACHE).flushdb()
    bucket = new_bucket(throwaway_object_store.endpoint)
    shared = {
        "DJANGO_SETTINGS_MODULE": "esafety.settings_test",
        "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "TEST_REDIS_URL": SHARED_BROKER,
        "TEST_CELERY_EAGER": "false",
        "TEST_CACHE_URL": SHARED_CACHE,
        "LOG_FORMAT": "json",
        **bucket.environ(read_timeout=2),
    }
    hosts = tmp_path / "hosts"
    a = PortalServer("web-a", hosts, shared).start()
    b = PortalServer("web-b", hosts, shared).start()
    worker_dir = hosts / "worker"
    (worker_dir / "private_media").mkdir(parents=True)
    start_worker(
        name="worker",
        extra_env={**shared, "PRIVATE_MEDIA_ROOT": str(worker_dir / "private_media")},
        cwd=worker_dir,
    )
    steps = Steps()
    audit_return, meeting = partnership["return"], partnership["meeting"]
    champion = Person(partnership["champion"].email, PASSWORD)
    secretariat = Person(partnership["secretariat"].email, PASSWORD)
    board = Person(partnership["board"].email, PASSWORD)
    device = authenticator_for(partnership["secretariat"])
    try:
        champion.log_in(a)
        secretariat.log_in(b, code=lambda: current_code(device))
        board.log_in(a)

        # A champion uploads evidence through A; the secretariat downloads it through B.
        return_page = audit_return.get_absolute_url()
        evidence_action = f"/audits/returns/{audit_return.pk}/evidence/"
        sent = champion.post_form(
            a, return_page, evidence_action, {"description": "Our policy"}, {"file": ("policy.pdf", PDF)}
        )
        assert sent.status_code == 302, sent.text
        evidence = Evidence.objects.get()
        steps.add("champion uploads evidence", a, sent, evidence.file.name)
        got = steps.add(
            "secretariat downloads the evidence", b, secretariat.get(b, evidence.get_absolute_url()), evidence.file.name
        )
        assert got.status_code == 200 and got.content == PDF

        # The secretariat uploads ESIG minutes through B; a board member downloads them through A.
        minutes_page = f"/esig/meetings/{meeting.pk}/minutes/"
        sent = secretariat.post_form(
            b, minutes_page, minutes_page, {"text": "Minutes"}, {"document": ("minutes.pdf", PDF + b"% minutes\n")}
        )
        assert sent.status_code == 302, sent.text
        minutes_key = Meeting.objects.get(pk=meeting.pk).minutes_file.name
        steps.add("secretariat uploads ESIG minutes", b, sent, minutes_key)
        got = steps.add("board member downloads the minutes", a, board.get(a, f"{minutes_page}download/"), minutes_key)
        assert got.status_code == 200 and got.content == PDF + b"% minutes\n"

        # The secretariat asks for last year's report through A; the worker builds it; the board member
        # downloads it through both web servers.
        sent = secretariat.post_form(a, "/reports/", "/reports/generate/", {"year": str(timezone.localdate().year - 1)})
        assert sent.status_code == 302, sent.text
        steps.add("secretariat asks for the annual report", a, sent)
        report = wait_for(lambda: AnnualReport.objects.filter(status__in=["done", "failed"]).first(), timeout=240)
        assert report.status == "done", report.error
        report_key = f"reports/{report.file_name}"
        copies = []
        for server in (a, b):
            got = steps.add(
                "board member downloads the report",
                server,
                board.get(server, f"/reports/{report.pk}/download/"),
                report_key,
            )
            assert got.status_code == 200 and got.content.startswith(b"%PDF")
            copies.append(got.content)
        assert copies[0] == copies[1] and len(copies[0]) == report.size

        assert bucket.object_keys() == sorted([evidence.file.name, minutes_key, report_key])
        for host in (a, b):  # nothing was kept on any host's own disk
            assert host.files_on_disk() == [], host.files_on_disk()
        assert [p for p in (worker_dir / "private_media").rglob("*") if p.is_file()] == []

        # The object store stops answering.
        throwaway_object_store.pause()
        refused = champion.post_form(
            a, return_page, evidence_action, {"description": "Second"}, {"file": ("second.pdf", PDF)}
        )
        steps.add("champion uploads while the store is down", a, refused)
        assert (
            refused.status_code == 503
            and "Nothing was saved" in refused.text
            and refused.headers["Retry-After"] == "60"
        )
        assert Evidence.objects.count() == 1
        refused = steps.add(
            "board member downloads while the store is down", b, board.get(b, f"{minutes_page}download/")
        )
        assert refused.status_code == 503 and "try again in a few minutes" in refused.text
        ready = board.get(a, "/health/ready/")
        assert ready.status_code == 503 and ready.json()["failed"] == ["file store"]

        # ... and answers again.
        throwaway_object_store.resume()
        assert board.get(a, "/health/ready/").status_code == 200
        got = steps.add("secretariat downloads the evidence again", a, secretariat.get(a, evidence.get_absolute_url()))
        assert got.content == PDF
        sent = champion.post_form(
            a, return_page, evidence_action, {"description": "Second"}, {"file": ("second.pdf", PDF)}
        )
        assert sent.status_code == 302
        second = Evidence.objects.get(original_name="second.pdf")
        steps.add("champion uploads the second file", a, sent, second.file.name)
        assert bucket.read(second.file.name) == PDF
    finally:
        a.stop()
        b.stop()

    # Every request was logged as one JSON line: request id, user id and duration, never a name or e-mail.
    print("\nstep | host | process | status | key")
    for row in steps.rows:
        host, record = served_by((a, b), row["request_id"])
        assert host == row["server"].name
        assert record["user_id"] is not None and record["duration_ms"] >= 0
        print(f"{row['step']} | {host} | pid {record['process']} | {record['status']} | {row['key'] or '-'}")
    print(f"worker builds the report | worker | - | done | {report_key}")
    for server in (a, b):
        log = server.log.read_text()
        for person in partnership.values():
            if hasattr(person, "email"):
                assert person.email not in log and person.full_name not in log
