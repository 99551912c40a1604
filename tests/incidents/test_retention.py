"""After the retention period a closed incident keeps its statistics and loses its story."""

import datetime

import pytest
from django.utils import timezone

from incidents.models import ChronologyEntry, IncidentHistory
from incidents.retention import REMOVED, incidents_anonymise_expired
from incidents.selectors import monitoring_figures
from tests.factories import IncidentFactory, PersonInvolvedFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def closed_incident(agency, reporter, closed_days_ago):
    closed_at = timezone.now() - datetime.timedelta(days=closed_days_ago)
    incident = IncidentFactory(
        agency=agency,
        reporter=reporter,
        status="closed",
        closed_at=closed_at,
        reported_at=closed_at,
        outcome="resolved",
        outcome_detail="Parents met; apology given.",
        lessons_learned="Brief staff.",
        concern_rationale="Repeated messages.",
    )
    PersonInvolvedFactory(incident=incident, note="Year 9 pupil A")
    ReferralFactory(
        incident=incident,
        agency_type="social_care",
        referred_on=closed_at.date(),
        reference="SC/123",
        outcome="No further action",
    )
    ChronologyEntry.objects.create(
        incident=incident, happened_at=closed_at, action="Spoke to the pupil's mother", by=reporter
    )
    IncidentHistory.objects.create(incident=incident, by=reporter, event="Triaged", changes=[["Concern", "", "High"]])
    return incident


def test_old_closed_incidents_are_anonymised_and_the_figures_do_not_change(settings, agency_a, staff_a):
    settings.INCIDENT_RETENTION_DAYS = 365 * 6
    old = closed_incident(agency_a, staff_a, closed_days_ago=365 * 7)
    recent = closed_incident(agency_a, staff_a, closed_days_ago=30)
    still_open = IncidentFactory(
        agency=agency_a, reporter=staff_a, reported_at=timezone.now() - datetime.timedelta(days=365 * 8)
    )
    start, end = timezone.localdate() - datetime.timedelta(days=365 * 9), timezone.localdate()
    figures_before = monitoring_figures(start=start, end=end)

    assert incidents_anonymise_expired() == 1
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.description == REMOVED and old.outcome_detail == REMOVED and old.lessons_learned == REMOVED
    assert old.platform == "" and old.concern_rationale == ""
    assert old.chronology.get().action == REMOVED
    referral = old.referrals.get()
    assert referral.reference == "" and referral.outcome == REMOVED and referral.referred_on is not None
    assert old.history.get(event="Triaged").changes == []
    # What the statistics need is kept.
    assert old.people.get().note == ""
    assert old.category == "cyberbullying" and old.outcome == "resolved" and old.people.get().age_band == "13-15"
    assert monitoring_figures(start=start, end=end) == figures_before

    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.anonymised_at is None and recent.description != REMOVED
    assert still_open.anonymised_at is None
    assert incidents_anonymise_expired() == 0  # nothing twice


def test_anonymising_uses_a_fixed_number_of_queries(settings, agency_a, staff_a, django_assert_max_num_queries):
    settings.INCIDENT_RETENTION_DAYS = 30
    for _ in range(3):
        closed_incident(agency_a, staff_a, closed_days_ago=60)
    # lock and list the incidents, then one update per table (incidents, chronology, people,
    # referral outcomes, referral references, history), inside one transaction; then the audit
    # trail's events, all at once: a savepoint (2), the chain's lock, its head (and the checkpoint
    # while the trail is empty), one insert; then the cached incident figures' new version (1)
    with django_assert_max_num_queries(16):
        assert incidents_anonymise_expired() == 3
    for _ in range(30):
        closed_incident(agency_a, staff_a, closed_days_ago=60)
    with django_assert_max_num_queries(16):
        assert incidents_anonymise_expired() == 30
