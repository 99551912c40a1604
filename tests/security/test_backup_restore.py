"""The documented backup (pg_dump) and restore (pg_restore) give back every record."""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy"), pytest.mark.django_db(transaction=True)]


def table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of all its rows."""
    with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=dbname) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t")
        for table in tables:
            cursor.execute(query.format(sql.Identifier(table)))
            fingerprints[table] = cursor.fetchone()
    return fingerprints


def test_a_backup_restores_every_record(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "esafety.dump"
    target = f"restore_{uuid.uuid4().hex[:12]}"
    # The commands of the README's "Backup and restore".
    subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", str(dump), source], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", target], check=True)
    try:
        subprocess.run(
            ["pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "-d", target, str(dump)], check=True
        )
        before, after = table_fingerprints(source), table_fingerprints(target)
        assert before == after
        counted = {table: count for table, (count, _sum) in before.items()}
        for table in (
            "agencies_agency",
            "champions_nomination",
            "incidents_incident",
            "audits_auditreturn",
            "actionplan_action",
            "accounts_user",
        ):
            assert counted[table] > 0, f"the demo should have rows in {table}"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", target], check=True)


SHOW = """
import hashlib
from django.test import Client
from accounts.models import User
from audits.models import Evidence
from champions.models import Nomination
from incidents.models import Incident
from reports.models import AnnualReport

def opened(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, hashlib.sha256(body).hexdigest()

evidence = Evidence.objects.get(pk={evidence})
champion = Nomination.objects.current().filter(agency=evidence.audit_return.agency).first().user
incident = Incident.objects.filter(agency=evidence.audit_return.agency).exclude(status="draft").first()
report = AnnualReport.objects.filter(status="done").order_by("-year", "-version").first()
secretariat = User.objects.filter(role="secretariat").first()
print("incident", opened(champion, incident.get_absolute_url())[0])
print("evidence", *opened(champion, f"/audits/evidence/{{evidence.pk}}/"))
print("report", *opened(secretariat, f"/reports/{{report.pk}}/download/"), report.pk)
"""


def test_make_backup_and_restore_give_back_a_portal_that_works(tmp_path):
    """`make backup`, then `make restore` into a fresh database and an empty file store: the audit trail
    checks out, and an incident, a return's evidence and the latest report open as before."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from activity.integrity import anchor_write
    from audits import services as audit_services
    from audits.models import AuditReturn
    from champions.models import Nomination

    call_command("seed_demo", stdout=io.StringIO())
    candidates = AuditReturn.objects.filter(agency__incidents__isnull=False).select_related("cycle").distinct()
    audit_return = next(r for r in candidates.order_by("pk") if r.is_open_for_answers)
    champion = Nomination.objects.current().filter(agency=audit_return.agency).first().user
    policy = b"%PDF-1.4\n% the agency's e-safety policy\n"
    evidence = audit_services.evidence_add(
        audit_return=audit_return,
        by=champion,
        uploaded_file=SimpleUploadedFile("policy.pdf", policy, content_type="application/pdf"),
    )
    # The day's hash goes to the file store, as the nightly check puts it there (this test's alone).
    trail_files = Path(settings.PRIVATE_MEDIA_ROOT) / "audit-trail"
    shutil.rmtree(trail_files, ignore_errors=True)
    anchor_write(day=timezone.localdate())
    backup = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", str(backup), "--database", "default", stdout=out)
    assert "Backed up to" in out.getvalue()

    target = f"restore_{uuid.uuid4().hex[:12]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", target], check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "esafety.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{target}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-files"),
        "REDIS_URL": "",
    }
    env.pop("DATABASE_MIGRATE_URL", None)

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    try:
        restored = manage("restore", str(backup))
        assert "The restored audit trail is whole" in restored
        assert "The audit trail is whole" in manage("verify_trail")
        shown = {
            line.split()[0]: line.split()[1:]
            for line in manage("shell", "-c", SHOW.format(evidence=evidence.pk)).splitlines()
            if line.split() and line.split()[0] in {"incident", "evidence", "report"}
        }
        assert shown["incident"] == ["200"]
        assert shown["evidence"] == ["200", hashlib.sha256(policy).hexdigest()]
        from reports import services as report_services
        from reports.models import AnnualReport

        report = AnnualReport.objects.get(pk=int(shown["report"][2]))
        with report_services.report_open(report) as handle:
            original = hashlib.sha256(handle.read()).hexdigest()
        assert shown["report"][:2] == ["200", original]
    finally:
        shutil.rmtree(trail_files, ignore_errors=True)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", target], check=True)
