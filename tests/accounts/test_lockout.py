"""Failed log-ins pause one account from one address; guessing from many addresses locks the account,
and its owner unlocks it with an e-mailed link or through the secretariat. Nobody can aim a lock-out at a colleague."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from activity.models import ActivityEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(email, password, *, address="10.0.0.1", **headers):
    return Client(REMOTE_ADDR=address, **headers).post(reverse("login"), {"username": email, "password": password})


def page(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def jo(db):
    return UserFactory(email="jo@example.org", full_name="Jo Baxter")


def spread_out_guessing(email, *, tries, first_address=1):
    """One wrong password from each of many addresses, as a botnet would."""
    return [attempt(email, "wrong", address=f"198.51.100.{first_address + n}") for n in range(tries)]


def unlock_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/unlock/\S+/)", message.body).group(1)


def test_five_wrong_passwords_from_one_address_pause_that_account_from_there(jo):
    for _ in range(4):
        assert attempt(jo.email, "wrong").status_code == 200
    refused = attempt(jo.email, "wrong")
    assert refused.status_code == 429
    response = attempt(jo.email, PASSWORD)  # even the right password, from the same address
    assert response.status_code == 429
    assert "Log-in to this account is paused here" in page(response)
    assert "What to do next" in page(response) and "Wait 60 minutes" in page(response)


def test_the_owner_still_logs_in_from_another_address_and_colleagues_from_the_same_one(jo):
    colleague = UserFactory(email="sam@example.org")
    for _ in range(5):
        attempt(jo.email, "wrong", address="203.0.113.9")
    assert attempt(jo.email, PASSWORD, address="203.0.113.9").status_code == 429
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 302  # Jo, at home
    assert attempt(colleague.email, PASSWORD, address="203.0.113.9").status_code == 302  # same council network


def test_changing_the_case_of_the_address_does_not_buy_more_guesses(jo):
    for email in ["jo@example.org", "JO@example.org", "Jo@Example.org", " jo@EXAMPLE.org", "jO@example.ORG"]:
        attempt(email, "wrong")
    assert attempt("jo@example.org", PASSWORD).status_code == 429


def test_attempts_refused_during_a_pause_are_not_guesses_and_do_not_lock_the_account(jo, mailoutbox):
    for _ in range(40):
        attempt(jo.email, "wrong", address="203.0.113.9")
    assert not mailoutbox
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 302


def test_guessing_spread_over_many_addresses_stops_at_the_account_limit_and_the_owner_is_told(
    jo, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = spread_out_guessing(jo.email, tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.ACCOUNT_LOCKOUT_LIMIT - 1)
    assert responses[-1].status_code == 429
    # Locked everywhere now, even for the right password from a new address.
    response = attempt(jo.email, PASSWORD, address="192.0.2.20")
    assert response.status_code == 429
    text = page(response)
    assert "This account is locked" in text and "What to do next" in text
    assert "we have sent the account's address a link that unlocks it" in text
    assert "ask the board secretariat to unlock it" in text
    # One e-mail to the owner, not one per attempt.
    with django_capture_on_commit_callbacks(execute=True):
        spread_out_guessing(jo.email, tries=5, first_address=100)
    assert [m.to for m in mailoutbox] == [[jo.email]]
    assert f"{settings.ACCOUNT_LOCKOUT_LIMIT} unsuccessful attempts" in mailoutbox[0].body
    assert "/account/unlock/" in mailoutbox[0].alternatives[0][0]
    assert ActivityEvent.objects.filter(
        action="locked_out", actor_label=jo.email, summary__contains="everywhere"
    ).exists()


def test_an_unknown_address_gets_the_same_answers_and_no_one_is_mailed(settings, mailoutbox):
    responses = spread_out_guessing("nobody@example.org", tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    assert responses[-1].status_code == 429 and "This account is locked" in page(responses[-1])
    assert not mailoutbox


def test_the_unlock_link_works_once(jo, settings, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        spread_out_guessing(jo.email, tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    link = unlock_link(mailoutbox[0])
    client = Client()
    # Opening the link (as a mail scanner would) changes nothing: the button does.
    assert "Unlock my account" in page(client.get(link))
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 429
    response = client.post(link, follow=True)
    assert "Your account is unlocked" in page(response)
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 302
    assert ActivityEvent.objects.filter(action="account_unlocked", actor_label=jo.email).count() == 1
    # Used: it cannot unlock again, and says what to do instead.
    again = client.post(link)
    assert again.status_code == 400
    assert "This unlock link cannot be used" in page(again) and "What to do next" in page(again)
    assert "cannot be used" in page(client.get(link))


def test_an_expired_or_forged_unlock_link_is_refused(jo, settings, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        spread_out_guessing(jo.email, tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    link = unlock_link(mailoutbox[0])
    settings.UNLOCK_LINK_HOURS = 0
    assert Client().post(link).status_code == 400
    settings.UNLOCK_LINK_HOURS = 24
    forged = link.replace(link.split("/")[-2], link.split("/")[-2][:-4] + "AAAA")
    assert Client().post(forged).status_code == 400
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 429


def test_the_secretariat_unlocks_an_account_locked_everywhere_and_the_emailed_link_is_spent(
    jo, secretariat, client_for, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        spread_out_guessing(jo.email, tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    support = client_for(secretariat)
    listing = page(support.get(reverse("account_support")))
    assert "Locked everywhere" in listing and jo.email in listing
    response = support.post(reverse("account_support"), {"action": "unlock", "email": jo.email}, follow=True)
    assert "is unlocked" in page(response) and "Locked everywhere" not in page(response)
    assert attempt(jo.email, PASSWORD, address="192.0.2.20").status_code == 302
    assert Client().post(unlock_link(mailoutbox[0])).status_code == 400


def test_account_support_lists_locked_accounts_in_the_same_queries_for_one_or_many(secretariat, client_for, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    support = client_for(secretariat)
    support.get(reverse("account_support"))

    def listed_and_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            listed = page(support.get(reverse("account_support"))).count('name="email" value="person')
        return listed, len(captured)

    spread_out_guessing("person0@example.org", tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    one = listed_and_queries()
    for n in range(1, 4):
        spread_out_guessing(f"person{n}@example.org", tries=settings.ACCOUNT_LOCKOUT_LIMIT)
    four = listed_and_queries()
    assert one[0] == 1 and four[0] == 4
    assert one[1] == four[1]


def test_the_secretariat_unlocks_an_account_paused_from_one_address(jo, secretariat, client_for):
    for _ in range(5):
        attempt(jo.email, "wrong")
    support = client_for(secretariat)
    listing = page(support.get(reverse("account_support")))
    assert "Paused from one address" in listing and "jo@example.org" in listing and "10.0.0.1" in listing
    response = support.post(reverse("account_support"), {"action": "unlock", "email": "jo@example.org"}, follow=True)
    assert "is unlocked" in page(response)
    assert attempt(jo.email, PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(jo, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.9.9.9"
    for _ in range(5):
        attempt(jo.email, "wrong", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert attempt(jo.email, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # A forged first entry does not move the guesser to a fresh address: the proxy's own entry counts.
    spoofed = attempt(jo.email, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert spoofed.status_code == 429
    assert attempt(jo.email, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.20").status_code == 302


def test_a_wrong_password_says_what_to_do_next(jo):
    text = page(attempt(jo.email, "wrong"))
    assert "Please enter a correct e-mail address and password" in text
    assert "Check both and try again, or" in text and reverse("password_reset") in text


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
def test_only_the_secretariat_and_administrators_give_account_support(personas, client_for, persona, jo):
    for _ in range(5):
        attempt(jo.email, "wrong")
    client = client_for(personas[persona])
    assert client.get(reverse("account_support")).status_code == 403
    assert client.post(reverse("account_support"), {"action": "unlock", "email": jo.email}).status_code == 403
    assert attempt(jo.email, PASSWORD).status_code == 429
