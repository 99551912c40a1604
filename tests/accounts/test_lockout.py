"""Repeated failed log-ins lock the account; the secretariat unlocks it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one_after():
    user = UserFactory(email="jo@example.org")
    client = Client()
    for _ in range(5):
        attempt(client, user.email, "wrong")
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "This account is locked for now" in response.content.decode()
    # From another browser too: the lock is on the account.
    assert attempt(Client(), user.email, PASSWORD).status_code == 429


def test_the_secretariat_unlocks_an_account(secretariat, client_for):
    user = UserFactory(email="jo@example.org")
    for _ in range(5):
        attempt(Client(), user.email, "wrong")
    support = client_for(secretariat)
    assert "jo@example.org" in support.get(reverse("account_support")).content.decode()
    response = support.post(reverse("account_support"), {"action": "unlock", "email": "jo@example.org"}, follow=True)
    assert "is unlocked" in response.content.decode()
    assert attempt(Client(), user.email, PASSWORD).status_code == 302


def test_the_secretariat_resets_a_lost_second_factor_but_not_an_administrators(secretariat, admin_user, client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    lead = UserFactory(email="lead@example.org", role="safeguarding_lead")
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    support = client_for(secretariat)
    support.post(reverse("account_support"), {"action": "reset_two_factor", "email": "lead@example.org"})
    assert not TOTPDevice.objects.filter(user=lead).exists()
    client_for(admin_user)  # the administrator's device
    response = support.post(
        reverse("account_support"), {"action": "reset_two_factor", "email": admin_user.email}, follow=True
    )
    assert "Only an administrator" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user).exists()


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_secretariat_and_administrators_give_account_support(personas, client_for, persona):
    user = UserFactory(email="jo@example.org")
    for _ in range(5):
        attempt(Client(), user.email, "wrong")
    client = client_for(personas[persona])
    assert client.get(reverse("account_support")).status_code == 403
    assert client.post(reverse("account_support"), {"action": "unlock", "email": user.email}).status_code == 403
    assert attempt(Client(), user.email, PASSWORD).status_code == 429
