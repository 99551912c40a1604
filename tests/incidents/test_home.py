"""Each role finds its incident work on the home page."""

import pytest
from django.urls import reverse

from tests.factories import IncidentFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def home(client_for, user):
    return client_for(user).get(reverse("home")).content.decode()


def test_staff_find_the_button_their_drafts_and_their_reports(staff_a, incident_a, draft_a, client_for):
    page = home(client_for, staff_a)
    assert "Log an incident" in page
    assert f"Continue draft {draft_a.reference}" in page
    assert reverse("incidents:page", args=[draft_a.pk, "what"]) in page
    assert incident_a.reference in page


def test_champions_find_incidents_awaiting_triage_first(champion_a, agency_a, agency_b, client_for):
    triaged = IncidentFactory(agency=agency_a, status="in_progress", concern_level="low")
    waiting = IncidentFactory(agency=agency_a)
    closed = IncidentFactory(agency=agency_a, status="closed")
    elsewhere = IncidentFactory(agency=agency_b)
    ReferralFactory(incident=waiting)
    page = home(client_for, champion_a)
    assert "awaiting triage or action" in page
    assert page.index(waiting.reference) < page.index(triaged.reference)
    assert "1 referral outstanding" in page
    assert closed.reference not in page and elsewhere.reference not in page


def test_the_lead_finds_the_referrals_escalated_to_them(safeguarding_lead, incident_a, client_for):
    ReferralFactory(incident=incident_a, escalated_to=safeguarding_lead)
    other = IncidentFactory(agency=incident_a.agency)
    ReferralFactory(incident=other)
    page = home(client_for, safeguarding_lead)
    assert "Referrals escalated to you" in page
    assert incident_a.reference in page and other.reference not in page


@pytest.mark.parametrize("persona", ["secretariat", "board_member", "admin"])
def test_secretariat_and_board_find_only_the_monitoring_figures(personas, incident_a, client_for, persona):
    page = home(client_for, personas[persona])
    assert reverse("incidents:monitoring") in page
    assert incident_a.reference not in page and "Log an incident" not in page


def test_staff_find_their_latest_drafts_and_a_link_to_the_others(staff_a, agency_a, client_for, monkeypatch):
    from incidents import selectors

    monkeypatch.setattr(selectors, "DRAFTS_ON_HOME", 2)
    oldest, middle, newest = (
        IncidentFactory(agency=agency_a, reporter=staff_a, status="draft", reported_at=None) for _ in range(3)
    )
    page = home(client_for, staff_a)
    assert f"Continue draft {newest.reference}" in page and f"Continue draft {middle.reference}" in page
    assert f"Continue draft {oldest.reference}" not in page
    assert f'href="{reverse("incidents:list")}?status=draft"' in page


def test_a_champion_s_imported_log_is_not_listed_as_incidents_they_reported(champion_a, agency_a, client_for):
    reported = IncidentFactory(agency=agency_a, reporter=champion_a, status="closed")
    imported = IncidentFactory(
        agency=agency_a, reporter=champion_a, status="closed", imported_from="cpoms", source_reference="CP-1"
    )
    page = home(client_for, champion_a)
    assert reported.reference in page
    assert imported.reference not in page
