"""The whole sign-in round trip in Chromium: the portal's log-in page → the real test provider → back signed in.

Northfield School (north.test) signs in through "Northfield Trust"; Southgate Police (south.test) through
"Southgate Police", and enforces it. The provider is tests/support/oidc_server.mjs (npm `oidc-provider`).
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Role, SignInDomain, User
from tests.browser.conftest import authenticator_for, current_code
from tests.browser.test_accessibility import axe_violations
from tests.factories import PASSWORD, AgencyFactory, MembershipFactory, NominationFactory, UserFactory
from tests.support.html_check import html_errors
from tests.support.walk import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def north(transactional_db):
    return AgencyFactory(name="Northfield School")


@pytest.fixture
def south(transactional_db):
    return AgencyFactory(name="Southgate Police", sector="police")


@pytest.fixture(autouse=True)
def providers_on(settings, oidc_server, north, south):
    settings.SIGN_IN_PROVIDERS = oidc_server.portal_settings()
    SignInDomain.objects.create(domain="north.test", agency=north, provider="northfield")
    SignInDomain.objects.create(domain="south.test", agency=south, provider="southgate", enforced=True)


def at_the_provider_sign_in_as(page, login):
    page.get_by_label("Account").fill(login)
    page.get_by_role("button", name="Sign in to the provider").click()


def test_member_of_staff_signs_in_with_their_agency_account(page, north):
    ann = MembershipFactory(agency=north, user__email="ann.teacher@north.test", user__full_name="Ann Teacher").user
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "ann")
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Ann Teacher")).to_be_visible()
    ann.refresh_from_db()
    assert ann.last_login_method == "Northfield Trust"


def test_unknown_person_is_told_who_can_add_them(page, north):
    NominationFactory(agency=north, user__full_name="Chris Champion", user__email="chris@north.test")
    people = User.objects.count()
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "newcomer")
    expect(page.get_by_role("heading", name="You do not have an account on the portal yet")).to_be_visible()
    expect(page.get_by_text("Chris Champion (E-safety champion)")).to_be_visible()
    expect(page.get_by_role("link", name="chris@north.test")).to_be_visible()
    assert User.objects.count() == people


def test_enforced_agency_is_sent_from_the_password_form_to_its_provider(page, south):
    sam = MembershipFactory(agency=south, user__email="sam.officer@south.test").user
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(sam.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Southgate Police staff sign in with Southgate Police: use “Sign in with Southgate Police” above."
    )
    page.get_by_role("link", name="Sign in with Southgate Police").click()
    at_the_provider_sign_in_as(page, "sam")
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name=sam.full_name)).to_be_visible()


def test_privileged_role_proves_the_portal_second_factor_after_the_provider(page):
    lead = UserFactory(email="lead@north.test", role=Role.SAFEGUARDING_LEAD, full_name="Lee Lead")
    device = authenticator_for(lead)
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "lead")
    page.wait_for_url("**/two-factor/verify/**")
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Lee Lead")).to_be_visible()


def test_privileged_role_whose_provider_asked_for_a_second_factor_goes_straight_in(page):
    lead = UserFactory(email="lead@north.test", role=Role.SAFEGUARDING_LEAD, full_name="Lee Lead")
    authenticator_for(lead)
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "lead-mfa")
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Lee Lead")).to_be_visible()


def test_leaver_switched_off_by_the_provider_is_refused(page, south):
    MembershipFactory(agency=south, user__email="lou.leaver@south.test")
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Southgate Police").click()
    at_the_provider_sign_in_as(page, "leaver")
    expect(page.get_by_role("heading", name="Southgate Police did not sign you in")).to_be_visible()
    expect(page.get_by_text("Nobody has been signed in.")).to_be_visible()


def test_sign_in_pages_are_accessible_and_valid_html(page, north, secretariat, log_in, tmp_path):
    """The log-in page with its buttons, the refusal and unknown-person pages, and the secretariat's pages."""
    NominationFactory(agency=north, user__full_name="Chris Champion", user__email="chris@north.test")
    checked = []

    def check(title):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        problems = axe_violations(page)
        assert not problems, f"{page.url}:\n" + "\n".join(problems)
        checked.append(Page(path=page.url, status=200, content_type="text/html", body=page.content().encode()))

    page.goto("/login/")
    check("Log in")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "newcomer")
    check("You do not have an account on the portal yet")
    page.context.clear_cookies()  # leave the provider's own session, to sign in there as someone else
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Northfield Trust").click()
    at_the_provider_sign_in_as(page, "stranger")
    check("elsewhere.test addresses do not sign in with Northfield Trust")
    log_in(secretariat)
    page.goto("/account/sign-in/")
    check("Sign-in with agencies' accounts")
    page.get_by_role("link", name="Change north.test").click()
    check("Sign-in for north.test")
    page.goto("/account/people/")
    check("People's sign-ins")
    assert html_errors(checked, tmp_path / "html") == []
