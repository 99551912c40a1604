"""Every trail event depends on all before it: an event changed, removed, inserted or reordered behind
the portal's back, even by the database's owner, is named by ``verify_trail``."""

import datetime
import json

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError
from django.utils import timezone

from accounts.models import Role
from activity import chain
from activity.integrity import anchor_write, trail_verify
from activity.models import ActivityEvent
from activity.services import activity_record, chain_values
from activity.tasks import verify_trail_daily
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail():
    """Five events, as the portal writes them."""
    return [activity_record("exported", actor_label=f"person{n}@example.org", summary=f"List {n}") for n in range(5)]


def owner_sql(statement, params=None):
    """What someone holding the owner's password could do: switch the guard off and write directly."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own transaction has checks pending
        cursor.execute("ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only")
        cursor.execute(statement, params)
        cursor.execute("ALTER TABLE activity_activityevent ENABLE TRIGGER activity_event_append_only")


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_trail")
    return str(failure.value)


def test_each_event_links_to_the_one_before(trail):
    assert trail[0].prev_hash == chain.GENESIS
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.prev_hash == before.hash
    stored = ActivityEvent.objects.get(pk=trail[2].pk)
    assert stored.hash == chain.event_hash(stored.prev_hash, chain_values(stored))


def test_an_untouched_trail_passes(trail, capsys):
    call_command("verify_trail")
    assert "The audit trail is whole: 5 events checked" in capsys.readouterr().out


def test_an_event_changed_in_place_is_named(trail):
    owner_sql("UPDATE activity_activityevent SET summary = 'Nothing' WHERE id = %s", [trail[2].pk])
    message = verify_fails()
    assert f"Event #{trail[2].pk}" in message and "no longer matches its hash" in message


def test_an_event_changed_and_rehashed_is_found_at_the_next_link(trail):
    forged = ActivityEvent.objects.get(pk=trail[2].pk)
    forged.summary = "Nothing"
    new_hash = chain.event_hash(forged.prev_hash, chain_values(forged))
    owner_sql("UPDATE activity_activityevent SET summary = 'Nothing', hash = %s WHERE id = %s", [new_hash, forged.pk])
    message = verify_fails()
    assert f"The chain breaks after event #{trail[2].pk}" in message and f"event #{trail[3].pk}" in message


def test_a_deleted_event_is_named(trail):
    owner_sql("DELETE FROM activity_activityevent WHERE id = %s", [trail[2].pk])
    report = trail_verify()
    assert not report.ok and report.event_id == trail[3].pk
    assert f"The chain breaks after event #{trail[1].pk}" in report.problem


def test_an_event_inserted_in_the_middle_is_named(trail):
    # A gap in the ids, as a rolled-back transaction leaves, lets a forger slip a row in between.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('activity_activityevent', 'id'), %s)", [trail[-1].pk + 10])
    last = activity_record("exported", actor_label="later@example.org")
    values = chain_values(trail[-1]) | {"summary": "Forged", "at": timezone.now()}
    forged_hash = chain.event_hash(trail[-1].hash, values)
    owner_sql(
        "INSERT INTO activity_activityevent (id, at, actor_label, action, object_type, object_id, summary, prev_hash, hash)"
        " VALUES (%s, %s, %s, 'exported', '', '', 'Forged', %s, %s)",
        [trail[-1].pk + 5, values["at"], values["actor_label"], trail[-1].hash, forged_hash],
    )
    report = trail_verify()
    assert report.event_id == last.pk and f"after event #{trail[-1].pk + 5}" in report.problem


def test_two_events_swapped_are_named(trail):
    first, second = trail[1], trail[2]
    owner_sql(
        "UPDATE activity_activityevent SET summary = CASE id WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)",
        [first.pk, second.summary, first.summary, first.pk, second.pk],
    )
    assert trail_verify().event_id == first.pk


def test_truncate_is_refused_even_for_the_owner(trail):
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL activity.allow_truncate = off")  # as in production
        cursor.execute("TRUNCATE activity_activityevent")
    assert ActivityEvent.objects.count() == 5


def test_a_truncate_after_switching_the_trigger_off_is_named(trail, trail_store):
    anchor = anchor_write(day=timezone.localdate())
    assert anchor["event_id"] == trail[-1].pk
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_no_truncate")
        cursor.execute("TRUNCATE activity_activityevent")
        cursor.execute("ALTER TABLE activity_activityevent ENABLE TRIGGER activity_event_no_truncate")
    message = verify_fails()
    assert f"Event #{trail[-1].pk}" in message and "is missing" in message


def test_a_whole_new_chain_is_caught_by_the_days_hash_in_the_file_store(trail):
    anchor_write(day=timezone.localdate())
    prev = chain.GENESIS
    for event in ActivityEvent.objects.order_by("pk"):
        event.summary = "Rewritten"
        event.prev_hash, event.hash = prev, chain.event_hash(prev, chain_values(event))
        owner_sql(
            "UPDATE activity_activityevent SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.summary, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    message = verify_fails()
    assert f"Event #{trail[-1].pk}" in message and "does not match the hash written to the file store" in message


def test_the_days_hash_is_written_once_outside_the_database(trail, trail_store):
    today = timezone.localdate()
    anchor_write(day=today)
    activity_record("exported", actor_label="later@example.org")
    anchor_write(day=today)  # a second run that day changes nothing
    written = json.loads(storages["private"].open(f"audit-trail/anchors/{today}.json").read())
    assert written["event_id"] == trail[-1].pk and written["hash"] == trail[-1].hash
    assert anchor_write(day=today - datetime.timedelta(days=400)) is None  # before the first event


def test_the_daily_check_writes_to_the_administrators_only_when_the_trail_is_broken(trail, trail_store):
    UserFactory(email="admin@example.org", role=Role.ADMIN)
    UserFactory(email="secretariat@example.org", role=Role.SECRETARIAT)
    assert verify_trail_daily() is True
    assert mail.outbox == []
    # Yesterday's hash is kept, once there was a trail yesterday (this one began today).
    assert not (trail_store / f"audit-trail/anchors/{timezone.localdate() - datetime.timedelta(days=1)}.json").exists()
    owner_sql("UPDATE activity_activityevent SET summary = 'Nothing' WHERE id = %s", [trail[2].pk])
    assert verify_trail_daily() is False
    [message] = mail.outbox
    assert message.to == ["admin@example.org"]
    assert f"Event #{trail[2].pk}" in message.body and "List" not in message.body
