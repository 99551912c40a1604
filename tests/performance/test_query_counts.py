"""Every main page runs a few SQL queries, and the same number with 10 rows as with 10,000.

``PAGES`` is the table: a page, a role that uses it, and the rows that grow on it (agencies,
champions, audit answers, incidents, actions, annual reports). One world is built for the whole
module: 10 rows of each kind, every page asked for as its role; then 9,990 more of each kind
(``bulk_create``), every page asked for again. Each test then checks one row of the table: both
answers are 200, both use at most ``MAX_QUERIES`` queries, the same number, and the big page
stays small (long lists are paginated or summed in SQL, never rendered whole).

What every page pays before its own queries: the session and the user, and saving the session
again at the end (a savepoint, the update and its release: the test runs in a transaction). Most
pages also read the person's agency roles (one query).
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from actionplan.models import Action, ProgressUpdate, StatusChange
from agencies.models import Agency, Sector
from audits import services as audit_services
from audits.models import Answer, AuditReturn, Cycle, ReturnStatus
from champions.models import Nomination
from esafety import figures
from esig.models import Meeting
from incidents.models import Category, Incident, PersonInvolved, Referral
from locations.models import AccessLocation
from reports.models import AnnualReport
from tests.conftest import logged_in_client
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    MembershipFactory,
    NominationFactory,
    ObjectiveFactory,
    PlanFactory,
    UserFactory,
)

# The data is built once per module (in a transaction of its own): keep its tests on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query-counts")]

SMALL, LARGE = 10, 10_000
MAX_QUERIES = 15
# A page of 10,000 rows rendered whole runs to megabytes; a paginated or summed page stays far below.
MAX_PAGE_BYTES = 400_000

_serial = itertools.count(1)


def serial() -> int:
    """Numbers for unique names."""
    return next(_serial)


# --- the world every page is measured in ------------------------------------------------------

TEN_QUESTIONS = "slug: perf-checklist\nname: Ten-question checklist\nkind: checklist\nsections:\n" + "".join(
    f"  - key: s{s}\n    title: Section {s}\n    questions:\n"
    + "".join(
        f"      - key: q{s}{q}\n        text: Question {s}.{q}?\n        kind: yes_no\n        gap_when: 'no'\n"
        for q in range(5)
    )
    for s in range(2)
)


class World:
    """One person per role (champions and staff of agency A), the current action plan with a few
    actions made through the service, and this year's and last year's cycle of a ten-question audit."""

    def __init__(self):
        self.agency = AgencyFactory(name="Northfield Academy")
        self.people = {
            "champion_a": NominationFactory(agency=self.agency).user,
            "core_champion_a": NominationFactory(agency=self.agency, esig_membership="core").user,
            "staff_a": MembershipFactory(agency=self.agency).user,
            "secretariat": UserFactory(role=Role.SECRETARIAT),
            "board_member": UserFactory(role=Role.BOARD),
            "safeguarding_lead": UserFactory(role=Role.SAFEGUARDING_LEAD),
            "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True),
        }
        self.executive_lead = UserFactory(job_title="Headteacher")
        self.objective = ObjectiveFactory(priority__plan=PlanFactory())
        self.plan = self.objective.priority.plan
        for _ in range(3):
            ActionFactory(objective=self.objective, lead_agency=self.agency)
        version, _ = audit_services.template_import(text=TEN_QUESTIONS, fmt="yaml")
        today = timezone.localdate()
        self.this_year, self.last_year = (
            audit_services.cycle_open(
                template_version=version,
                year=today.year - back,
                opens_on=today - datetime.timedelta(days=30 + 365 * back),
                due_on=today + datetime.timedelta(days=20 - 365 * back),
                agencies=[self.agency],
                by=self.user("secretariat"),
            )
            for back in (0, 1)
        )

    def user(self, role: str) -> User:
        return self.people[role]


# --- builders: each adds ``n`` rows of one kind ------------------------------------------------


def _users(n: int) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"person.{(k := serial())}@example.org", full_name=f"Person {k}", password="!") for _ in range(n)
    )


def _agencies(n: int, lead: User | None = None, name: str = "Agency number") -> list[Agency]:
    sectors = list(Sector.values)
    return Agency.objects.bulk_create(
        Agency(name=f"{name} {(k := serial())}", sector=sectors[k % len(sectors)], executive_lead=lead)
        for _ in range(n)
    )


def agencies(world: World, n: int) -> None:
    """Agencies in the register with an executive lead and no champion."""
    _agencies(n, lead=world.executive_lead)


def champions(world: World, n: int) -> None:
    """Agencies with one current champion each."""
    started = timezone.localdate() - datetime.timedelta(days=100)
    Nomination.objects.bulk_create(
        Nomination(agency=agency, user=user, started_on=started)
        for agency, user in zip(_agencies(n), _users(n), strict=True)
    )


def answers(world: World, n: int) -> None:
    """Accepted returns of ten answers each, this year and last (n answers this year), some moderated."""
    new_agencies = _agencies(n // 10)
    for cycle, flip in ((world.this_year, 3), (world.last_year, 4)):
        questions = list(cycle.template_version.questions.order_by("pk"))
        returns = AuditReturn.objects.bulk_create(
            AuditReturn(
                cycle=cycle,
                agency=agency,
                status=ReturnStatus.ACCEPTED,
                submitted_at=timezone.now(),
                submitted_by=world.user("champion_a"),
            )
            for agency in new_agencies
        )
        Answer.objects.bulk_create(
            Answer(
                audit_return=r,
                question=q,
                value="no" if (r.pk + i) % flip == 0 else "yes",
                board_value="no" if (r.pk + i) % 7 == 0 else "",
            )
            for r in returns
            for i, q in enumerate(questions)
        )


def audit_returns(world: World, n: int) -> None:
    """Draft returns of this year's cycle, one per new agency; with many, earlier years' cycles too.

    The agencies' names sort after those with answers, so that the collation's first page of
    agencies has returns to collate at both sizes (a page of drafts alone has no answers to read).
    """
    new_agencies = _agencies(n, name="Youth club")
    AuditReturn.objects.bulk_create(AuditReturn(cycle=world.this_year, agency=agency) for agency in new_agencies)
    earliest = Cycle.objects.filter(template=world.this_year.template).order_by("year").first().year
    Cycle.objects.bulk_create(
        Cycle(
            template=world.this_year.template,
            template_version=world.this_year.template_version,
            year=earliest - 1 - i,
            due_on=world.this_year.due_on,
            created_by=world.user("secretariat"),
        )
        for i in range(n // 1000)
    )


def _incidents(n: int, *, agency, reporter, statuses=("reported", "in_progress", "closed")) -> list[Incident]:
    now = timezone.now()
    categories = Category.values
    return Incident.objects.bulk_create(
        Incident(
            agency=agency,
            reporter=reporter,
            status=statuses[k % len(statuses)],
            category=categories[k % len(categories)],
            description="Messages in a group chat.",
            reported_at=now - datetime.timedelta(seconds=k),
            urgent=k % 13 == 0,
        )
        for k in range(n)
    )


def agency_incidents(world: World, n: int) -> None:
    """Incidents of agency A reported by its staff, half with a referral outstanding."""
    incidents = _incidents(n, agency=world.agency, reporter=world.user("staff_a"))
    Referral.objects.bulk_create(Referral(incident=i, agency_type="police", required=True) for i in incidents[::2])


def reported_incidents(world: World, n: int) -> None:
    """Incidents a member of staff reported, a third of them still drafts."""
    _incidents(n, agency=world.agency, reporter=world.user("staff_a"), statuses=("draft", "reported", "in_progress"))


def escalated_incidents(world: World, n: int) -> None:
    """Incidents with a referral escalated to the partnership safeguarding lead."""
    incidents = _incidents(n, agency=world.agency, reporter=world.user("staff_a"), statuses=("reported", "in_progress"))
    Referral.objects.bulk_create(
        Referral(
            incident=i,
            agency_type="police",
            required=True,
            escalated_to=world.user("safeguarding_lead"),
            escalated_at=timezone.now(),
        )
        for i in incidents
    )


def quarter_incidents(world: World, n: int) -> None:
    """Incidents reported this quarter across ten agencies, each with a child involved and a referral made."""
    incidents = []
    for agency in _agencies(10):
        incidents += _incidents(n // 10, agency=agency, reporter=world.user("staff_a"))
    PersonInvolved.objects.bulk_create(
        PersonInvolved(incident=i, role="child", age_band="13-15", involvement="affected") for i in incidents
    )
    Referral.objects.bulk_create(
        Referral(incident=i, agency_type="police", required=True, referred_on=timezone.localdate()) for i in incidents
    )


def actions(world: World, n: int) -> None:
    """Actions of the current plan led by agency A, a third overdue, each with a progress update and a status change."""
    today = timezone.localdate()
    new = Action.objects.bulk_create(
        Action(
            plan=world.plan,
            objective=world.objective,
            ref=f"9.{(k := serial())}",
            action=f"Deliver briefing {k}",
            lead_agency=world.agency,
            due_on=today + datetime.timedelta(days=(k % 3 - 1) * 30),
            status=["red", "amber", "green", "blue"][k % 4],
        )
        for _ in range(n)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=a, text="Briefings delivered to three schools.") for a in new
    )
    StatusChange.objects.bulk_create(StatusChange(action=a, old="red", new=a.status, reason="Update") for a in new)


def overdue_locations(world: World, n: int) -> None:
    """Internet access locations of agency A, never checked."""
    AccessLocation.objects.bulk_create(
        AccessLocation(agency=world.agency, name=f"Library {serial()}", location_type="library") for _ in range(n)
    )


def annual_reports(world: World, n: int) -> None:
    """Generated annual reports, one version after another."""
    year = timezone.localdate().year - 1
    AnnualReport.objects.bulk_create(
        AnnualReport(year=year, version=serial(), status="done", generated_by=world.user("secretariat"), pages=12)
        for _ in range(n)
    )


def work_since_meeting(world: World, n: int) -> None:
    """A Board meeting a fortnight ago, and since then incidents reported and audit returns received."""
    if not Meeting.objects.exists():
        Meeting.objects.create(held_on=timezone.localdate() - datetime.timedelta(days=14), title="ESIG meeting")
    _incidents(n, agency=world.agency, reporter=world.user("staff_a"))
    AuditReturn.objects.filter(submitted_at__isnull=True).update(status="submitted", submitted_at=timezone.now())


# --- the pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[World], str]
    grows: tuple[Callable[[World, int], None], ...]

    @property
    def id(self) -> str:
        return f"{self.name}-{self.role}"


def url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name)


def collation(world: World) -> str:
    return reverse("audits:collation", args=[world.this_year.pk])


def plan_table(world: World) -> str:
    return reverse("actionplan:plan_table", args=[world.plan.pk])


CHAMPION_HOME = (agency_incidents, actions, overdue_locations, audit_returns)
PARTNERSHIP_HOME = (
    agencies,
    champions,
    actions,
    answers,
    audit_returns,
    overdue_locations,
    annual_reports,
    work_since_meeting,
)

# fmt: off
PAGES = [
    # page                  role                 url                                           what grows on it
    Page("home",            "champion_a",        url("home"),                                  CHAMPION_HOME),
    Page("home",            "core_champion_a",   url("home"),                                  CHAMPION_HOME),
    Page("home",            "staff_a",           url("home"),                                  (reported_incidents,)),
    Page("home",            "secretariat",       url("home"),                                  PARTNERSHIP_HOME),
    Page("home",            "board_member",      url("home"),                                  PARTNERSHIP_HOME),
    Page("home",            "safeguarding_lead", url("home"),                                  (*PARTNERSHIP_HOME, escalated_incidents)),
    Page("home",            "admin",             url("home"),                                  PARTNERSHIP_HOME),
    Page("agency-list",     "staff_a",           url("agencies:list"),                         (agencies,)),
    Page("agency-list",     "champion_a",        url("agencies:list"),                         (agencies,)),
    Page("agency-list",     "secretariat",       url("agencies:list"),                         (agencies,)),
    Page("agency-list",     "board_member",      url("agencies:list"),                         (agencies,)),
    Page("agency-list",     "safeguarding_lead", url("agencies:list"),                         (agencies,)),
    Page("agency-list",     "admin",             url("agencies:list"),                         (agencies,)),
    Page("champion-list",   "secretariat",       url("champions:list"),                        (champions, agencies)),
    Page("champion-list",   "board_member",      url("champions:list"),                        (champions, agencies)),
    Page("champion-list",   "safeguarding_lead", url("champions:list"),                        (champions, agencies)),
    Page("champion-list",   "admin",             url("champions:list"),                        (champions, agencies)),
    Page("collation",       "secretariat",       collation,                                    (answers, audit_returns)),
    Page("collation",       "board_member",      collation,                                    (answers, audit_returns)),
    Page("collation",       "safeguarding_lead", collation,                                    (answers, audit_returns)),
    Page("collation",       "admin",             collation,                                    (answers, audit_returns)),
    Page("incident-list",   "staff_a",           url("incidents:list"),                        (reported_incidents,)),
    Page("incident-list",   "champion_a",        url("incidents:list"),                        (agency_incidents,)),
    Page("incident-list",   "safeguarding_lead", url("incidents:list"),                        (escalated_incidents,)),
    Page("monitoring",      "secretariat",       url("incidents:monitoring"),                  (quarter_incidents,)),
    Page("monitoring",      "board_member",      url("incidents:monitoring"),                  (quarter_incidents,)),
    Page("monitoring",      "admin",             url("incidents:monitoring"),                  (quarter_incidents,)),
    Page("plan-dashboard",  "staff_a",           url("actionplan:dashboard"),                  (actions,)),
    Page("plan-dashboard",  "champion_a",        url("actionplan:dashboard"),                  (actions,)),
    Page("plan-dashboard",  "secretariat",       url("actionplan:dashboard"),                  (actions,)),
    Page("plan-dashboard",  "board_member",      url("actionplan:dashboard"),                  (actions,)),
    Page("plan-dashboard",  "safeguarding_lead", url("actionplan:dashboard"),                  (actions,)),
    Page("plan-dashboard",  "admin",             url("actionplan:dashboard"),                  (actions,)),
    Page("plan-table",      "staff_a",           plan_table,                                   (actions,)),
    Page("plan-table",      "champion_a",        plan_table,                                   (actions,)),
    Page("plan-table",      "secretariat",       plan_table,                                   (actions,)),
    Page("plan-table",      "board_member",      plan_table,                                   (actions,)),
    Page("plan-table",      "safeguarding_lead", plan_table,                                   (actions,)),
    Page("plan-table",      "admin",             plan_table,                                   (actions,)),
    Page("annual-reports",  "secretariat",       url("reports:list"),                          (annual_reports,)),
    Page("annual-reports",  "board_member",      url("reports:list"),                          (annual_reports,)),
    Page("annual-reports",  "admin",             url("reports:list"),                          (annual_reports,)),
    # The Django admin's lists (incidents are kept out of the admin on purpose).
    Page("admin-agencies",  "admin",             url("admin:agencies_agency_changelist"),      (agencies,)),
    Page("admin-champions", "admin",             url("admin:champions_nomination_changelist"), (champions,)),
    Page("admin-returns",   "admin",             url("admin:audits_auditreturn_changelist"),   (audit_returns,)),
    Page("admin-actions",   "admin",             url("admin:actionplan_action_changelist"),    (actions,)),
    Page("admin-reports",   "admin",             url("admin:reports_annualreport_changelist"), (annual_reports,)),
]
# fmt: on


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measure:
    status: int | str
    queries: list[str]
    size: int
    seconds: float = 0.0

    def listing(self) -> str:
        return "\n".join(f"{i}. {q[:300]}" for i, q in enumerate(self.queries, 1))


def measure(client, path: str) -> Measure:
    """One request for the page: its status (or the error it raised), its queries and its size."""
    started = time.perf_counter()
    try:
        # A savepoint of its own, so that a page that fails leaves the others' data as it was.
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    except Exception as error:  # noqa: BLE001 - reported by the page's own test
        return Measure(repr(error), [], 0)
    queries = [q["sql"] for q in captured.captured_queries]
    return Measure(response.status_code, queries, len(response.content), time.perf_counter() - started)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> dict[tuple[str, int], Measure]:
    """Every page of the table at both sizes, in one world built once for the module and rolled back."""
    builders = list(dict.fromkeys(build for page in PAGES for build in page.grows))
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        world = World()
        clients = {role: logged_in_client(world.user(role)) for role in {page.role for page in PAGES}}
        for client in clients.values():
            # Someone already at work: their session was renewed a moment ago, so the pages measured
            # only read it (the renewal's write comes at most once a minute; tests/accounts/test_sessions.py).
            client.get(reverse("home"))
        for size, step in ((SMALL, SMALL), (LARGE, LARGE - SMALL)):
            for build in builders:
                build(world, step)
            # The builders insert in bulk, as an import or the seeding does: the cached figures count again,
            # so each page is measured working its figures out (the cold request, its most queries).
            figures.bump(*figures.AREAS)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics, as after an import (for the timings shown)
            for page in PAGES:
                results[page.id, size] = measure(clients[page.role], page.url(world))
        for page in PAGES:  # again, nothing changed: the figures come from the cache
            results[page.id, "again"] = measure(clients[page.role], page.url(world))
        transaction.set_rollback(True)
    return results


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_page_uses_few_queries_and_as_many_for_10_rows_as_for_10000(page, measured):
    small, large = measured[page.id, SMALL], measured[page.id, LARGE]
    print(
        f"{page.id}: {len(small.queries)} queries with {SMALL} rows, {len(large.queries)} with {LARGE:,}"
        f" ({large.size // 1000} kB in {large.seconds * 1000:.0f} ms)"
    )
    assert (small.status, large.status) == (200, 200)
    assert len(small.queries) <= MAX_QUERIES, f"{page.id} with {SMALL} rows:\n{small.listing()}"
    assert len(large.queries) == len(small.queries), (
        f"{page.id} with {SMALL} rows:\n{small.listing()}\nwith {LARGE} rows:\n{large.listing()}"
    )
    assert large.size < MAX_PAGE_BYTES, f"{page.id} is {large.size:,} bytes with {LARGE} rows: a list rendered whole?"


# Pages whose figures are cached (esafety.figures): asked again with nothing changed, they read the
# figure versions (one query) instead of counting. The home page's sections are cached per person;
# the others' figures are shared by everyone who may see them, so the first role to ask counts them
# and the next roles already find them in the cache.
CACHED = {"home", "collation", "monitoring", "plan-dashboard"}


@pytest.mark.parametrize("page", [p for p in PAGES if p.name in CACHED], ids=lambda p: p.id)
def test_a_page_asked_again_reads_its_figures_from_the_cache(page, measured):
    first = page if page.name == "home" else next(p for p in PAGES if p.name == page.name)
    counting, again = measured[first.id, LARGE], measured[page.id, "again"]
    print(f"{page.id}: {len(counting.queries)} queries counting, {len(again.queries)} from the cache")
    assert again.status == 200
    assert len(again.queries) < len(counting.queries), f"{page.id} asked again:\n{again.listing()}"
