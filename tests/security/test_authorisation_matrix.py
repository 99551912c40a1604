"""Every URL of the portal, asked by every role, answers as this table says (GET and POST).

The URL list comes from the resolver, so a new view without a row fails this test. Codes:
``login`` = redirected to log in; 200; 302 = done and redirected; 400 = refused as bad input;
403 = not allowed; 404 = not found for you (another agency's, or not yours to know about);
405 = method not allowed. POSTs carry no data: they show what a role may attempt.

Personas, in column order: anonymous, staff of agency A, champion of A, champion of B,
secretariat, board member, partnership safeguarding lead, administrator. The objects in the
URLs belong to agency A (an incident reported by A's staff and referred to the lead, A's
audit return and evidence, an action A leads, ...).
"""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import SignInDomain
from activity.models import Action, ActivityEvent
from audits import services as audit_services
from audits.models import AuditReturn
from imports.models import PendingImport
from reminders.services import rules_ensure
from reports.models import AnnualReport
from tests.conftest import logged_in_client
from tests.factories import (
    AccessLocationFactory,
    ActionFactory,
    ConfirmationRoundFactory,
    IncidentFactory,
    ListConfirmationFactory,
    MeetingFactory,
    ObjectiveFactory,
    PriorityFactory,
    ReferralFactory,
    TrainingEventFactory,
)
from tests.support.data import TINY_AUDIT_TEMPLATE
from tests.support.objectstore import use_folder

pytestmark = pytest.mark.django_db
PERSONAS = [
    "anonymous",
    "staff_a",
    "champion_a",
    "champion_b",
    "secretariat",
    "board_member",
    "safeguarding_lead",
    "admin",
]


def all_url_names() -> list[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue  # Django's own admin: staff only, tested by Django
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


# Action-plan URLs whose <pk> is an action; the others take the plan's.
ACTION_VIEWS = {"action_detail", "action_edit", "progress_update", "status_change", "action_archive"}


class World:
    """One of every object, belonging to agency A."""

    def __init__(self, p, settings, tmp_path):
        use_folder(settings, tmp_path)
        agency_a, staff_a, lead, secretariat = p["agency_a"], p["staff_a"], p["safeguarding_lead"], p["secretariat"]
        self.agency = agency_a
        self.membership = agency_a.memberships.get(user=staff_a)
        self.nomination = agency_a.nominations.get(user=p["champion_a"])
        self.confirmation = ListConfirmationFactory(agency=agency_a, round=ConfirmationRoundFactory())
        version, _ = audit_services.template_import(text=TINY_AUDIT_TEMPLATE, fmt="yaml")
        today = timezone.localdate()
        self.cycle = audit_services.cycle_open(
            template_version=version,
            year=today.year,
            opens_on=today,
            due_on=today,
            agencies=[agency_a, p["agency_b"]],
            by=secretariat,
        )
        self.version = version
        self.audit_return = AuditReturn.objects.get(cycle=self.cycle, agency=agency_a)
        self.evidence = audit_services.evidence_add(
            audit_return=self.audit_return,
            by=p["champion_a"],
            uploaded_file=SimpleUploadedFile("policy.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
        )
        self.incident = IncidentFactory(agency=agency_a, reporter=staff_a)
        self.referral = ReferralFactory(incident=self.incident, escalated_to=lead, escalated_at=timezone.now())
        self.draft = IncidentFactory(agency=agency_a, reporter=staff_a, status="draft", reported_at=None)
        self.objective = ObjectiveFactory(priority=PriorityFactory())
        self.priority = self.objective.priority
        self.plan = self.priority.plan
        self.action = ActionFactory(objective=self.objective, lead_agency=agency_a, lead_text="")
        self.report = AnnualReport.objects.create(
            year=today.year, version=1, generated_by=secretariat, status="done", file_name="r.pdf", checksum="x"
        )
        (tmp_path / "reports").mkdir(exist_ok=True)
        (tmp_path / "reports" / "r.pdf").write_bytes(b"%PDF-1.4\n")
        self.rule = rules_ensure()["action-due"]
        self.meeting = MeetingFactory()
        self.training_event = TrainingEventFactory()
        self.location = AccessLocationFactory(agency=agency_a)
        # A plan spreadsheet the secretariat has uploaded and not yet imported: only they see it.
        self.sign_in_domain = SignInDomain.objects.create(domain="a.example", agency=agency_a, provider="northfield")
        self.pending_import = PendingImport.objects.create(
            kind="actionplan",
            target_id=self.plan.pk,
            created_by=secretariat,
            filename="plan.csv",
            data=b"Objective,Action\n1.1 Policies,Write the policy\n",
            columns={"0": "objective", "1": "action"},
        )

    def kwargs(self, name: str) -> dict:
        app, _, view = name.rpartition(":")
        special = {
            "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            "account_unlock": {"token": "not-a-signed-token"},
            "sign_in_start": {"slug": "nowhere"},
            "sign_in_domain_edit": {"pk": self.sign_in_domain.pk},
            "agencies:membership_end": {"pk": self.agency.pk, "membership_pk": self.membership.pk},
            "champions:nominate": {"agency_pk": self.agency.pk},
            "audits:template_version": {"pk": self.version.pk},
            "audits:return_section": {"pk": self.audit_return.pk, "key": "policy"},
            "incidents:page": {"pk": self.draft.pk, "page": "when"},
            "incidents:withdraw": {"pk": self.draft.pk},
            "incidents:referral_edit": {"pk": self.incident.pk, "referral_pk": self.referral.pk},
            "actionplan:priority_edit": {"pk": self.plan.pk, "priority_pk": self.priority.pk},
            "actionplan:objective_edit": {"pk": self.plan.pk, "objective_pk": self.objective.pk},
            "actionplan:plan_export": {"pk": self.plan.pk, "fmt": "csv"},
            "reports:preview": {"year": timezone.localdate().year},
            "esig:year": {"year": timezone.localdate().year},
            "esig:training_year": {"year": timezone.localdate().year},
            "locations:agency": {"agency_pk": self.agency.pk},
            "locations:create": {"agency_pk": self.agency.pk},
            "imports:upload": {"kind": "actionplan", "target_id": self.plan.pk},
            "imports:columns": {"pk": self.pending_import.pk},
            "imports:preview": {"pk": self.pending_import.pk},
        }
        if name in special:
            return special[name]
        pattern_has_pk = "<int:pk>" in str(get_resolver().reverse_dict.getlist(view) or "") or True
        objects = {
            "agencies": self.agency,
            "champions": {
                "nomination_edit": self.nomination,
                "nomination_end": self.nomination,
                "round_detail": self.confirmation.round,
                "confirm": self.confirmation,
            }.get(view),
            "audits": (
                self.cycle
                if view.startswith(("cycle", "collation"))
                else self.evidence
                if view.startswith("evidence_") and view != "evidence_upload"
                else self.audit_return
            ),
            "incidents": self.incident,
            "actionplan": self.action if view in ACTION_VIEWS else self.plan,
            "reports": self.report,
            "reminders": self.rule,
            "esig": self.training_event if view.startswith("training") else self.meeting,
            "locations": self.location,
        }
        target = objects.get(app)
        return {"pk": target.pk} if target is not None and pattern_has_pk else {}


def url_for(name: str, world: World) -> str:
    try:
        return reverse(name)
    except Exception:  # noqa: BLE001 - the URL takes arguments
        return reverse(name, kwargs=world.kwargs(name))


def answer(client, method, url) -> str:
    return answer_and_events(client, method, url)[0]


def answer_and_events(client, method, url) -> tuple[str, list[tuple[str, int | None]]]:
    """The answer, and the (action, actor) of each audit-trail event the request wrote."""
    # Each request runs in a savepoint that is rolled back, so one role's POST cannot change what the next sees.
    last = ActivityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            written = list(ActivityEvent.objects.filter(pk__gt=last).order_by("pk").values_list("action", "actor"))
            raise _Undo(response, written)
    except _Undo as undo:
        response, written = undo.response, undo.written
    if response.status_code == 302 and "/login/" in response.get("Location", ""):
        return "login", written
    return str(response.status_code), written


class _Undo(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, response, written):
        self.response = response
        self.written = written


@pytest.fixture
def world(personas, agency_a, agency_b, settings, tmp_path):
    return World({**personas, "agency_a": agency_a, "agency_b": agency_b}, settings, tmp_path)


def test_every_url_has_a_row_in_the_table():
    from tests.security.authorisation_table import EXPECTED

    missing = sorted(set(all_url_names()) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(all_url_names()))
    assert not missing, f"URLs without a row in the table: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", all_url_names())
def test_each_role_gets_the_answer_in_the_table(name, world, personas):
    from tests.security.authorisation_table import EXPECTED

    url = url_for(name, world)
    clients = {persona: logged_in_client(personas[persona]) for persona in PERSONAS}
    actual = {method: [answer(clients[p], method, url) for p in PERSONAS] for method in ("GET", "POST")}
    if os.environ.get("WRITE_AUTHORISATION_TABLE"):  # to draft a row for a new URL, then check it by hand
        with open(os.environ["WRITE_AUTHORISATION_TABLE"], "a") as draft:
            draft.write(f'    "{name}": ("{" ".join(actual["GET"])}", "{" ".join(actual["POST"])}"),\n')
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name} has no row in tests/security/authorisation_table.py"
    for method, row in zip(("GET", "POST"), expected, strict=True):
        wanted = row.split()
        wrong = [
            f"{p}: expected {w}, got {a}" for p, w, a in zip(PERSONAS, wanted, actual[method], strict=True) if w != a
        ]
        assert not wrong, f"{method} {url}\n" + "\n".join(wrong)


# Views that show or hand over evidence: each answered request leaves exactly one event in the audit
# trail, naming who asked; a refused one leaves none.
TRAIL_EVENTS = {
    "incidents:detail": Action.INCIDENT_VIEWED,
    "incidents:history": Action.INCIDENT_VIEWED,
    "incidents:page": Action.INCIDENT_VIEWED,
    "incidents:referral_edit": Action.INCIDENT_VIEWED,
    "incidents:monitoring_csv": Action.EXPORTED,
    "audits:collation_csv": Action.EXPORTED,
    "audits:collation_xlsx": Action.EXPORTED,
    "audits:cycle_gaps_csv": Action.EXPORTED,
    "audits:return_gaps_csv": Action.EXPORTED,
    "audits:evidence_download": Action.FILE_DOWNLOADED,
    "actionplan:plan_export": Action.EXPORTED,
    "champions:csv": Action.EXPORTED,
    "agencies:data_export": Action.EXPORTED,
    "reports:download": Action.REPORT_DOWNLOADED,
}


@pytest.mark.parametrize("name", sorted(TRAIL_EVENTS))
def test_each_sensitive_view_leaves_one_event_naming_who_asked(name, world, personas):
    url = url_for(name, world)
    for persona in PERSONAS:
        user = personas[persona]
        code, written = answer_and_events(logged_in_client(user), "GET", url)
        ours = [actor for action, actor in written if action == TRAIL_EVENTS[name]]
        if code == "200":
            assert ours == [user.pk], f"{persona} was answered {code} by {url}, and the trail holds {written}"
        else:
            assert ours == [], f"{persona} was refused ({code}) by {url}, yet the trail holds {written}"
