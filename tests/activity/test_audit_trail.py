"""An append-only audit trail of sensitive events that the secretariat searches."""

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction
from django.test import Client
from django.urls import reverse

from activity.models import ActivityEvent
from activity.services import activity_record
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_log_ins_failures_and_log_outs_are_recorded():
    user = UserFactory(email="jo@example.org")
    client = Client()
    client.post(reverse("login"), {"username": "jo@example.org", "password": "wrong"})
    client.post(reverse("login"), {"username": "jo@example.org", "password": PASSWORD})
    client.post(reverse("logout"))
    events = list(ActivityEvent.objects.order_by("pk").values_list("action", "actor_label"))
    assert events == [("login_failed", "jo@example.org"), ("login", user.email), ("logout", user.email)]
    assert ActivityEvent.objects.filter(action="login").get().ip_address == "127.0.0.1"


def test_a_lock_out_is_recorded():
    UserFactory(email="jo@example.org")
    client = Client()
    for _ in range(6):
        client.post(reverse("login"), {"username": "jo@example.org", "password": "wrong"})
    assert ActivityEvent.objects.filter(action="locked_out", actor_label="jo@example.org").exists()


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_an_event(change):
    event = activity_record("login", actor_label="someone@example.org")
    with pytest.raises((InternalError, IntegrityError, ProgrammingError)), transaction.atomic():
        if change == "update":
            ActivityEvent.objects.filter(pk=event.pk).update(actor_label="nobody")
        else:
            ActivityEvent.objects.filter(pk=event.pk).delete()
    assert ActivityEvent.objects.get(pk=event.pk).actor_label == "someone@example.org"


def test_the_secretariat_searches_the_trail(secretariat, client_for, django_assert_max_num_queries):
    client = client_for(secretariat)
    for n in range(30):
        activity_record("exported", actor_label=f"person{n}@example.org", summary="Champions CSV")
    with django_assert_max_num_queries(8):
        body = client.get(reverse("activity:log") + "?q=person7&action=exported").content.decode()
    assert "person7@example.org" in body and "person8@example.org" not in body


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_nobody_else_reads_the_trail(personas, client_for, persona):
    assert client_for(personas[persona]).get(reverse("activity:log")).status_code == 403


def test_the_admin_site_cannot_change_the_trail(admin_user, client_for):
    event = activity_record("login", actor_label="someone@example.org")
    client = client_for(admin_user)
    assert (
        client.post(reverse("admin:activity_activityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert ActivityEvent.objects.filter(pk=event.pk).exists()


def test_exports_downloads_and_role_changes_are_recorded(secretariat, admin_user, client_for, champion_a):
    client_for(secretariat).get(reverse("champions:csv"))
    admin = client_for(admin_user)
    data = {
        "email": champion_a.email,
        "full_name": champion_a.full_name,
        "job_title": "",
        "phone": "",
        "role": "secretariat",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = admin.post(reverse("admin:accounts_user_change", args=[champion_a.pk]), data)
    assert response.status_code == 302
    actions = set(ActivityEvent.objects.values_list("action", flat=True))
    assert {"exported", "role_changed"} <= actions
    change = ActivityEvent.objects.get(action="role_changed")
    assert change.actor == admin_user and "role=secretariat" in change.summary
