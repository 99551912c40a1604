"""Signing in with the account an agency gives its staff, against a real OpenID Connect provider.

Northfield School links north.test addresses to its provider ("Northfield Trust"); Southgate Police links
south.test addresses to its own ("Southgate Police") and enforces it. Both providers are clients of one
real `oidc-provider` server (tests/support/oidc.py), which also issues tokens for another application.
"""

import logging
import urllib.parse

import pytest
from django.test import Client

from accounts.models import ExternalIdentity, IdentityProvider, Role, SignInDomain, User
from accounts.two_factor import SESSION_KEY, State
from activity.models import Action, ActivityEvent
from agencies.models import Membership
from tests.factories import PASSWORD, AgencyFactory, MembershipFactory, NominationFactory, UserFactory
from tests.support.oidc import SECRETS, sign_in, through_provider


@pytest.fixture
def north(db):
    return AgencyFactory(name="Northfield School")


@pytest.fixture
def south(db):
    return AgencyFactory(name="Southgate Police", sector="police")


@pytest.fixture
def providers_on(settings, oidc_server, north, south):
    settings.SIGN_IN_PROVIDERS = oidc_server.portal_settings()
    SignInDomain.objects.create(domain="north.test", agency=north, provider="northfield")
    SignInDomain.objects.create(domain="south.test", agency=south, provider="southgate", enforced=True)


@pytest.fixture
def ann(north):
    return MembershipFactory(agency=north, user__email="ann.teacher@north.test", user__full_name="Ann Teacher").user


@pytest.fixture
def sam(south):
    return MembershipFactory(agency=south, user__email="sam.officer@south.test").user


@pytest.fixture
def leaver(south):
    return MembershipFactory(agency=south, user__email="lou.leaver@south.test").user


def signed_in_as(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_login_page_offers_no_provider_until_one_is_configured(db, settings):
    settings.SIGN_IN_PROVIDERS = []
    page = Client().get("/login/").content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page


def test_login_page_offers_each_configured_provider_beside_the_password_form(providers_on):
    page = Client().get("/login/").content.decode()
    assert "Sign in with Northfield Trust" in page
    assert "Sign in with Southgate Police" in page
    assert 'name="password"' in page
    # The password form says which agencies enforce their provider.
    assert "<li>Southgate Police: Southgate Police</li>" in page
    assert "<li>Northfield School" not in page


def test_member_of_staff_signs_in_with_their_agency_account(providers_on, ann):
    client = Client()
    response, _ = sign_in(client, "northfield", "ann", next_url="/incidents/")
    assert response.status_code == 302
    assert response["Location"] == "/incidents/"
    assert signed_in_as(client) == ann
    assert client.get("/").status_code == 200
    # From now on the provider's subject id is the one that signs Ann in.
    assert ExternalIdentity.objects.get(user=ann).subject == "ann"
    ann.refresh_from_db()
    assert ann.last_login is not None
    assert ann.last_login_method == "Northfield Trust"


def test_unknown_person_is_sent_to_their_champion_and_nothing_is_created(providers_on, north):
    NominationFactory(agency=north, user__full_name="Chris Champion", user__email="chris@north.test")
    people = User.objects.count()
    client = Client()
    response, _ = sign_in(client, "northfield", "newcomer")
    page = response.content.decode()
    assert response.status_code == 403
    assert "You do not have an account on the portal yet" in page
    assert "Chris Champion" in page
    assert "chris@north.test" in page
    assert User.objects.count() == people
    assert not ExternalIdentity.objects.exists()
    assert signed_in_as(client) is None
    event = ActivityEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor_label == "new.teacher@north.test"
    assert event.summary == "Through Northfield Trust: no account yet at Northfield School"


def test_agency_that_chose_staff_accounts_gets_a_staff_account_at_first_sign_in(providers_on, north):
    SignInDomain.objects.filter(domain="north.test").update(staff_accounts=True)
    client = Client()
    response, _ = sign_in(client, "northfield", "newcomer")
    assert response.status_code == 302
    person = User.objects.get(email="new.teacher@north.test")
    assert signed_in_as(client) == person
    assert person.role == Role.MEMBER
    assert person.full_name == "Nia Newcomer"
    assert not person.has_usable_password()
    assert list(Membership.objects.filter(user=person).values_list("agency", flat=True)) == [north.pk]
    assert not person.nominations.exists()  # staff only, never a champion


REFUSED = "accounts.sign_in"


def assert_refused(client, response, title, caplog):
    page = response.content.decode()
    assert response.status_code == 403
    assert title in page, page
    assert "Nobody has been signed in." in page
    assert signed_in_as(client) is None
    assert any(record.name == REFUSED and record.levelno == logging.WARNING for record in caplog.records)
    # and in the audit trail the secretariat reads, beside failed password log-ins
    assert ActivityEvent.objects.filter(action=Action.LOGIN_FAILED, summary__endswith=title).exists()


@pytest.mark.parametrize(
    ("login", "slug", "title"),
    [
        pytest.param(
            "stranger",
            "northfield",
            "elsewhere.test addresses do not sign in with Northfield Trust",
            id="domain-not-linked",
        ),
        pytest.param(
            "sam",
            "northfield",
            "south.test addresses do not sign in with Northfield Trust",
            id="domain-of-another-provider",
        ),
        pytest.param("unverified", "northfield", "Your e-mail address is not confirmed", id="unverified-email"),
        pytest.param(
            "other-client", "northfield", "This sign-in was meant for another service", id="token-for-another-client"
        ),
        pytest.param("stale", "northfield", "This sign-in has expired", id="expired-token"),
        pytest.param("wrong-nonce", "northfield", "This sign-in could not be checked", id="wrong-nonce"),
        pytest.param("leaver", "southgate", "Southgate Police did not sign you in", id="disabled-by-provider"),
    ],
)
def test_refused_sign_in_signs_nobody_in(providers_on, ann, sam, leaver, caplog, login, slug, title):
    caplog.set_level(logging.INFO, logger=REFUSED)
    client = Client()
    response, _ = sign_in(client, slug, login)
    assert_refused(client, response, title, caplog)
    assert not ExternalIdentity.objects.exists()


def test_changed_subject_for_the_same_email_is_refused(providers_on, ann, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    client = Client()
    sign_in(client, "northfield", "ann")
    client.logout()
    response, _ = sign_in(client, "northfield", "ann-again")
    assert_refused(
        client, response, "This is not the Northfield Trust account linked to ann.teacher@north.test", caplog
    )
    assert list(ExternalIdentity.objects.values_list("subject", flat=True)) == ["ann"]


def test_replayed_sign_in_is_refused(providers_on, ann, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    client = Client()
    _, callback = sign_in(client, "northfield", "ann")
    client.logout()
    response = client.get(callback)
    assert_refused(client, response, "This sign-in could not be finished", caplog)


def test_replayed_sign_in_in_another_browser_is_refused(providers_on, ann, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    _, callback = sign_in(Client(), "northfield", "ann")
    other = Client()
    assert_refused(other, other.get(callback), "This sign-in could not be finished", caplog)


def test_wrong_state_is_refused(providers_on, ann, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    client = Client()
    start = client.get("/sign-in/northfield/")
    callback = urllib.parse.urlsplit(through_provider(start["Location"], "ann"))
    query = dict(urllib.parse.parse_qsl(callback.query), state="a-state-this-browser-never-sent")
    response = client.get(callback.path, query)
    assert_refused(client, response, "This sign-in could not be finished", caplog)


def test_unknown_provider_is_not_found(providers_on):
    assert Client().get("/sign-in/nowhere/").status_code == 404


# --- agencies that enforce their provider ---------------------------------------------------------------


def test_enforced_agency_refuses_the_password_and_says_to_use_the_provider(providers_on, sam):
    response = Client().post("/login/", {"username": "sam.officer@south.test", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Southgate Police staff sign in with Southgate Police: use “Sign in with Southgate Police” above." in page
    assert "choose a new password" not in page


def test_enforced_agency_is_offered_no_password_reset(providers_on, sam, mailoutbox):
    response = Client().post("/password/reset/", {"email": "sam.officer@south.test"})
    assert "there is no portal password to reset" in response.content.decode()
    assert mailoutbox == []


def test_enforced_agency_signs_in_through_its_provider(providers_on, sam):
    client = Client()
    response, _ = sign_in(client, "southgate", "sam")
    assert response.status_code == 302
    assert signed_in_as(client) == sam


def test_leaver_switched_off_by_the_provider_cannot_use_the_password_either(providers_on, leaver, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    client = Client()
    response, _ = sign_in(client, "southgate", "leaver")
    assert_refused(client, response, "Southgate Police did not sign you in", caplog)
    response = client.post("/login/", {"username": "lou.leaver@south.test", "password": PASSWORD})
    assert signed_in_as(client) is None
    assert "The portal does not accept a password for south.test addresses." in response.content.decode()


def test_agency_not_enforcing_keeps_password_log_in(providers_on, ann):
    client = Client()
    response = client.post("/login/", {"username": ann.email, "password": PASSWORD})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.last_login_method == "password"


# --- privileged roles and the portal's second factor ------------------------------------------------------


@pytest.fixture
def lead(providers_on, north):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = UserFactory(email="lead@north.test", role=Role.SAFEGUARDING_LEAD)
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    return person


def test_privileged_role_still_proves_the_portal_second_factor(lead):
    client = Client()
    sign_in(client, "northfield", "lead")
    assert signed_in_as(client) == lead
    assert client.session[SESSION_KEY] == State.HAS_DEVICE
    assert "/account/two-factor/verify/" in client.get("/")["Location"]


def test_privileged_role_whose_provider_used_multi_factor_goes_straight_in(lead):
    client = Client()
    sign_in(client, "northfield", "lead-mfa")
    assert signed_in_as(client) == lead
    assert client.session[SESSION_KEY] == State.VERIFIED
    assert client.get("/").status_code == 200


# --- the secretariat's pages ------------------------------------------------------------------------------


def test_secretariat_sees_each_persons_last_sign_in_and_how(providers_on, ann, sam, secretariat, client_for):
    sign_in(Client(), "northfield", "ann")
    Client().post("/login/", {"username": secretariat.email, "password": PASSWORD})
    page = client_for(secretariat).get("/account/people/").content.decode()
    assert "Ann Teacher" in page
    assert "Northfield Trust" in page
    assert "Never" in page  # Sam has not signed in


def test_people_page_costs_the_same_whatever_the_number_of_people(
    db, secretariat, client_for, django_assert_max_num_queries
):
    client = client_for(secretariat)
    UserFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        client.get("/account/people/")
    UserFactory.create_batch(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/account/people/")


def test_secretariat_links_a_domain_and_enforces_it(providers_on, secretariat, client_for, south):
    client = client_for(secretariat)
    page = client.get("/account/sign-in/").content.decode()
    assert "north.test" in page
    response = client.post(
        "/account/sign-in/",
        {"agency": south.pk, "domain": "@Police.South.Test", "provider": "southgate", "enforced": "on"},
    )
    assert response.status_code == 302
    link = SignInDomain.objects.get(domain="police.south.test")
    assert link.enforced and not link.staff_accounts
    # Who may sign in, and how, is a permission: linking, changing and removing are in the audit trail.
    edit = f"/account/sign-in/{link.pk}/"
    client.post(
        edit, {"agency": south.pk, "domain": "police.south.test", "provider": "southgate", "staff_accounts": "on"}
    )
    client.post(edit, {"action": "remove"})
    events = ActivityEvent.objects.filter(action=Action.ROLE_CHANGED, agency=south).order_by("pk")
    assert [(e.actor, e.summary) for e in events] == [
        (secretariat, f"Sign-in for police.south.test addresses of {south} {what}")
        for what in (
            "linked: provider southgate, provider only yes, staff accounts at first sign-in no",
            "changed: provider southgate, provider only no, staff accounts at first sign-in yes",
            "removed: provider southgate, provider only no, staff accounts at first sign-in yes",
        )
    ]
    assert not SignInDomain.objects.filter(domain="police.south.test").exists()


def test_bad_domain_gets_a_clear_message_and_links_nothing(providers_on, secretariat, client_for, south):
    links = SignInDomain.objects.count()
    response = client_for(secretariat).post(
        "/account/sign-in/", {"agency": south.pk, "domain": "not a domain", "provider": "southgate"}
    )
    assert "Give a domain such as northfield.sch.uk" in response.content.decode()
    assert SignInDomain.objects.count() == links


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
@pytest.mark.parametrize("url", ["/account/sign-in/", "/account/people/"])
def test_other_roles_cannot_manage_sign_in(personas, client_for, persona, url):
    assert client_for(personas[persona]).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_other_roles_cannot_change_a_link(providers_on, personas, client_for, persona):
    link = SignInDomain.objects.get(domain="south.test")
    response = client_for(personas[persona]).post(f"/account/sign-in/{link.pk}/", {"action": "remove"})
    assert response.status_code == 403
    assert SignInDomain.objects.filter(pk=link.pk).exists()


def test_anonymous_visitor_is_sent_to_log_in(db):
    assert Client().get("/account/people/").status_code == 302


def test_switched_off_portal_account_is_refused(providers_on, ann, caplog):
    caplog.set_level(logging.INFO, logger=REFUSED)
    User.objects.filter(pk=ann.pk).update(is_active=False)
    client = Client()
    response, _ = sign_in(client, "northfield", "ann")
    assert_refused(client, response, "This portal account is switched off", caplog)


def test_provider_added_by_an_administrator_signs_people_in(db, settings, oidc_server, north, ann):
    settings.SIGN_IN_PROVIDERS = []
    IdentityProvider.objects.create(
        slug="trust",
        name="Northfield Trust ID",
        issuer=oidc_server.issuer,
        client_id="portal-north",
        client_secret=SECRETS["portal-north"],
    )
    SignInDomain.objects.create(domain="north.test", agency=north, provider="trust")
    client = Client()
    assert "Sign in with Northfield Trust ID" in client.get("/login/").content.decode()
    response, _ = sign_in(client, "trust", "ann")
    assert response.status_code == 302
    assert signed_in_as(client) == ann


def test_providers_come_from_the_environment_with_microsoft_and_google_issuers_filled_in():
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIGN_IN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="esafety.settings",
        SIGN_IN_MICROSOFT_CLIENT_ID="entra-app-id",
        SIGN_IN_MICROSOFT_CLIENT_SECRET="entra-secret",
        SIGN_IN_MICROSOFT_TENANT="0b7e-tenant",
        SIGN_IN_GOOGLE_CLIENT_ID="google-client",
        SIGN_IN_PROVIDERS="keycloak",
        SIGN_IN_KEYCLOAK_TITLE="Exampleshire Council",
        SIGN_IN_KEYCLOAK_ISSUER="https://id.exampleshire.gov.uk/realms/staff",
        SIGN_IN_KEYCLOAK_CLIENT_ID="portal",
    )
    code = "import json; from django.conf import settings; print(json.dumps(settings.SIGN_IN_PROVIDERS))"
    result = subprocess.run(  # noqa: S603 (this interpreter)
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = {entry["slug"]: (entry["name"], entry["issuer"]) for entry in json.loads(result.stdout)}
    assert found == {
        "microsoft": ("Microsoft", "https://login.microsoftonline.com/0b7e-tenant/v2.0"),
        "google": ("Google", "https://accounts.google.com"),
        "keycloak": ("Exampleshire Council", "https://id.exampleshire.gov.uk/realms/staff"),
    }


@pytest.mark.parametrize(("xms_edov", "matched"), [(True, True), (None, False), (False, False)])
def test_entra_id_addresses_count_as_verified_only_with_the_domain_owner_claim(north, ann, xms_edov, matched):
    from accounts.sign_in import Provider, SignInRefused, sign_in_match

    microsoft = Provider("microsoft", "Microsoft", "https://login.microsoftonline.com/x/v2.0", "id", "secret")
    SignInDomain.objects.create(domain="north.test", agency=north, provider="microsoft")
    claims = {"sub": "entra-oid", "email": "Ann.Teacher@north.test", "xms_edov": xms_edov}
    if matched:
        assert sign_in_match(provider=microsoft, claims=claims) == ann
    else:
        with pytest.raises(SignInRefused) as refused:
            sign_in_match(provider=microsoft, claims=claims)
        assert refused.value.reason == "unverified"


def test_switching_an_account_off_ends_its_provider_sessions(providers_on, ann):
    client = Client()
    sign_in(client, "northfield", "ann")
    assert client.get("/").status_code == 200
    User.objects.filter(pk=ann.pk).update(is_active=False)
    assert "/login/" in client.get("/")["Location"]


@pytest.mark.parametrize(("hd", "matched"), [("north.test", True), (None, False)])
def test_google_addresses_count_only_from_a_workspace_account(north, ann, hd, matched):
    from accounts.sign_in import Provider, SignInRefused, sign_in_match

    google = Provider("google", "Google", "https://accounts.google.com", "id", "secret")
    SignInDomain.objects.create(domain="north.test", agency=north, provider="google")
    claims = {"sub": "1029", "email": "ann.teacher@north.test", "email_verified": True, "hd": hd}
    if matched:
        assert sign_in_match(provider=google, claims=claims) == ann
    else:
        with pytest.raises(SignInRefused) as refused:
            sign_in_match(provider=google, claims=claims)
        assert refused.value.reason == "unverified"
