"""Retention never breaks the chain: anonymising incidents leaves the trail whole (it holds ids and
labels, never an incident's text), and events past the trail's own retention period go only through
the owner's ``prune_trail``, which leaves a signed checkpoint so ``verify_trail`` still passes."""

import json

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from activity.integrity import TrailNotWhole, trail_prune, trail_verify
from activity.models import Action, ActivityEvent, TrailCheckpoint
from activity.services import activity_record
from incidents import services as incident_services
from incidents.retention import incidents_anonymise_expired
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def owner_sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement, params)


def test_anonymising_incidents_leaves_the_trail_whole_and_it_never_held_their_text(
    settings, agency_a, staff_a, champion_a
):
    settings.INCIDENT_RETENTION_DAYS = 30
    incident = IncidentFactory(agency=agency_a, reporter=staff_a, description="Jamie was sent messages by a stranger")
    incident_services.chronology_add(
        incident=incident, happened_at=timezone.now(), action="Rang Jamie's mother about the stranger", by=champion_a
    )
    incident_services.incident_close(
        incident=incident,
        outcome="resolved",
        outcome_detail="Police told",
        lessons_learned="Tell parents sooner",
        by=champion_a,
    )
    type(incident).objects.filter(pk=incident.pk).update(closed_at=timezone.now() - timezone.timedelta(days=60))
    assert incidents_anonymise_expired() == 1
    assert trail_verify().ok
    events = ActivityEvent.objects.filter(object_type="incidents.Incident", object_id=str(incident.pk))
    assert events.filter(action=Action.INCIDENT_CHANGED, summary__contains="Anonymised").count() == 1
    text = " ".join(events.values_list("summary", flat=True))
    assert "Jamie" not in text and "stranger" not in text and "Police told" not in text


def test_events_past_retention_go_only_after_a_signed_checkpoint(trail_store):
    old = [activity_record("exported", actor_label=f"old{n}@example.org") for n in range(4)]
    cutoff = timezone.now()
    kept = [activity_record("exported", actor_label=f"new{n}@example.org") for n in range(3)]
    checkpoint = trail_prune(before=cutoff, using="default")
    assert checkpoint.removed == 4 and checkpoint.first_kept_id == kept[0].pk
    assert checkpoint.prev_hash == old[-1].hash
    assert not ActivityEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    # The removal is itself an event, and the trail still checks out from the checkpoint on.
    last = ActivityEvent.objects.order_by("-pk").first()
    assert last.action == Action.TRAIL_PRUNED and "4 events" in last.summary
    report = trail_verify()
    assert report.ok and report.checked == 4
    # A copy of the checkpoint is kept where the database's roles cannot reach.
    stored = json.loads(storages["private"].open(f"audit-trail/checkpoints/{kept[0].pk}.json").read())
    assert stored["prev_hash"] == old[-1].hash and stored["signature"] == checkpoint.signature


def test_a_forged_or_removed_checkpoint_is_found(trail_store):
    [activity_record("exported", actor_label=f"old{n}@example.org") for n in range(2)]
    cutoff = timezone.now()
    kept = activity_record("exported", actor_label="new@example.org")
    checkpoint = trail_prune(before=cutoff, using="default")
    owner_sql("UPDATE activity_trailcheckpoint SET removed = 1 WHERE id = %s", [checkpoint.pk])
    assert "is not signed by this portal" in trail_verify().problem
    owner_sql("DELETE FROM activity_trailcheckpoint")
    report = trail_verify()
    assert report.event_id == kept.pk and "at the start of the trail" in report.problem


def test_a_broken_trail_is_not_pruned(trail_store):
    first = activity_record("exported", actor_label="old@example.org")
    cutoff = timezone.now()
    activity_record("exported", actor_label="new@example.org")
    owner_sql("ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only")
    owner_sql("UPDATE activity_activityevent SET summary = 'x' WHERE id = %s", [first.pk])
    owner_sql("ALTER TABLE activity_activityevent ENABLE TRIGGER activity_event_append_only")
    with pytest.raises(TrailNotWhole):
        trail_prune(before=cutoff, using="default")
    assert ActivityEvent.objects.filter(pk=first.pk).exists() and not TrailCheckpoint.objects.exists()


def test_the_command_keeps_the_retention_period(settings, capsys):
    settings.AUDIT_TRAIL_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="Events are kept for 365 days"):
        call_command("prune_trail", "--before", timezone.localdate().isoformat(), "--database", "default")
    activity_record("exported", actor_label="recent@example.org")
    call_command("prune_trail", "--database", "default")
    assert "nothing removed" in capsys.readouterr().out
    assert ActivityEvent.objects.count() == 1
