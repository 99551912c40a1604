"""On PostgreSQL the portal runs as a role that owns nothing: on the audit trail it may add and read,
and every other statement fails. The role is made for the test inside its transaction (roles and
grants roll back with it), with the grants ``migrate`` gives it as the owner."""

import os

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from activity.integrity import trail_verify
from activity.models import ActivityEvent
from activity.privileges import portal_role_grant
from activity.services import activity_record

pytestmark = pytest.mark.django_db
PORTAL = f"portal_{os.environ.get('TEST_DB_NAME', 'test')}"[:60]


@pytest.fixture
def as_portal():
    """Statements run as the portal's role from here to the end of the test."""
    activity_record("exported", actor_label="before@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'CREATE ROLE "{PORTAL}" NOLOGIN')
        portal_role_grant(connection, PORTAL)
        cursor.execute(f'SET LOCAL ROLE "{PORTAL}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


FORBIDDEN = {
    "update": "UPDATE activity_activityevent SET summary = 'x'",
    "delete": "DELETE FROM activity_activityevent",
    "truncate": "TRUNCATE activity_activityevent",
    "alter": "ALTER TABLE activity_activityevent DISABLE TRIGGER activity_event_append_only",
    "drop": "DROP TABLE activity_activityevent",
    "drop trigger": "DROP TRIGGER activity_event_append_only ON activity_activityevent",
    "forge a checkpoint": "INSERT INTO activity_trailcheckpoint (made_at, first_kept_id, prev_hash, removed, "
    "removed_before, signature) VALUES (now(), 1, '', 0, now(), '')",
    "delete checkpoints": "DELETE FROM activity_trailcheckpoint",
    "alter another table": "ALTER TABLE incidents_incident ADD COLUMN x int",
    "create a table": "CREATE TABLE public.mine (x int)",
}


@pytest.mark.parametrize("statement", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_the_portals_role_cannot_change_the_trail(as_portal, statement):
    with (
        pytest.raises(ProgrammingError, match="permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_the_portals_role_adds_to_and_reads_the_trail(as_portal):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == PORTAL
    event = activity_record("exported", actor_label="portal@example.org")
    assert ActivityEvent.objects.filter(pk=event.pk).exists()
    assert trail_verify().ok


def test_the_portals_role_still_does_its_everyday_work(as_portal, agency_a):
    from incidents.models import Incident
    from tests.factories import IncidentFactory

    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    incident = IncidentFactory(agency=agency_a)
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{PORTAL}"')
    Incident.objects.filter(pk=incident.pk).update(platform="Chat app")
    assert Incident.objects.get(pk=incident.pk).platform == "Chat app"
