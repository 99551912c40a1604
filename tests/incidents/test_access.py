"""Who may open what. Details: the reporter, the agency's champions, and leads it is escalated to.

404: the incident is not theirs to know about. 403: they may see it but not do this.
"""

import pytest
from django.urls import reverse

from activity.models import Action, ActivityEvent
from incidents.models import Incident
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "staff_a",
    "champion_a",
    "champion_b",
    "secretariat",
    "board_member",
    "safeguarding_lead",
    "admin",
]


def expect(**overrides):
    base = {
        "anonymous": 302,
        "staff_a": 404,
        "champion_a": 404,
        "champion_b": 404,
        "secretariat": 404,
        "board_member": 404,
        "safeguarding_lead": 404,
        "admin": 404,
    }
    return {**base, **overrides}


# (view, how to build the URL, method, expected per persona)
MATRIX = [
    (
        "list",
        lambda i, d, r: reverse("incidents:list"),
        "get",
        expect(
            staff_a=200,
            champion_a=200,
            champion_b=200,
            secretariat=403,
            board_member=403,
            safeguarding_lead=200,
            admin=403,
        ),
    ),
    (
        "start",
        lambda i, d, r: reverse("incidents:start"),
        "get",
        expect(
            staff_a=200,
            champion_a=200,
            champion_b=200,
            secretariat=403,
            board_member=403,
            safeguarding_lead=403,
            admin=403,
        ),
    ),
    ("detail", lambda i, d, r: reverse("incidents:detail", args=[i.pk]), "get", expect(staff_a=200, champion_a=200)),
    ("history", lambda i, d, r: reverse("incidents:history", args=[i.pk]), "get", expect(staff_a=200, champion_a=200)),
    ("draft page", lambda i, d, r: reverse("incidents:page", args=[d.pk, "when"]), "get", expect(staff_a=200)),
    ("draft page (post)", lambda i, d, r: reverse("incidents:page", args=[d.pk, "what"]), "post", expect(staff_a=200)),
    ("withdraw draft", lambda i, d, r: reverse("incidents:withdraw", args=[d.pk]), "post", expect(staff_a=302)),
    ("triage", lambda i, d, r: reverse("incidents:triage", args=[i.pk]), "post", expect(staff_a=403, champion_a=400)),
    (
        "chronology",
        lambda i, d, r: reverse("incidents:chronology_add", args=[i.pk]),
        "post",
        expect(staff_a=403, champion_a=400),
    ),
    (
        "add referral",
        lambda i, d, r: reverse("incidents:referral_add", args=[i.pk]),
        "post",
        expect(staff_a=403, champion_a=400),
    ),
    (
        "edit referral",
        lambda i, d, r: reverse("incidents:referral_edit", args=[i.pk, r.pk]),
        "get",
        expect(staff_a=403, champion_a=200),
    ),
    ("close", lambda i, d, r: reverse("incidents:close", args=[i.pk]), "post", expect(staff_a=403, champion_a=400)),
    (
        "monitoring",
        lambda i, d, r: reverse("incidents:monitoring"),
        "get",
        expect(
            staff_a=403,
            champion_a=403,
            champion_b=403,
            secretariat=200,
            board_member=200,
            safeguarding_lead=403,
            admin=200,
        ),
    ),
    (
        "monitoring csv",
        lambda i, d, r: reverse("incidents:monitoring_csv"),
        "get",
        expect(
            staff_a=403,
            champion_a=403,
            champion_b=403,
            secretariat=200,
            board_member=200,
            safeguarding_lead=403,
            admin=200,
        ),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("view", "make_url", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_gets_what_it_may(
    personas, incident_a, draft_a, client_for, persona, view, make_url, method, expected
):
    referral = ReferralFactory(incident=incident_a)
    client = client_for(personas[persona])
    response = getattr(client, method)(make_url(incident_a, draft_a, referral))
    assert response.status_code == expected[persona], f"{persona} on {view}"
    # Nothing a refused person does changes anything.
    if expected[persona] in (302, 403, 404) and persona != "staff_a":
        assert Incident.objects.get(pk=incident_a.pk).status == "reported"
        assert Incident.objects.get(pk=draft_a.pk).status == "draft"


def test_a_lead_sees_only_incidents_escalated_to_them(safeguarding_lead, incident_a, client_for):
    client = client_for(safeguarding_lead)
    assert client.get(incident_a.get_absolute_url()).status_code == 404
    referral = ReferralFactory(incident=incident_a, escalated_to=safeguarding_lead)
    assert client.get(incident_a.get_absolute_url()).status_code == 200
    assert client.get(reverse("incidents:history", args=[incident_a.pk])).status_code == 200
    assert client.get(reverse("incidents:referral_edit", args=[incident_a.pk, referral.pk])).status_code == 200
    other = ReferralFactory(incident=incident_a, agency_type="lado")
    assert client.get(reverse("incidents:referral_edit", args=[incident_a.pk, other.pk])).status_code == 403
    for name in ("triage", "chronology_add", "referral_add", "close"):
        assert client.post(reverse(f"incidents:{name}", args=[incident_a.pk]), {}).status_code == 403
    listing = client.get(reverse("incidents:list")).content.decode()
    assert incident_a.reference in listing


def test_a_former_champion_loses_access(champion_a, incident_a, client_for):
    import datetime

    from champions.models import Nomination

    yesterday = incident_a.reported_at.date() - datetime.timedelta(days=1)
    Nomination.objects.filter(user=champion_a).update(ended_on=yesterday)
    assert client_for(champion_a).get(incident_a.get_absolute_url()).status_code == 404


def test_the_draft_is_the_reporters_alone(champion_a, draft_a, client_for):
    assert client_for(champion_a).get(reverse("incidents:detail", args=[draft_a.pk])).status_code == 404
    assert not ActivityEvent.objects.filter(action=Action.INCIDENT_VIEWED).exists()


@pytest.mark.parametrize(
    ("persona", "link"),
    [
        ("staff_a", "/incidents/"),
        ("champion_a", "/incidents/"),
        ("safeguarding_lead", "/incidents/"),
        ("secretariat", "/incidents/monitoring/"),
        ("board_member", "/incidents/monitoring/"),
    ],
)
def test_the_navigation_leads_each_role_to_its_incidents_page(personas, client_for, persona, link):
    body = client_for(personas[persona]).get(reverse("home")).content.decode()
    assert f'href="{link}">Incidents</a>' in body
