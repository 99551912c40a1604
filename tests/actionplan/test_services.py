"""The rules of the plan: status history, the overdue rule in London dates, the service contract."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actionplan import services
from actionplan.models import Action, StatusChange
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_action_created_from_an_audit_gap_shows_where_it_came_from(objective, agency_a, secretariat):
    action = services.action_create(
        objective=objective,
        action="Publish the acceptable use policy to parents",
        by=secretariat,
        lead_agency=agency_a,
        due_on=datetime.date(2026, 3, 31),
        source_label="Audit 2026 gap: AUP not publicised to parents",
        source_url="/audits/returns/7/",
    )
    assert action.plan == objective.priority.plan
    assert action.ref == "1.1.1"
    assert action.source_label.startswith("Audit 2026 gap")
    first = action.status_changes.get()
    assert (first.old, first.new, first.by) == ("", "red", secretariat)


def test_action_refs_are_numbered_after_their_objective_without_clashing(objective):
    ActionFactory(objective=objective, ref="1.1.2")
    second = ActionFactory(objective=objective)
    assert second.ref == "1.1.3"


def test_every_status_change_keeps_who_when_old_new_and_why(action_a, champion_a, secretariat):
    services.action_set_status(action=action_a, status="amber", reason="Draft policy written", by=champion_a)
    services.action_set_status(action=action_a, status="green", reason="Policy adopted by governors", by=secretariat)
    history = list(action_a.status_changes.order_by("at", "pk").values_list("old", "new", "reason", "by"))
    assert history == [
        ("", "red", "Action added to the plan.", None),
        ("red", "amber", "Draft policy written", champion_a.pk),
        ("amber", "green", "Policy adopted by governors", secretariat.pk),
    ]
    action_a.refresh_from_db()
    assert action_a.status == "green"


def test_setting_the_same_status_records_nothing(action_a, secretariat):
    assert services.action_set_status(action=action_a, status="red", reason="No change", by=secretariat) is None
    assert action_a.status_changes.count() == 1


def test_a_status_change_needs_a_reason_and_a_known_status(action_a, secretariat):
    with pytest.raises(ValidationError):
        services.action_set_status(action=action_a, status="amber", reason="  ", by=secretariat)
    with pytest.raises(ValidationError):
        services.action_set_status(action=action_a, status="purple", reason="Why not", by=secretariat)
    assert StatusChange.objects.filter(action=action_a).count() == 1


def test_an_ongoing_action_cannot_have_a_due_date(objective, secretariat):
    with pytest.raises(ValidationError):
        services.action_create(
            objective=objective,
            action="Keep the register",
            by=secretariat,
            ongoing=True,
            due_on=datetime.date(2026, 1, 1),
        )


def test_a_progress_update_cannot_be_dated_in_the_future(action_a, champion_a):
    with pytest.raises(ValidationError):
        services.progress_update_add(
            action=action_a, text="Done", by=champion_a, date=timezone.localdate() + datetime.timedelta(days=1)
        )


def _overdue_refs(today=None):
    return set(Action.objects.overdue(today).values_list("ref", flat=True))


def test_overdue_means_past_its_timescale_and_not_green_or_blue(objective):
    today = datetime.date(2026, 6, 15)
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    ActionFactory(objective=objective, ref="late-red", due_on=yesterday, status="red")
    ActionFactory(objective=objective, ref="late-amber", due_on=yesterday, status="amber")
    ActionFactory(objective=objective, ref="late-green", due_on=yesterday, status="green")
    ActionFactory(objective=objective, ref="late-blue", due_on=yesterday, status="blue")
    ActionFactory(objective=objective, ref="due-today", due_on=today, status="red")
    ActionFactory(objective=objective, ref="due-later", due_on=tomorrow, status="red")
    ActionFactory(objective=objective, ref="review-missed", due_on=None, ongoing=True, review_on=yesterday)
    ActionFactory(objective=objective, ref="review-later", due_on=None, ongoing=True, review_on=tomorrow)
    ActionFactory(objective=objective, ref="no-timescale", due_on=None)
    assert _overdue_refs(today) == {"late-red", "late-amber", "review-missed"}


def test_overdue_follows_the_london_date_not_the_utc_one(objective, monkeypatch):
    """At 00:30 on 1 July in London it is still 30 June in UTC: an action due on 30 June is overdue."""
    ActionFactory(objective=objective, ref="due-30-june", due_on=datetime.date(2026, 6, 30))
    just_after_london_midnight = datetime.datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)
    assert just_after_london_midnight.astimezone(datetime.UTC).date() == datetime.date(2026, 6, 30)
    monkeypatch.setattr(timezone, "now", lambda: just_after_london_midnight.astimezone(datetime.UTC))
    assert timezone.localdate() == datetime.date(2026, 7, 1)
    assert _overdue_refs() == {"due-30-june"}
    action = Action.objects.get(ref="due-30-june")
    assert action.overdue  # the same rule on a single loaded action

    just_before_london_midnight = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: just_before_london_midnight.astimezone(datetime.UTC))
    assert _overdue_refs() == set()
    assert not Action.objects.get(ref="due-30-june").overdue


def test_overdue_in_winter_uses_gmt(objective, monkeypatch):
    ActionFactory(objective=objective, ref="due-31-dec", due_on=datetime.date(2026, 12, 31))
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2027, 1, 1, 0, 5, tzinfo=datetime.UTC))
    assert _overdue_refs() == {"due-31-dec"}
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 31, 23, 55, tzinfo=datetime.UTC))
    assert _overdue_refs() == set()


def test_archiving_keeps_the_action_and_its_history(action_a, secretariat):
    services.action_archive(action=action_a, by=secretariat)
    assert Action.objects.filter(pk=action_a.pk).exists()
    assert not Action.objects.active().filter(pk=action_a.pk).exists()
    assert action_a.status_changes.exists()
