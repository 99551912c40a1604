"""Incidents of agency A: one reported by ``staff_a``, one still a draft."""

import pytest

from tests.factories import IncidentFactory, PersonInvolvedFactory


@pytest.fixture
def incident_a(agency_a, staff_a):
    incident = IncidentFactory(agency=agency_a, reporter=staff_a)
    PersonInvolvedFactory(incident=incident)
    return incident


@pytest.fixture
def draft_a(agency_a, staff_a):
    return IncidentFactory(
        agency=agency_a,
        reporter=staff_a,
        status="draft",
        step_reached="what",
        reported_at=None,
        category="",
        illegal=None,
        online_sexual_abuse=None,
        csam_online=None,
        staff_involved=None,
        child_at_risk=None,
    )
