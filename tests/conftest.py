"""Personas shared by every test: two agencies and one person per role.

``agency_a`` and ``agency_b`` are two member agencies. ``champion_a`` is a champion of A,
``champion_b`` of B, ``staff_a`` a member of staff of A; the partnership roles belong to no
agency. ``client_for(user)`` gives a logged-in test client.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.two_factor import SESSION_KEY, State, two_factor_required
from tests.factories import AgencyFactory, MembershipFactory, NominationFactory, UserFactory

pytest_plugins = [
    "tests.support.services",
    "tests.support.demo_server",
    "tests.support.objectstore",
    "tests.support.oidc",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: the figure versions a test's rolled-back writes gave are
    never reused, but a test that writes nothing reads the versions another test read before it."""
    cache.clear()


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Northfield Academy")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Exampleshire Youth Service", sector="youth")


@pytest.fixture
def champion_a(agency_a):
    return NominationFactory(agency=agency_a, user__email="champion.a@example.org").user


@pytest.fixture
def champion_b(agency_b):
    return NominationFactory(agency=agency_b, user__email="champion.b@example.org").user


@pytest.fixture
def staff_a(agency_a):
    return MembershipFactory(agency=agency_a, user__email="staff.a@example.org").user


@pytest.fixture
def secretariat(db):
    return UserFactory(email="secretariat@example.org", role=Role.SECRETARIAT)


@pytest.fixture
def board_member(db):
    return UserFactory(email="board@example.org", role=Role.BOARD)


@pytest.fixture
def safeguarding_lead(db):
    return UserFactory(email="lead@example.org", role=Role.SAFEGUARDING_LEAD)


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.org", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def personas(
    agency_a, agency_b, champion_a, champion_b, staff_a, secretariat, board_member, safeguarding_lead, admin_user
):
    """Every persona by name, for role-by-role matrices."""
    return {
        "anonymous": None,
        "staff_a": staff_a,
        "champion_a": champion_a,
        "champion_b": champion_b,
        "secretariat": secretariat,
        "board_member": board_member,
        "safeguarding_lead": safeguarding_lead,
        "admin": admin_user,
    }


def logged_in_client(user) -> Client:
    """A client logged in as the user, past the second factor when their role needs one."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if two_factor_required(user):
        TOTPDevice.objects.get_or_create(user=user, name="Authenticator app", defaults={"confirmed": True})
        session = client.session
        session[SESSION_KEY] = State.VERIFIED
        session.save()
    return client


@pytest.fixture
def client_for(db):
    return logged_in_client
