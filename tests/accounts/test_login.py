"""Everyone logs in by e-mail, logs out and can reset a forgotten password by e-mail."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_person_logs_in_with_email_in_any_case_and_logs_out(client):
    user = UserFactory(email="jo.baxter@example.org")
    response = client.post(reverse("login"), {"username": "Jo.Baxter@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    assert user.pk


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="jo@example.org")
    response = client.post(reverse("login"), {"username": "jo@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_forgotten_password_reset_by_email_link_works_once(client, mailoutbox):
    UserFactory(email="jo@example.org")
    client.post(reverse("password_reset"), {"email": "jo@example.org"})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-new-long-secret-1", "new_password2": "a-new-long-secret-1"})
    assert response.status_code == 302
    logged_in = client.post(reverse("login"), {"username": "jo@example.org", "password": "a-new-long-secret-1"})
    assert logged_in.status_code == 302 and logged_in.url == reverse("home")
    client.post(reverse("logout"))
    # The same link does not work twice.
    again = client.get(link, follow=True)
    assert "already been used or has expired" in again.content.decode()


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "If an account uses that address" in response.content.decode()
    assert mailoutbox == []
