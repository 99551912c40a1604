"""``seed_demo --scale large``: years of a big partnership's work on top of the demo, here at a fiftieth of the size.

The demo and the large steps are built once for the module (in a transaction rolled back at the
end); each test reads what a person using the portal would notice.
"""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone

from accounts.large import LargeSizes
from accounts.management.commands.seed_demo import DEMO_PASSWORD, DemoContext, build
from accounts.models import User
from actionplan.models import Action, Plan, ProgressUpdate
from agencies.models import Agency, Membership
from audits.models import AuditReturn, Cycle, ReturnStatus
from champions.models import Nomination
from incidents.models import Incident, Status
from incidents.retention import REMOVED, retention_cutoff
from reminders.models import Reminder, ReminderStatus
from reminders.services import reminders_sweep

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("heavy")]

# Totals (agencies, people, actions) must stay above the demo's own 20 agencies, ~65 people and 48 actions.
SMALL = LargeSizes().scaled(1 / 50, agencies=40, users=150, actions=80)


def _context() -> DemoContext:
    return DemoContext(today=timezone.localdate(), password=DEMO_PASSWORD, scale="large", sizes=SMALL)


@pytest.fixture(scope="module")
def large(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = _context()
        build(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def built(large, db):
    return large


def test_large_scale_builds_every_part_at_the_asked_size(built):
    assert Agency.objects.count() == 40
    assert User.objects.count() == 150
    assert Membership.objects.count() > 40
    assert Nomination.objects.current().values("agency").distinct().count() > 30
    assert Agency.objects.active().without_champion().exists()  # some agencies have no champion now
    years = list(Cycle.objects.filter(template__slug="maturity-review").values_list("year", flat=True))
    today = timezone.localdate()
    assert sorted(years) == list(range(today.year - 9, today.year + 1))
    assert Incident.objects.count() >= SMALL.incidents + 300  # the demo's own and the large scale's
    assert Plan.objects.get(is_current=True).actions.count() == 80
    assert ProgressUpdate.objects.count() >= SMALL.progress_updates
    assert Reminder.objects.count() >= SMALL.reminders
    assert "Large data set built" in built.log[-1]


def test_every_agency_asked_in_a_cycle_has_one_return_and_finished_ones_answer_every_question(built):
    agencies = list(Agency.objects.all())
    for cycle in Cycle.objects.filter(template__slug="maturity-review"):
        # The partnership's members on the day the cycle opened (some joined later, a few closed before).
        asked = {
            a.pk
            for a in agencies
            if a.is_member_on(cycle.opens_on) and (not a.archived_at or a.archived_at.date() > cycle.opens_on)
        }
        assert set(cycle.returns.values_list("agency_id", flat=True)) == asked, cycle
    questions = {c.pk: c.template_version.questions.count() for c in Cycle.objects.select_related("template_version")}
    assert min(questions.values()) > 0
    finished = AuditReturn.objects.filter(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED]).annotate(
        answered=Count("answers")
    )
    assert finished.count() > 300
    assert all(r.answered == questions[r.cycle_id] for r in finished)
    # Earlier years are all in; this year is a mix.
    today = timezone.localdate()
    past = AuditReturn.objects.filter(cycle__year__lt=today.year - 1)
    assert not past.filter(status__in=[ReturnStatus.DRAFT, ReturnStatus.RETURNED]).exists()
    now = set(AuditReturn.objects.filter(cycle__year=today.year).values_list("status", flat=True))
    assert {ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED} <= now
    # Each return's history starts when its cycle opened and ends in its status.
    sample = AuditReturn.objects.filter(status=ReturnStatus.ACCEPTED).order_by("?")[:20]
    for r in sample:
        changes = list(r.status_changes.order_by("at", "pk"))
        assert changes[0].from_status == "" and changes[-1].to_status == ReturnStatus.ACCEPTED


def test_incidents_span_ten_years_and_old_ones_keep_only_their_figures(built):
    span = Incident.objects.filter(reported_at__isnull=False).aggregate(
        first=Min("reported_at"), last=Max("reported_at")
    )
    assert span["last"] - span["first"] > datetime.timedelta(days=365 * 9)
    years = {d.year for d in Incident.objects.filter(reported_at__isnull=False).dates("reported_at", "year")}
    assert len(years) >= 10
    expired = Incident.objects.filter(status=Status.CLOSED, closed_at__lt=retention_cutoff())
    assert expired.exists()
    assert not expired.filter(anonymised_at__isnull=True).exists()
    assert set(expired.values_list("description", flat=True)) == {REMOVED}
    # Older than the demo's own two years: all closed.
    two_years_ago = timezone.now() - datetime.timedelta(days=731)
    assert not Incident.objects.filter(reported_at__lt=two_years_ago).exclude(status=Status.CLOSED).exists()
    # A closed incident has every referral the flow chart required dated, with an outcome.
    for incident in Incident.objects.filter(status=Status.CLOSED, urgent=True).prefetch_related("referrals")[:200]:
        assert incident.referrals.all(), incident
        assert all(r.referred_on and r.outcome for r in incident.referrals.all() if r.required)


def test_every_action_is_in_the_current_plan_with_its_status_history(built):
    plan = Plan.objects.get(is_current=True)
    assert not Action.objects.exclude(plan=plan).exists()
    assert not Action.objects.exclude(objective__priority__plan=plan).exists()
    refs = list(plan.actions.values_list("ref", flat=True))
    assert len(refs) == len(set(refs))
    for action in plan.actions.prefetch_related("status_changes"):
        changes = sorted(action.status_changes.all(), key=lambda c: (c.at, c.pk))
        assert changes[0].old == "" and changes[-1].new == action.status, action.ref


def test_demo_and_bulk_people_log_in_with_the_demo_password(built, client):
    response = client.post(reverse("login"), {"username": "champion@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    staff = Membership.objects.filter(agency__name="Northfield Academy").exclude(user__email="staff@example.org")
    person = staff.order_by("pk").last().user
    response = client.post(reverse("login"), {"username": person.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_next_reminder_sweep_has_nothing_to_catch_up(built):
    assert not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
    assert reminders_sweep() == []


def test_running_it_again_adds_nothing(built):
    before = (Agency.objects.count(), User.objects.count(), Incident.objects.count(), Reminder.objects.count())
    ctx = _context()
    build(ctx)
    after = (Agency.objects.count(), User.objects.count(), Incident.objects.count(), Reminder.objects.count())
    assert after == before
    assert any("already there" in line for line in ctx.log)


def test_internet_access_locations_have_years_of_filtering_and_monitoring_reviews(built, client_for):
    from locations.models import AccessLocation, FilteringReview

    today = timezone.localdate()
    active = AccessLocation.objects.active()
    assert active.count() > 20 and FilteringReview.objects.count() > active.count()  # the demo has 14
    # Most are in date; some missed a year or were never reviewed, and the partnership's view lists them.
    overdue = active.review_overdue(today)
    assert 0 < overdue.count() < active.count() / 2
    assert active.filter(last_review__isnull=True).exists()
    # Each location points to its latest review.
    for location in active.filter(last_review__isnull=False).select_related("last_review")[:50]:
        assert location.last_review.reviewed_on == location.reviews.aggregate(Max("reviewed_on"))["reviewed_on__max"]
    secretariat = User.objects.get(email="secretariat@example.org")
    response = client_for(secretariat).get(reverse("locations:reviews_overdue"))
    assert response.context["counts"]["overdue"] == overdue.count()


def test_the_partnership_picture_follows_last_years_gaps_to_this_year(built, client_for):
    from audits.models import GapAction

    year = timezone.localdate().year
    links = GapAction.objects.filter(answer__audit_return__cycle__year=year - 1)
    assert links.count() > 10 and links.filter(action__status__in=["green", "blue"]).exists()
    board = User.objects.get(email="board@example.org")
    follow_up = client_for(board).get(reverse("reports:picture")).context["p"]["follow_up"]
    assert sum(row.with_action for row in follow_up) == links.values("answer").distinct().count()
    assert sum(row.closed_with_action for row in follow_up) > 0
