"""Every kind of event the audit trail declares is written by the portal: each is brought about here
the way a person would (a page, a form, a download, an import), and the trail must then hold it.
A new event type without a story below fails ``test_every_event_type_has_a_story``."""

import ast
import datetime
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from activity.integrity import trail_prune, trail_verify
from activity.models import Action, ActivityEvent
from activity.services import activity_record
from audits import services as audit_services
from audits.models import AuditReturn
from champions import contacts_import
from champions import services as champion_services
from imports import flow
from incidents import services as incident_services
from reports.models import AnnualReport
from tests.conftest import logged_in_client
from tests.factories import PASSWORD, IncidentFactory, UserFactory
from tests.support.data import TINY_AUDIT_TEMPLATE

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parents[2]


def log_in(email):
    client = Client()
    client.post(reverse("login"), {"username": email, "password": PASSWORD})
    return client


def current_code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def open_cycle(p):
    version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
    today = timezone.localdate()
    return audit_services.cycle_open(
        template_version=version,
        year=today.year,
        opens_on=today,
        due_on=today,
        agencies=[p["agency_a"]],
        by=p["secretariat"],
    )


def signed_in(p):
    log_in(p["champion_a"].email)


def failed_login(p):
    log_in(p["champion_a"].email.replace("@", "+nobody@"))


def signed_out(p):
    log_in(p["champion_a"].email).post(reverse("logout"))


def locked_out(p):
    for _ in range(6):
        Client().post(reverse("login"), {"username": p["champion_a"].email, "password": "wrong"})


def unlocked(p):
    locked_out(p)
    logged_in_client(p["secretariat"]).post(
        reverse("account_support"), {"action": "unlock", "email": p["champion_a"].email}
    )


def two_factor_reset(p):
    TOTPDevice.objects.create(user=p["champion_a"], name="Phone", confirmed=True)
    logged_in_client(p["secretariat"]).post(
        reverse("account_support"), {"action": "reset_two_factor", "email": p["champion_a"].email}
    )


def two_factor_set_up(p):
    user = UserFactory(role=Role.SECRETARIAT)
    client = log_in(user.email)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("two_factor_setup"), {"token": current_code(device)})


def two_factor_passed(p):
    device = TOTPDevice.objects.create(user=p["secretariat"], name="Phone", confirmed=True)
    log_in(p["secretariat"].email).post(reverse("two_factor_verify"), {"token": current_code(device)})


def two_factor_failed(p):
    device = TOTPDevice.objects.create(user=p["secretariat"], name="Phone", confirmed=True)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    log_in(p["secretariat"].email).post(reverse("two_factor_verify"), {"token": wrong})


def backup_codes_replaced(p):
    logged_in_client(p["secretariat"]).post(reverse("backup_codes_new"))


def role_changed(p):
    champion_services.nomination_create(
        agency=p["agency_a"], email="new.champion@example.org", full_name="New Champion", by=p["secretariat"]
    )


def incident_viewed(p):
    incident = IncidentFactory(agency=p["agency_a"], reporter=p["staff_a"])
    logged_in_client(p["champion_a"]).get(incident.get_absolute_url())


def incident_changed(p):
    incident = IncidentFactory(agency=p["agency_a"], reporter=p["staff_a"])
    incident_services.chronology_add(
        incident=incident, happened_at=timezone.now(), action="Rang home", by=p["champion_a"]
    )


def return_state_changed(p):
    open_cycle(p)


def report_downloaded(p):
    (p["tmp_path"] / "reports").mkdir(exist_ok=True)
    (p["tmp_path"] / "reports" / "r.pdf").write_bytes(b"%PDF-1.4\n")
    report = AnnualReport.objects.create(
        year=2026, version=1, generated_by=p["secretariat"], status="done", file_name="r.pdf", checksum="x"
    )
    logged_in_client(p["secretariat"]).get(reverse("reports:download", args=[report.pk]))


def exported(p):
    logged_in_client(p["secretariat"]).get(reverse("champions:csv"), {"sector": "youth", "q": "Exampleshire"})


def file_downloaded(p):
    cycle = open_cycle(p)
    evidence = audit_services.evidence_add(
        audit_return=AuditReturn.objects.get(cycle=cycle),
        by=p["champion_a"],
        uploaded_file=SimpleUploadedFile("policy.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
    )
    logged_in_client(p["champion_a"]).get(reverse("audits:evidence_download", args=[evidence.pk]))


def imported(p):
    data = b"Agency,Sector,Champion,E-mail,Core/Associate\nNorthfield Academy,Schools,Jo Bloggs,jo@example.org,Core\n"
    flow.import_file(contacts_import.IMPORTER, target=None, name="contacts.csv", data=data, by=p["secretariat"])


def archived(p):
    logged_in_client(p["secretariat"]).post(reverse("agencies:archive", args=[p["agency_b"].pk]))


def membership_dates_changed(p):
    """The secretariat dates an agency from the evidence: it returned an audit before it was typed in."""
    cycle = open_cycle(p)
    type(cycle).objects.filter(pk=cycle.pk).update(opens_on=p["agency_a"].joined_on - datetime.timedelta(days=30))
    logged_in_client(p["secretariat"]).post(reverse("agencies:joining_dates"))


def trail_pruned(p):
    activity_record(Action.LOGIN, actor_label="long.ago@example.org")
    cutoff = timezone.now()
    activity_record(Action.LOGIN, actor_label="recent@example.org")
    trail_prune(before=cutoff, using="default")


STORIES = {
    Action.LOGIN: signed_in,
    Action.LOGIN_FAILED: failed_login,
    Action.LOGOUT: signed_out,
    Action.LOCKED_OUT: locked_out,
    Action.ACCOUNT_UNLOCKED: unlocked,
    Action.TWO_FACTOR_RESET: two_factor_reset,
    Action.TWO_FACTOR_SET_UP: two_factor_set_up,
    Action.TWO_FACTOR_PASSED: two_factor_passed,
    Action.TWO_FACTOR_FAILED: two_factor_failed,
    Action.BACKUP_CODES_REPLACED: backup_codes_replaced,
    Action.ROLE_CHANGED: role_changed,
    Action.INCIDENT_VIEWED: incident_viewed,
    Action.INCIDENT_CHANGED: incident_changed,
    Action.RETURN_STATE_CHANGED: return_state_changed,
    Action.REPORT_DOWNLOADED: report_downloaded,
    Action.EXPORTED: exported,
    Action.FILE_DOWNLOADED: file_downloaded,
    Action.IMPORTED: imported,
    Action.ARCHIVED: archived,
    Action.TRAIL_PRUNED: trail_pruned,
    Action.MEMBERSHIP_DATES_CHANGED: membership_dates_changed,
}


def test_every_event_type_has_a_story():
    assert sorted(set(Action.values) - set(STORIES)) == []


def test_every_event_type_is_named_by_the_portals_own_code():
    """Apart from these tests: each event type appears in the code of the portal that writes it."""
    named = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", ".venv", "node_modules"} or "migrations" in relative.parts:
            continue
        if relative == pathlib.Path("activity/models.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in {"Action", "Activity"}
                and node.attr in Action.names
            ):
                named.add(Action[node.attr].value)
    assert sorted(set(Action.values) - named) == []


@pytest.mark.parametrize("action", Action.values)
def test_the_story_leaves_its_event_in_a_whole_trail(
    action, personas, agency_a, agency_b, settings, tmp_path, trail_store
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    p = {**personas, "agency_a": agency_a, "agency_b": agency_b, "tmp_path": tmp_path}
    STORIES[action](p)
    assert ActivityEvent.objects.filter(action=action).exists(), f"nothing wrote a {action!r} event"
    if action == Action.EXPORTED:  # which list, and which filters
        summary = ActivityEvent.objects.get(action=action).summary
        assert summary == "Champions contact list (CSV) — filters: sector=youth; q=Exampleshire"
    assert trail_verify().ok
