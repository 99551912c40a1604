"""A session ends after two hours without a request, and an active person's pages do not rewrite it each time."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import RENEWED_AT

pytestmark = pytest.mark.django_db


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_pages_opened_soon_after_read_the_session_without_saving_it(board_member, client_for):
    client = client_for(board_member)
    client.get("/")  # the first page renews the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
        assert client.get("/reports/").status_code == 200
    assert not [sql for sql in _writes(queries) if "django_session" in sql]


def test_an_active_persons_session_is_renewed_once_the_interval_has_passed(board_member, client_for):
    client = client_for(board_member)
    client.get("/")
    session = client.session
    session[RENEWED_AT] -= settings.SESSION_RENEW_SECONDS + 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )

    response = client.get("/")

    assert response.status_code == 200
    renewed = _stored(client).expire_date - timezone.now()
    assert renewed > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_left_alone_past_its_age_logs_the_person_out(board_member, client_for):
    client = client_for(board_member)
    client.get("/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_logging_out_leaves_no_session_to_renew(board_member, client_for):
    client = client_for(board_member)
    client.get("/")
    key = client.session.session_key
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302
