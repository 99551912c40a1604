"""The secretariat archives a finished plan: it leaves the lists and the reminders, its actions and
their history are kept, and it can be restored. The current plan cannot be archived."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Plan
from activity.models import ActivityEvent
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_plan(plan, agency_a):
    """Last period's plan (not the current one), with an overdue Amber action agency A leads."""
    old = PlanFactory(name="E-safety strategy action plan", period="2022-24", is_current=False)
    objective = ObjectiveFactory(priority=PriorityFactory(plan=old, number=1), number="1.1")
    ActionFactory(
        objective=objective,
        ref="1.1.1",
        status="amber",
        lead_agency=agency_a,
        lead_text="",
        due_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return old


def archive(client, plan, **data):
    return client.post(reverse("actionplan:plan_archive", args=[plan.pk]), data, follow=True)


def test_the_secretariat_archives_a_finished_plan_and_can_restore_it(finished_plan, secretariat, client_for):
    client = client_for(secretariat)
    body = archive(client, finished_plan).content.decode()
    assert "E-safety strategy action plan (2022-24) has been archived" in body
    finished_plan.refresh_from_db()
    assert finished_plan.archived_at is not None
    assert finished_plan.actions.count() == 1  # nothing of it is lost
    listed = body[body.index("<h1") : body.index("Archived plans")]
    assert "(2022-24)" not in listed  # off the list of plans ...
    assert "Restore<span" in body[body.index("Archived plans") :]  # ... and among the archived ones
    assert client.get(reverse("actionplan:plan_dashboard", args=[finished_plan.pk])).status_code == 404
    event = ActivityEvent.objects.get(action="archived", object_type="actionplan.Plan")
    assert event.actor == secretariat and event.object_id == str(finished_plan.pk)

    body = archive(client, finished_plan, restore="1").content.decode()
    assert "is back among the action plans" in body
    assert client.get(reverse("actionplan:plan_dashboard", args=[finished_plan.pk])).status_code == 200


def test_the_current_plan_cannot_be_archived(plan, secretariat, client_for):
    body = archive(client_for(secretariat), plan).content.decode()
    assert "is the current plan: make another plan current before archiving this one." in body
    assert Plan.objects.get(pk=plan.pk).archived_at is None


def test_no_reminders_go_out_for_the_actions_of_an_archived_plan(finished_plan, champion_a, secretariat, client_for):
    week_on = timezone.localdate() + datetime.timedelta(days=7)
    archive(client_for(secretariat), finished_plan)
    reminder_services.reminders_sweep(today=week_on, codes=["action-due"])
    assert not Reminder.objects.exists()

    archive(client_for(secretariat), finished_plan, restore="1")
    reminder_services.reminders_sweep(today=week_on, codes=["action-due"])
    assert Reminder.objects.filter(rule__code="action-due").exists()


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_those_who_keep_the_plan_may_archive_or_restore_it(finished_plan, personas, client_for, persona):
    client = client_for(personas[persona])
    url = reverse("actionplan:plan_archive", args=[finished_plan.pk])
    assert client.post(url).status_code == 403
    finished_plan.archived_at = timezone.now()
    finished_plan.save()
    assert client.post(url, {"restore": "1"}).status_code == 403
    assert Plan.objects.get(pk=finished_plan.pk).archived_at is not None
    assert "Archived plans" not in client.get(reverse("actionplan:plan_list")).content.decode()


def test_archiving_is_a_post(finished_plan, secretariat, client_for):
    assert client_for(secretariat).get(reverse("actionplan:plan_archive", args=[finished_plan.pk])).status_code == 405
    assert Plan.objects.get(pk=finished_plan.pk).archived_at is None
