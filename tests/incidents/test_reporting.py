"""A member of staff logs an incident page by page; the draft is in the database at every step."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents import wizard
from incidents.models import Incident, IncidentHistory, PersonInvolved, Referral
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page_url(incident, page):
    return reverse("incidents:page", args=[incident.pk, page])


WHEN = {
    "occurred_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
    "discovered_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
    "location": "school",
    "technology": "phone",
    "platform": "Snapchat",
}
QUESTIONS_NO = {
    "illegal": "no",
    "online_sexual_abuse": "no",
    "csam_online": "no",
    "staff_involved": "no",
    "child_at_risk": "no",
}


def people(*rows, existing=0):
    data = {
        "people-TOTAL_FORMS": str(max(len(rows), existing) + 0),
        "people-INITIAL_FORMS": str(existing),
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"people-{i}-{key}"] = value
    return data


CHILD = {"role": "child", "age_band": "13-15", "involvement": "affected", "note": "Year 9 pupil A"}


def start(client):
    response = client.post(reverse("incidents:start"), {"agency": client.agency.pk})
    incident = Incident.objects.latest("pk")
    assert response.url == page_url(incident, "when")
    return incident


@pytest.fixture
def staff_client(staff_a, agency_a, client_for):
    client = client_for(staff_a)
    client.agency = agency_a
    return client


def report(client, *, category="cyberbullying", questions=QUESTIONS_NO, nudes=None):
    incident = start(client)
    client.post(page_url(incident, "when"), WHEN)
    client.post(page_url(incident, "what"), {"category": category, "description": "Messages in a group chat."})
    client.post(page_url(incident, "questions"), questions)
    if nudes is not None:
        client.post(page_url(incident, "nudes"), nudes)
    client.post(page_url(incident, "people"), people(CHILD))
    return incident


def test_staff_logs_an_illegal_incident_and_the_required_referrals_are_opened(
    staff_client, champion_a, mailoutbox, django_capture_on_commit_callbacks
):
    incident = report(
        staff_client,
        category="grooming",
        questions={**QUESTIONS_NO, "illegal": "yes", "online_sexual_abuse": "yes"},
    )
    review = staff_client.get(page_url(incident, "review")).content.decode()
    assert "Report it to the police now" in review and "CEOP" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(page_url(incident, "review"))
    incident.refresh_from_db()
    assert response.url == incident.get_absolute_url()
    assert incident.status == "reported" and incident.urgent and incident.reported_at
    assert list(incident.referrals.values_list("agency_type", "required", "referred_on")) == [
        ("police", True, None),
        ("ceop", True, None),
    ]
    # The champion is e-mailed at once, marked urgent, with only the category, agency and a link.
    [message] = mailoutbox
    assert message.to == [champion_a.email]
    assert message.subject.startswith("URGENT:")
    assert "Grooming" in message.body and incident.agency.name in message.body
    assert incident.get_absolute_url() in message.body


def test_the_email_to_the_champion_carries_no_details(
    staff_client, champion_a, mailoutbox, django_capture_on_commit_callbacks
):
    incident = report(staff_client)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(page_url(incident, "review"))
    [message] = mailoutbox
    html = message.alternatives[0][0]
    for secret in (
        "Messages in a group chat",
        "Year 9 pupil A",
        "Snapchat",
        "13 to 15",
        staff_client.agency.name + " pupil",
    ):
        assert secret not in message.body and secret not in html and secret not in message.subject
    assert not message.subject.startswith("URGENT")


def test_a_page_with_bad_input_says_why_and_saves_nothing(staff_client):
    incident = start(staff_client)
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = staff_client.post(page_url(incident, "when"), {**WHEN, "occurred_on": future, "location": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This date is in the future." in body and "This field is required." in body
    incident.refresh_from_db()
    assert incident.occurred_on is None and incident.step_reached == "when"
    # Later pages cannot be skipped to.
    assert staff_client.get(page_url(incident, "questions")).url == page_url(incident, "when")


def test_found_before_it_happened_is_refused(staff_client):
    incident = start(staff_client)
    response = staff_client.post(
        page_url(incident, "when"), {**WHEN, "occurred_on": WHEN["discovered_on"], "discovered_on": WHEN["occurred_on"]}
    )
    assert "cannot have been found before it happened" in response.content.decode()


def test_a_grooming_answer_without_illegal_is_questioned(staff_client):
    incident = start(staff_client)
    staff_client.post(page_url(incident, "when"), WHEN)
    staff_client.post(page_url(incident, "what"), {"category": "grooming", "description": "x"})
    response = staff_client.post(page_url(incident, "questions"), {**QUESTIONS_NO, "online_sexual_abuse": "yes"})
    assert "answer Yes to the first question" in response.content.decode()
    incident.refresh_from_db()
    assert incident.online_sexual_abuse is None


def test_the_draft_survives_an_expired_session(staff_a, staff_client):
    incident = start(staff_client)
    staff_client.post(page_url(incident, "when"), WHEN)
    response = staff_client.post(
        page_url(incident, "what"), {"category": "cyberbullying", "description": "Saved text.", "then": "later"}
    )
    assert response.url == reverse("home")
    # A brand-new session (the old one expired) finds the draft on the home page and carries on.
    fresh = Client()
    fresh.force_login(staff_a)
    home = fresh.get(reverse("home")).content.decode()
    assert f"Continue draft {incident.reference}" in home
    assert page_url(incident, "questions") in home
    page = fresh.get(page_url(incident, "what")).content.decode()
    assert "Saved text." in page


def test_nudes_without_aggravating_factor_needs_the_rationale(staff_client, champion_a):
    incident = start(staff_client)
    staff_client.post(page_url(incident, "when"), WHEN)
    staff_client.post(page_url(incident, "what"), {"category": "nudes", "description": "Image shared among peers."})
    response = staff_client.post(page_url(incident, "questions"), QUESTIONS_NO)
    assert response.url == page_url(incident, "nudes")
    response = staff_client.post(page_url(incident, "nudes"), {"handled_in_agency_rationale": ""})
    assert "record why the agency can handle it" in response.content.decode()
    staff_client.post(page_url(incident, "nudes"), {"handled_in_agency_rationale": "Same-age peers, no coercion."})
    staff_client.post(page_url(incident, "people"), people(CHILD))
    staff_client.post(page_url(incident, "review"))
    incident.refresh_from_db()
    assert incident.status == "reported" and not incident.urgent
    assert incident.referrals.count() == 0


def test_nudes_with_an_adult_involved_requires_police_and_social_care(staff_client):
    incident = report(staff_client, category="nudes", nudes={"nudes_factors": ["adult_involved"]})
    staff_client.post(page_url(incident, "review"))
    assert set(Referral.objects.filter(incident=incident).values_list("agency_type", flat=True)) == {
        "police",
        "social_care",
    }


def test_people_are_described_without_names_and_at_least_one_child(staff_client):
    incident = start(staff_client)
    staff_client.post(page_url(incident, "when"), WHEN)
    staff_client.post(page_url(incident, "what"), {"category": "cyberbullying", "description": "x"})
    staff_client.post(page_url(incident, "questions"), QUESTIONS_NO)
    response = staff_client.post(
        page_url(incident, "people"), people({"role": "parent", "age_band": "18+", "involvement": "witness"})
    )
    assert "at least one child" in response.content.decode()
    assert not PersonInvolved.objects.filter(incident=incident).exists()
    assert "name" not in [f.name for f in PersonInvolved._meta.get_fields()]


def test_a_removed_person_is_kept_marked_removed(staff_client):
    incident = report(staff_client)
    person = incident.people.get()
    row = {"id": str(person.pk), **CHILD}
    second = {"role": "child", "age_band": "11-12", "involvement": "subject"}
    staff_client.post(page_url(incident, "people"), people(row, second, existing=1))
    assert incident.people.filter(removed_at__isnull=True).count() == 2
    other = incident.people.exclude(pk=person.pk).get()
    staff_client.post(
        page_url(incident, "people"), people({**row, "remove": "on"}, {"id": str(other.pk), **second}, existing=2)
    )
    person.refresh_from_db()
    assert person.removed_at is not None
    assert PersonInvolved.objects.filter(incident=incident).count() == 2


def test_submitting_an_incomplete_draft_lists_what_is_missing(staff_client, draft_a, staff_a):
    Incident.objects.filter(pk=draft_a.pk).update(step_reached="review")
    response = staff_client.post(page_url(draft_a, "review"))
    body = response.content.decode()
    assert "Answer the flow chart questions." in body and "Describe the people involved." in body
    draft_a.refresh_from_db()
    assert draft_a.status == "draft"


def test_a_submitted_incident_cannot_be_edited_through_the_form(staff_client, incident_a):
    response = staff_client.post(page_url(incident_a, "what"), {"category": "other", "description": "changed"})
    assert response.url == incident_a.get_absolute_url()
    incident_a.refresh_from_db()
    assert incident_a.category == "cyberbullying"


def test_every_saved_page_is_in_the_history(staff_client):
    incident = report(staff_client)
    staff_client.post(page_url(incident, "review"))
    events = list(IncidentHistory.objects.filter(incident=incident).values_list("event", flat=True))
    assert events == [
        "Draft started",
        "Draft saved: When and where",
        "Draft saved: What happened",
        "Draft saved: The flow chart questions",
        "Draft saved: People involved",
        "Reported",
    ]
    what = IncidentHistory.objects.get(incident=incident, event="Draft saved: What happened")
    assert what.change("category") == ["", "Cyberbullying (including racist and homophobic)"]


def test_a_draft_is_withdrawn_not_deleted(staff_client, draft_a):
    staff_client.post(reverse("incidents:withdraw", args=[draft_a.pk]))
    draft_a.refresh_from_db()
    assert draft_a.status == "withdrawn"
    # A withdrawn draft cannot be taken up again in the form.
    assert staff_client.get(reverse("incidents:page", args=[draft_a.pk, "when"])).status_code == 404


def test_the_form_is_the_reporters_alone(draft_a, personas, client_for):
    page = reverse("incidents:page", args=[draft_a.pk, "when"])
    assert client_for(personas["champion_a"]).get(page).status_code == 404
    assert client_for(personas["staff_a"]).get(page).status_code == 200


def test_someone_working_for_two_agencies_chooses_which(staff_a, agency_b, client_for):
    MembershipFactory(user=staff_a, agency=agency_b)
    client = client_for(staff_a)
    body = client.get(reverse("incidents:start")).content.decode()
    assert agency_b.name in body
    client.post(reverse("incidents:start"), {"agency": agency_b.pk})
    assert Incident.objects.get().agency == agency_b


def test_staff_cannot_report_for_an_agency_they_do_not_work_for(staff_client, agency_b):
    response = staff_client.post(reverse("incidents:start"), {"agency": agency_b.pk})
    assert response.status_code == 200 and not Incident.objects.exists()


def test_an_agency_without_a_champion_has_its_executive_lead_told(
    staff_client, agency_a, mailoutbox, django_capture_on_commit_callbacks
):
    incident = report(staff_client)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(page_url(incident, "review"))
    [message] = mailoutbox
    assert message.to == [agency_a.executive_lead.email]


def test_changing_the_category_away_from_nudes_never_strands_the_draft(staff_client):
    incident = start(staff_client)
    staff_client.post(page_url(incident, "when"), WHEN)
    staff_client.post(page_url(incident, "what"), {"category": "nudes", "description": "x"})
    staff_client.post(page_url(incident, "questions"), QUESTIONS_NO)
    incident.refresh_from_db()
    assert incident.step_reached == "nudes"
    staff_client.post(page_url(incident, "what"), {"category": "cyberbullying", "description": "x"})
    incident.refresh_from_db()
    # The nudes page no longer applies; the reporter carries on from the questions.
    assert wizard.resume_url(incident) == page_url(incident, "questions")
    assert staff_client.get(page_url(incident, "nudes")).url == page_url(incident, "questions")
    assert staff_client.post(page_url(incident, "questions"), QUESTIONS_NO).url == page_url(incident, "people")


def test_saving_a_person_who_is_no_longer_on_the_draft_is_refused(staff_a, staff_client):
    from django.core.exceptions import ValidationError

    from incidents import services

    incident = report(staff_client)
    person = incident.people.get()
    PersonInvolved.objects.filter(pk=person.pk).update(removed_at=timezone.now())
    with pytest.raises(ValidationError, match="no longer on the draft"):
        services.incident_save_people(incident=incident, people=[{"pk": person.pk, **CHILD}], by=staff_a)
