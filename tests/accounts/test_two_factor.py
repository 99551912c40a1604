"""Two-factor authentication: required for the secretariat, safeguarding leads and administrators."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.SAFEGUARDING_LEAD, Role.ADMIN])
def test_roles_that_see_the_whole_partnership_must_set_up_two_factor(role):
    user = UserFactory(role=role)
    client = Client()
    password_login(client, user)
    response = client.get(reverse("agencies:list"))
    assert response.status_code == 302 and response.url == reverse("two_factor_setup")
    # Set up: the page shows a QR code and the key; the first code turns it on and gives backup codes.
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "type this key" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    device.throttle_reset()  # the wait after a wrong code (a second) has passed
    done = client.post(reverse("two_factor_setup"), {"token": code(device)})
    assert "Your backup codes" in done.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(reverse("agencies:list")).status_code == 200


def test_a_person_with_an_authenticator_gives_a_code_at_every_log_in():
    user = UserFactory(role=Role.SECRETARIAT)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    password_login(client, user)
    response = client.get(reverse("champions:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"token": "12"}).status_code == 200
    assert client.get(reverse("champions:list")).status_code == 302  # still not through
    device.throttle_reset()
    response = client.post(reverse("two_factor_verify"), {"token": code(device), "next": reverse("champions:list")})
    assert response.status_code == 302 and response.url == reverse("champions:list")
    assert client.get(reverse("champions:list")).status_code == 200


def test_a_backup_code_works_once():
    user = UserFactory(role=Role.SAFEGUARDING_LEAD)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    from accounts.two_factor import backup_codes_replace

    backup = backup_codes_replace(user=user)[0]
    first = Client()
    password_login(first, user)
    assert first.post(reverse("two_factor_verify"), {"token": backup}).status_code == 302
    second = Client()
    password_login(second, user)
    assert "That code is not right" in second.post(reverse("two_factor_verify"), {"token": backup}).content.decode()


def test_two_factor_is_offered_but_not_required_for_agency_staff(staff_a):
    client = Client()
    password_login(client, staff_a)
    assert client.get(reverse("home")).status_code == 200
    assert "off" in client.get(reverse("two_factor_settings")).content.decode()


def test_staff_who_chose_two_factor_give_a_code_too(staff_a):
    TOTPDevice.objects.create(user=staff_a, name="Authenticator app", confirmed=True)
    client = Client()
    password_login(client, staff_a)
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_verify"))
