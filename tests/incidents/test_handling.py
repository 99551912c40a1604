"""The champion follows an incident through: triage, chronology, referrals, closing. All in the history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.models import Action, ActivityEvent
from activity.services import activity_record
from incidents.models import ChronologyEntry, IncidentHistory, Referral
from incidents.selectors import incident_page
from tests.factories import IncidentFactory, MembershipFactory, PersonInvolvedFactory, ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, incident, *extra):
    return reverse(f"incidents:{name}", args=[incident.pk, *extra])


def close_data(**extra):
    return {
        "outcome": "criminal",
        "outcome_detail": "Police investigating; the child is supported by the school.",
        "lessons_learned": "Remind pupils how to report contact from strangers.",
        **extra,
    }


def test_champion_triages_with_a_concern_level_and_rationale(champion_a, incident_a, client_for):
    client = client_for(champion_a)
    response = client.post(url("triage", incident_a), {"concern_level": "high", "concern_rationale": "Repeated."})
    assert response.status_code == 302
    incident_a.refresh_from_db()
    assert incident_a.concern_level == "high" and incident_a.status == "in_progress"
    assert incident_a.triaged_by == champion_a
    history = IncidentHistory.objects.get(incident=incident_a, event="Triaged")
    assert history.by == champion_a and history.change("concern level") == ["", "High"]


def test_triage_without_a_rationale_is_refused_and_nothing_changes(champion_a, incident_a, client_for):
    response = client_for(champion_a).post(url("triage", incident_a), {"concern_level": "high"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    incident_a.refresh_from_db()
    assert incident_a.concern_level == "" and not IncidentHistory.objects.filter(event="Triaged").exists()


def test_champion_records_actions_in_the_chronology(champion_a, incident_a, client_for):
    client = client_for(champion_a)
    client.post(
        url("chronology_add", incident_a),
        {"happened_on": TODAY.isoformat(), "happened_time": "14:30", "action": "Spoke with the parents."},
    )
    entry = ChronologyEntry.objects.get(incident=incident_a)
    assert entry.by == champion_a and entry.action == "Spoke with the parents."
    assert timezone.localtime(entry.happened_at).strftime("%H:%M") == "14:30"
    page = client.get(incident_a.get_absolute_url()).content.decode()
    assert "Spoke with the parents." in page and champion_a.full_name in page
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url("chronology_add", incident_a), {"happened_on": future, "happened_time": "10:00", "action": "Later"}
    )
    assert "this date is in the future" in response.content.decode()
    assert ChronologyEntry.objects.count() == 1


def test_closing_is_refused_while_a_required_referral_has_no_date_and_outcome(champion_a, incident_a, client_for):
    referral = ReferralFactory(incident=incident_a, agency_type="police")
    client = client_for(champion_a)
    response = client.post(url("close", incident_a), close_data())
    assert response.status_code == 400
    assert "The required referral to Police has no date and outcome yet." in response.content.decode()
    incident_a.refresh_from_db()
    assert not incident_a.is_closed

    # A date alone is not enough: the outcome is needed too.
    client.post(url("referral_edit", incident_a, referral.pk), {"referred_on": TODAY.isoformat(), "reference": "CRN 1"})
    assert client.post(url("close", incident_a), close_data()).status_code == 400

    client.post(
        url("referral_edit", incident_a, referral.pk),
        {"referred_on": TODAY.isoformat(), "reference": "CRN 1", "outcome": "Crime recorded, officer assigned."},
    )
    response = client.post(url("close", incident_a), close_data())
    assert response.status_code == 302
    incident_a.refresh_from_db()
    assert incident_a.is_closed and incident_a.closed_by == champion_a
    assert incident_a.lessons_learned.startswith("Remind pupils")


def test_closing_needs_an_outcome_and_lessons_learned(champion_a, incident_a, client_for):
    response = client_for(champion_a).post(url("close", incident_a), close_data(lessons_learned="", outcome=""))
    assert response.status_code == 400
    incident_a.refresh_from_db()
    assert not incident_a.is_closed


def test_an_additional_referral_does_not_block_closing(champion_a, incident_a, client_for):
    ReferralFactory(incident=incident_a, agency_type="iwf", required=False)
    assert client_for(champion_a).post(url("close", incident_a), close_data()).status_code == 302


def test_a_closed_incident_takes_no_more_changes(champion_a, incident_a, client_for):
    client = client_for(champion_a)
    client.post(url("close", incident_a), close_data())
    client.post(url("triage", incident_a), {"concern_level": "low", "concern_rationale": "x"}, follow=True)
    incident_a.refresh_from_db()
    assert incident_a.concern_level == ""


def test_every_change_is_in_the_append_only_history(champion_a, incident_a, safeguarding_lead, client_for):
    client = client_for(champion_a)
    client.post(url("triage", incident_a), {"concern_level": "medium", "concern_rationale": "First view."})
    client.post(
        url("referral_add", incident_a),
        {
            "referral-agency_type": "lado",
            "referral-referred_on": TODAY.isoformat(),
            "referral-reference": "LADO-7",
            "referral-outcome": "",
            "referral-escalated_to": safeguarding_lead.pk,
        },
    )
    client.post(
        url("chronology_add", incident_a),
        {"happened_on": TODAY.isoformat(), "happened_time": "09:30", "action": "Called LADO."},
    )
    client.post(url("close", incident_a), close_data())
    history = client.get(url("history", incident_a)).content.decode()
    events = list(IncidentHistory.objects.filter(incident=incident_a).values_list("event", "by"))
    assert events == [
        ("Triaged", champion_a.pk),
        ("Referral to LADO (Local Authority Designated Officer) recorded", champion_a.pk),
        ("Action recorded in the chronology", champion_a.pk),
        ("Closed", champion_a.pk),
    ]
    assert "LADO-7" in history and "Called LADO." in history and safeguarding_lead.full_name in history
    # There is no way to change or delete history from the portal, and the model refuses cascades.
    assert IncidentHistory._meta.get_field("incident").remote_field.on_delete.__name__ == "PROTECT"


def test_escalating_a_referral_tells_the_lead_without_details_and_lets_them_record_the_outcome(
    champion_a, incident_a, safeguarding_lead, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(incident=incident_a, agency_type="social_care")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(champion_a).post(
            url("referral_edit", incident_a, referral.pk),
            {"referred_on": TODAY.isoformat(), "reference": "MASH-1", "escalated_to": safeguarding_lead.pk},
        )
    [message] = mailoutbox
    assert message.to == [safeguarding_lead.email]
    assert incident_a.get_absolute_url() in message.body
    assert incident_a.description not in message.body and "Snapchat" not in message.body

    lead = client_for(safeguarding_lead)
    assert lead.get(incident_a.get_absolute_url()).status_code == 200
    # The lead records the outcome of their referral but cannot change who it is escalated to, or close.
    lead.post(
        url("referral_edit", incident_a, referral.pk),
        {"referred_on": TODAY.isoformat(), "reference": "MASH-1", "outcome": "Strategy meeting held."},
    )
    referral.refresh_from_db()
    assert referral.outcome == "Strategy meeting held." and referral.escalated_to == safeguarding_lead
    assert lead.post(url("close", incident_a), close_data()).status_code == 403


def test_referrals_can_only_be_escalated_to_a_safeguarding_lead(champion_a, champion_b, incident_a, client_for):
    referral = ReferralFactory(incident=incident_a)
    response = client_for(champion_a).post(
        url("referral_edit", incident_a, referral.pk), {"escalated_to": champion_b.pk}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.escalated_to is None


def test_every_view_of_the_details_is_logged_and_the_champion_sees_who(champion_a, staff_a, incident_a, client_for):
    client_for(staff_a).get(incident_a.get_absolute_url())
    client_for(staff_a).get(url("history", incident_a))
    page = client_for(champion_a).get(incident_a.get_absolute_url()).content.decode()
    views = ActivityEvent.objects.filter(action=Action.INCIDENT_VIEWED, object_id=str(incident_a.pk))
    assert sorted(views.values_list("actor", flat=True)) == sorted([staff_a.pk, staff_a.pk, champion_a.pk])
    assert {e.object_type for e in views} == {"incidents.Incident"} and {e.agency for e in views} == {incident_a.agency}
    assert "Who has viewed this incident" in page and staff_a.full_name in page
    viewers = {v["name"]: v["times"] for v in incident_page(incident=incident_a, user=champion_a)["viewers"]}
    assert viewers == {staff_a.full_name: 2, champion_a.full_name: 1}
    # The reporter does not see the view log.
    assert "Who has viewed this incident" not in client_for(staff_a).get(incident_a.get_absolute_url()).content.decode()


def test_refused_views_are_not_logged(champion_b, incident_a, client_for):
    client_for(champion_b).get(incident_a.get_absolute_url())
    assert not ActivityEvent.objects.filter(action=Action.INCIDENT_VIEWED).exists()


def test_staff_see_only_what_they_reported(staff_a, agency_a, incident_a, client_for):
    colleague = MembershipFactory(agency=agency_a).user
    theirs = IncidentFactory(agency=agency_a, reporter=colleague)
    client = client_for(staff_a)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    listing = client.get(reverse("incidents:list")).content.decode()
    assert incident_a.reference in listing and theirs.reference not in listing


def test_the_list_shows_the_champions_agency_only_and_filters(champion_a, agency_a, agency_b, client_for):
    mine = IncidentFactory(agency=agency_a, category="grooming")
    other = IncidentFactory(agency=agency_a, category="other")
    elsewhere = IncidentFactory(agency=agency_b)
    draft = IncidentFactory(agency=agency_a, status="draft")
    client = client_for(champion_a)
    listing = client.get(reverse("incidents:list")).content.decode()
    assert mine.reference in listing and other.reference in listing
    assert elsewhere.reference not in listing and draft.reference not in listing
    filtered = client.get(reverse("incidents:list"), {"category": "grooming"}).content.decode()
    assert mine.reference in filtered and other.reference not in filtered
    urgent = IncidentFactory(agency=agency_a, urgent=True)
    only_urgent = client.get(reverse("incidents:list"), {"urgent": "true"}).content.decode()
    assert urgent.reference in only_urgent and mine.reference not in only_urgent
    # Another agency cannot be chosen in the filter.
    refused = client.get(reverse("incidents:list"), {"agency": agency_b.pk}).content.decode()
    assert "Select a valid choice" in refused and elsewhere.reference not in refused


def test_the_agency_page_shows_its_champion_the_open_incidents(champion_a, staff_a, agency_a, client_for):
    IncidentFactory(agency=agency_a)
    IncidentFactory(agency=agency_a, status="in_progress")
    page = client_for(champion_a).get(agency_a.get_absolute_url()).content.decode()
    assert "<strong>1</strong> awaiting triage and <strong>1</strong> in progress" in page
    staff_page = client_for(staff_a).get(agency_a.get_absolute_url()).content.decode()
    assert "Log an incident" in staff_page and "awaiting triage" not in staff_page


def _fill(agency, count):
    for _ in range(count):
        incident = IncidentFactory(agency=agency)
        PersonInvolvedFactory(incident=incident)
        ReferralFactory(incident=incident)


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_uses_a_constant_number_of_queries(
    champion_a, agency_a, client_for, count, django_assert_max_num_queries
):
    _fill(agency_a, count)
    client = client_for(champion_a)
    # session and user (2); agency roles: memberships, nominations, led agencies (3); row count;
    # one page of rows with agency, reporter and outstanding referrals; the agencies of the
    # filter's choice list; the session saved (3).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("incidents:list"))
    assert response.status_code == 200 and response.content.decode().count("INC-") >= min(count, 50)


@pytest.mark.parametrize("count", [2, 20])
def test_the_incident_page_uses_a_constant_number_of_queries(
    champion_a, incident_a, client_for, count, django_assert_max_num_queries
):
    for _ in range(count):
        ReferralFactory(incident=incident_a, required=False)
        ChronologyEntry.objects.create(incident=incident_a, happened_at=timezone.now(), action="x", by=champion_a)
        activity_record(Action.INCIDENT_VIEWED, actor=champion_a, obj=incident_a)
    client = client_for(champion_a)
    # session and user (2); agency roles (3); the incident with agency and reporter; the view logged
    # in the audit trail (the chain's lock, its head, the event); people; referrals with leads;
    # chronology with authors; viewers; the leads for the escalation field of the referral form;
    # the session saved (3).
    with django_assert_max_num_queries(17):
        assert client.get(incident_a.get_absolute_url()).status_code == 200


def test_referral_of_another_incident_is_not_found(champion_a, incident_a, agency_a, client_for):
    elsewhere = ReferralFactory(incident=IncidentFactory(agency=agency_a))
    assert client_for(champion_a).get(url("referral_edit", incident_a, elsewhere.pk)).status_code == 404
    assert Referral.objects.count() == 1


def test_the_list_shows_a_lead_what_was_escalated_to_them_page_by_page(
    safeguarding_lead, agency_a, agency_b, client_for
):
    escalated = [IncidentFactory(agency=agency) for agency in (agency_a, agency_b) * 30]
    for incident in escalated:
        ReferralFactory(incident=incident, escalated_to=safeguarding_lead)
    not_escalated = IncidentFactory(agency=agency_a)
    ReferralFactory(incident=not_escalated)
    draft = IncidentFactory(agency=agency_a, status="draft")
    ReferralFactory(incident=draft, escalated_to=safeguarding_lead)
    client = client_for(safeguarding_lead)
    first = client.get(reverse("incidents:list")).content.decode()
    second = client.get(reverse("incidents:list"), {"page": 2}).content.decode()
    shown = {i for i in escalated if i.reference in first} | {i for i in escalated if i.reference in second}
    assert shown == set(escalated)
    rows = '<td><a href="/incidents/'  # each row starts with its incident's reference, a link to it
    assert first.count(rows) == 50 and second.count(rows) == 10
    for page in (first, second):
        assert not_escalated.reference not in page and draft.reference not in page
