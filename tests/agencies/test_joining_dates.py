"""The secretariat dates each agency's joining from the evidence that it took part, after bringing its history in."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from activity.models import Action, ActivityEvent
from agencies import joining
from agencies.models import Agency
from audits import services as audit_services
from esig.models import TrainingHeadcount
from locations.models import FilteringReview
from tests.audits.conftest import CHECKLIST_YAML
from tests.factories import (
    AccessLocationFactory,
    AgencyFactory,
    AttendanceFactory,
    IncidentFactory,
    MeetingFactory,
    NominationFactory,
    TrainingAttendeeFactory,
    TrainingEventFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.date(TODAY.year - 2, 5, 17)


def _audit(agency, by):
    version, _ = audit_services.template_import(text=CHECKLIST_YAML, fmt="yaml")
    audit_services.cycle_open(
        template_version=version,
        year=DAY.year,
        opens_on=DAY,
        due_on=DAY + datetime.timedelta(days=30),
        agencies=[agency],
        by=by,
    )


def _incident(agency, by):
    IncidentFactory(
        agency=agency,
        imported_from="cpoms",
        reported_at=datetime.datetime.combine(DAY, datetime.time(12), datetime.UTC),
    )


def _nomination(agency, by):
    NominationFactory(agency=agency, started_on=DAY)


def _esig(agency, by):
    # The champion's nomination was typed in today; the meeting they attended was brought in with its minutes.
    champion = NominationFactory(agency=agency, started_on=TODAY)
    AttendanceFactory(meeting=MeetingFactory(held_on=DAY), user=champion.user)


def _training(agency, by):
    TrainingAttendeeFactory(agency=agency, event=TrainingEventFactory(held_on=DAY))


def _headcount(agency, by):
    TrainingHeadcount.objects.create(event=TrainingEventFactory(held_on=DAY), agency=agency, people=12, recorded_by=by)


def _review(agency, by):
    FilteringReview.objects.create(
        agency=agency,
        location=AccessLocationFactory(agency=agency),
        reviewed_on=DAY,
        senior_leader="Head of service",
        filtering_provider="LGfL WebScreen",
        roles_answer="met",
        review_answer="met",
        blocking_answer="met",
        monitoring_answer="met",
        next_review_due=DAY + datetime.timedelta(days=365),
        recorded_by=by,
    )


EVIDENCE = {
    "audit": (_audit, f"asked to return the audit cycle that opened on {DAY:%-d %B %Y}"),
    "incident": (_incident, f"an incident reported or imported on {DAY:%-d %B %Y}"),
    "champion": (_nomination, f"a champion nominated from {DAY:%-d %B %Y}"),
    "esig": (_esig, f"one of its champions attended the ESIG meeting of {DAY:%-d %B %Y}"),
    "training": (_training, f"training attended on {DAY:%-d %B %Y}"),
    "headcount": (_headcount, f"training attended on {DAY:%-d %B %Y}"),
    "filtering-review": (_review, f"a filtering review of one of its internet access locations on {DAY:%-d %B %Y}"),
}


@pytest.mark.parametrize("evidence", EVIDENCE)
def test_an_agency_typed_in_today_joined_when_it_first_took_part(evidence, secretariat):
    agency = AgencyFactory(name="Hazel Children's Centre")
    make, said = EVIDENCE[evidence]
    make(agency, secretariat)
    [change] = joining.joining_dates_proposed()
    assert (change.agency, change.was, change.joined_on, change.evidence) == (agency, TODAY, DAY, said)
    joining.joining_dates_apply(by=secretariat)
    agency.refresh_from_db()
    assert agency.joined_on == DAY
    event = ActivityEvent.objects.get(action=Action.MEMBERSHIP_DATES_CHANGED, agency=agency)
    assert event.actor == secretariat
    assert event.summary == f"Joined the partnership on {DAY:%-d %B %Y} (was {TODAY:%-d %B %Y}): {said}."


def test_the_earliest_evidence_wins_and_a_date_typed_earlier_is_kept(secretariat):
    typed = AgencyFactory(name="Oak Library", joined_on=datetime.date(2001, 4, 1))
    _nomination(typed, secretariat)
    several = AgencyFactory(name="Pine Police")
    _training(several, secretariat)
    IncidentFactory(agency=several, reported_at=datetime.datetime(DAY.year - 1, 2, 3, 12, tzinfo=datetime.UTC))
    IncidentFactory(agency=several, status="draft", reported_at=None)  # a draft was never reported: no evidence
    nothing = AgencyFactory(name="Quince Youth Club")
    changes = joining.joining_dates_proposed()
    assert [(c.agency.name, c.joined_on) for c in changes] == [("Pine Police", datetime.date(DAY.year - 1, 2, 3))]
    joining.joining_dates_apply(by=secretariat)
    assert Agency.objects.get(pk=typed.pk).joined_on == datetime.date(2001, 4, 1)
    assert Agency.objects.get(pk=nothing.pk).joined_on == TODAY


def test_a_meeting_a_former_champion_attended_for_another_agency_is_not_evidence(secretariat):
    earlier = AgencyFactory(name="Rowan School")
    later = AgencyFactory(name="Sycamore Trust")
    person = NominationFactory(agency=earlier, started_on=DAY, ended_on=DAY + datetime.timedelta(days=40)).user
    AttendanceFactory(meeting=MeetingFactory(held_on=DAY + datetime.timedelta(days=20)), user=person)
    NominationFactory(agency=later, user=person, started_on=TODAY)
    assert [c.agency for c in joining.joining_dates_proposed()] == [earlier]


def test_the_secretariat_previews_the_joining_dates_then_changes_them_once(secretariat, client_for):
    agency = AgencyFactory(name="Willow Academy")
    _audit(agency, secretariat)
    client = client_for(secretariat)
    assert reverse("agencies:joining_dates") in client.get(reverse("agencies:list")).content.decode()
    page = client.get(reverse("agencies:joining_dates")).content.decode()
    assert "1 agency would change" in page and "Willow Academy" in page and f"{DAY:%-d %B %Y}" in page
    assert Agency.objects.get(pk=agency.pk).joined_on == TODAY  # the preview changes nothing

    done = client.post(reverse("agencies:joining_dates"), follow=True).content.decode()
    assert f"Willow Academy, {DAY:%-d %B %Y}" in done
    assert "Every agency's joining date already matches the evidence" in done
    assert Agency.objects.get(pk=agency.pk).joined_on == DAY
    # Each change is on the agency's history, shown on its page.
    detail = client.get(agency.get_absolute_url()).content.decode()
    assert "How its joining and leaving dates were set" in detail
    assert f"Joined the partnership on {DAY:%-d %B %Y} (was {TODAY:%-d %B %Y})" in detail
    client.post(reverse("agencies:joining_dates"))
    assert ActivityEvent.objects.filter(action=Action.MEMBERSHIP_DATES_CHANGED).count() == 1


def test_a_date_typed_on_the_agency_page_is_on_its_history(secretariat, client_for, agency_a):
    client = client_for(secretariat)
    form = client.get(reverse("agencies:edit", args=[agency_a.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["joined_on"] = "2010-09-01"
    assert client.post(reverse("agencies:edit", args=[agency_a.pk]), data).status_code == 302
    event = ActivityEvent.objects.get(action=Action.MEMBERSHIP_DATES_CHANGED, agency=agency_a)
    assert event.summary == (
        f"Joined the partnership on 1 September 2010 (was {agency_a.joined_on:%-d %B %Y}): typed on the agency's page."
    )


@pytest.mark.parametrize("role", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_register_managers_may_date_agencies(role, personas, client_for):
    agency = AgencyFactory(name="Yew Nursery")
    _nomination(agency, personas["secretariat"])
    client = client_for(personas[role])
    assert client.get(reverse("agencies:joining_dates")).status_code == 403
    assert client.post(reverse("agencies:joining_dates")).status_code == 403
    assert Agency.objects.get(pk=agency.pk).joined_on == TODAY


def test_someone_not_logged_in_is_sent_to_log_in(client):
    response = client.post(reverse("agencies:joining_dates"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_administrator_may_date_agencies(admin_user, client_for):
    assert client_for(admin_user).get(reverse("agencies:joining_dates")).status_code == 200


@pytest.mark.parametrize("agencies", [2, 12])
def test_the_joining_dates_page_reads_a_fixed_number_of_queries(
    agencies, secretariat, client_for, django_assert_max_num_queries
):
    for _index in range(agencies):
        agency = AgencyFactory()
        _nomination(agency, secretariat)
        _training(agency, secretariat)
    client = client_for(secretariat)
    # Session and user (2), the second factor (1), the evidence (8), the agencies (1).
    with django_assert_max_num_queries(14):
        assert client.get(reverse("agencies:joining_dates")).status_code == 200


def test_the_command_lists_then_applies_the_same_changes(secretariat):
    agency = AgencyFactory(name="Elm Probation Office")
    _incident(agency, secretariat)
    listed = io.StringIO()
    call_command("agency_joining_dates", stdout=listed)
    assert f"Elm Probation Office: Joined the partnership on {DAY:%-d %B %Y}" in listed.getvalue()
    assert "1 agency would change; run again with --apply" in listed.getvalue()
    assert Agency.objects.get(pk=agency.pk).joined_on == TODAY

    applied = io.StringIO()
    call_command("agency_joining_dates", "--apply", "--by", secretariat.email, stdout=applied)
    assert "Changed the joining date of 1 agency." in applied.getvalue()
    assert Agency.objects.get(pk=agency.pk).joined_on == DAY
    assert ActivityEvent.objects.get(action=Action.MEMBERSHIP_DATES_CHANGED).actor == secretariat

    again = io.StringIO()
    call_command("agency_joining_dates", "--apply", stdout=again)
    assert "nothing to change" in again.getvalue()
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("agency_joining_dates", "--by", "nobody@example.org")


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_dates_agencies_from_their_evidence_and_keeps_dates_typed_earlier(secretariat):
    """The migration itself, on PostgreSQL: the register as the version before left it, then the upgrade."""
    executor = MigrationExecutor(connection)
    executor.migrate([("agencies", "0004_agency_people_served")])
    typed_in = AgencyFactory(name="Ash Grove School")
    _audit(typed_in, secretariat)
    typed_earlier = AgencyFactory(name="Beech Library", joined_on=datetime.date(2001, 4, 1))
    _nomination(typed_earlier, secretariat)
    AgencyFactory(name="Cherry Youth Club")  # no evidence: keeps the day it was added
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    joined = dict(Agency.objects.values_list("name", "joined_on"))
    assert joined == {"Ash Grove School": DAY, "Beech Library": datetime.date(2001, 4, 1), "Cherry Youth Club": TODAY}
    event = ActivityEvent.objects.get(action=Action.MEMBERSHIP_DATES_CHANGED)
    assert (event.agency, event.actor, event.actor_label) == (typed_in, None, "Upgrade of the portal")
    assert event.summary == (
        f"Joined the partnership on {DAY:%-d %B %Y} (was {TODAY:%-d %B %Y}): "
        f"asked to return the audit cycle that opened on {DAY:%-d %B %Y}."
    )
