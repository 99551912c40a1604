"""Filtering and monitoring reviews of internet access locations, against the DfE standards, at least yearly."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from locations import services
from locations.models import AccessLocation, FilteringReview
from locations.standards import STANDARD_FIELDS, STANDARDS
from tests.factories import AccessLocationFactory, AgencyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def review_data(**changes) -> dict:
    data = {
        "reviewed_on": TODAY.isoformat(),
        "senior_leader": "Head of library services",
        "governance_lead": "Lead member for children's services",
        "safeguarding_lead": "Library safeguarding lead",
        "filtering_provider": "County ICT web filter",
        "monitoring_provider": "Session logs and staff supervision",
        "roles_answer": "met",
        "review_answer": "met",
        "blocking_answer": "partly",
        "monitoring_answer": "not_met",
        "checks": ["filter_test", "block_allow"],
        "checks_notes": "A curriculum site was wrongly blocked.",
        "actions_needed": "Alerts to reach the safeguarding lead by March.",
        "next_review_due": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    return {**data, **changes}


def record(location, by, *, reviewed_on, next_review_due=None, answer="met", checks=("filter_test",)):
    return services.filtering_review_record(
        location=location,
        by=by,
        reviewed_on=reviewed_on,
        senior_leader="Centre manager",
        filtering_provider="County ICT web filter",
        checks=list(checks),
        next_review_due=next_review_due or reviewed_on + datetime.timedelta(days=365),
        **dict.fromkeys(STANDARD_FIELDS, answer),
    )


@pytest.fixture
def location_a(agency_a):
    return AccessLocationFactory(agency=agency_a, name="Central Library public PCs")


def test_a_champion_records_a_review_with_each_standard_answered(champion_a, location_a, client_for):
    response = client_for(champion_a).post(reverse("locations:review_create", args=[location_a.pk]), review_data())
    review = FilteringReview.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.agency_id == location_a.agency_id and review.recorded_by == champion_a
    assert [review.roles_answer, review.review_answer, review.blocking_answer, review.monitoring_answer] == [
        "met",
        "met",
        "partly",
        "not_met",
    ]
    assert review.checks == ["filter_test", "block_allow"] and review.standards_met == 2
    location_a.refresh_from_db()
    assert location_a.last_review == review and location_a.last_checked_on == TODAY
    assert location_a.next_review_due == TODAY + datetime.timedelta(days=365)


def test_the_review_page_shows_each_standard_and_the_checks(champion_a, staff_a, location_a, client_for):
    client_for(champion_a).post(reverse("locations:review_create", args=[location_a.pk]), review_data())
    body = client_for(staff_a).get(reverse("locations:reviews", args=[location_a.pk])).content.decode()
    for standard in STANDARDS:
        assert f"{standard.number}. {standard.title}" in body
    assert "<td>Partly met</td>" in body and "<td>Not met</td>" in body and "2 of 4 standards met" in body
    assert "A filtering test" in body and "County ICT web filter" in body
    assert "Record a review" not in body  # staff read, champions record


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"next_review_due": (TODAY + datetime.timedelta(days=400)).isoformat()}, "at least once a year"),
        ({"next_review_due": TODAY.isoformat()}, "The next review must be after this one."),
        ({"reviewed_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"blocking_answer": ""}, "This field is required."),
        ({"senior_leader": ""}, "This field is required."),
        ({"checks": ["made_up"]}, "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(champion_a, location_a, client_for, changes, message):
    response = client_for(champion_a).post(
        reverse("locations:review_create", args=[location_a.pk]), review_data(**changes)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not FilteringReview.objects.exists()
    location_a.refresh_from_db()
    assert location_a.last_review is None


def test_an_older_review_entered_later_does_not_replace_the_latest(secretariat, location_a):
    latest = record(location_a, secretariat, reviewed_on=TODAY - datetime.timedelta(days=10))
    record(location_a, secretariat, reviewed_on=TODAY - datetime.timedelta(days=300))
    location_a.refresh_from_db()
    assert location_a.last_review == latest
    assert location_a.last_checked_on == TODAY - datetime.timedelta(days=10)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("champion_b", 404), ("board_member", 403), ("safeguarding_lead", 403)],
)
def test_only_the_agencys_champions_and_the_secretariat_record_reviews(
    persona, status, personas, location_a, client_for
):
    client = client_for(personas[persona])
    url = reverse("locations:review_create", args=[location_a.pk])
    assert client.get(url).status_code == status
    assert client.post(url, review_data()).status_code == status
    assert not FilteringReview.objects.exists()


def test_the_secretariat_records_a_review_for_any_agency(secretariat, location_a, client_for):
    response = client_for(secretariat).post(reverse("locations:review_create", args=[location_a.pk]), review_data())
    assert response.status_code == 302 and FilteringReview.objects.get().recorded_by == secretariat


def test_a_champion_of_another_agency_cannot_read_the_reviews(champion_b, location_a, client_for):
    assert client_for(champion_b).get(reverse("locations:reviews", args=[location_a.pk])).status_code == 404


def test_an_archived_location_is_not_reviewed(champion_a, location_a, client_for):
    AccessLocation.objects.filter(pk=location_a.pk).update(archived_at=timezone.now())
    response = client_for(champion_a).post(reverse("locations:review_create", args=[location_a.pk]), review_data())
    assert response.status_code == 404 and not FilteringReview.objects.exists()


def test_a_location_never_reviewed_is_due_a_month_after_it_was_registered(agency_a):
    location = AccessLocationFactory(agency=agency_a)
    AccessLocation.objects.filter(pk=location.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert list(AccessLocation.objects.review_overdue()) == [location]
    location.refresh_from_db()
    assert location.review_status() == "Never reviewed: review overdue"


def test_the_register_shows_when_each_review_is_due(champion_a, secretariat, agency_a, location_a, client_for):
    record(location_a, secretariat, reviewed_on=TODAY - datetime.timedelta(days=400))
    body = client_for(champion_a).get(reverse("locations:agency", args=[agency_a.pk])).content.decode()
    due = TODAY - datetime.timedelta(days=35)
    assert f"Next due by {due:%-d %B %Y}" in body and "Review overdue" in body
    assert reverse("locations:review_create", args=[location_a.pk]) in body


# --- the partnership's view ---------------------------------------------------------------


def _partnership(secretariat, size: int):
    """Per agency: one location in date, one overdue, one never reviewed, one with a standard not met."""
    for _ in range(size):
        agency = AgencyFactory()
        record(AccessLocationFactory(agency=agency), secretariat, reviewed_on=TODAY - datetime.timedelta(days=20))
        record(AccessLocationFactory(agency=agency), secretariat, reviewed_on=TODAY - datetime.timedelta(days=380))
        never = AccessLocationFactory(agency=agency)
        AccessLocation.objects.filter(pk=never.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
        record(
            AccessLocationFactory(agency=agency),
            secretariat,
            reviewed_on=TODAY - datetime.timedelta(days=5),
            answer="not_met",
        )


def test_the_board_sees_the_reviews_overdue_across_the_partnership(secretariat, board_member, client_for):
    _partnership(secretariat, 2)
    response = client_for(board_member).get(reverse("locations:reviews_overdue"))
    context = response.context
    active = AccessLocation.objects.active()
    assert context["counts"]["total"] == active.count() == 8
    assert context["counts"]["overdue"] == active.review_overdue(TODAY).count() == 4
    assert context["counts"]["never"] == active.filter(last_review__isnull=True).count() == 2
    assert context["counts"]["not_met"] == active.filter(last_review__roles_answer="not_met").count() == 2
    # Overdue (2 late, 2 never) and not met (2): the in-date, all-met ones are left out.
    listed = {loc.pk for loc in context["locations"]}
    assert listed == set(active.filter(last_review__roles_answer="not_met").values_list("pk", flat=True)) | set(
        active.review_overdue(TODAY).values_list("pk", flat=True)
    )
    body = response.content.decode()
    assert "Never reviewed: review overdue" in body and "0 of 4" in body


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b"])
def test_agency_people_do_not_get_the_partnership_view(persona, personas, client_for):
    assert client_for(personas[persona]).get(reverse("locations:reviews_overdue")).status_code == 403


def test_the_partnership_register_links_to_the_overdue_reviews(board_member, client_for):
    body = client_for(board_member).get(reverse("locations:list")).content.decode()
    assert reverse("locations:reviews_overdue") in body


@pytest.mark.parametrize("size", [1, 12])
def test_the_overdue_view_uses_a_constant_number_of_queries(
    secretariat, client_for, size, django_assert_max_num_queries
):
    _partnership(secretariat, size)
    client = client_for(secretariat)
    # session and user (2); the counts (1); the locations with their agency and last review (1);
    # the session saved (3); 2 spare for the shared navigation.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("locations:reviews_overdue")).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_review_history_uses_a_constant_number_of_queries(
    secretariat, location_a, client_for, size, django_assert_max_num_queries
):
    for n in range(size):
        record(location_a, secretariat, reviewed_on=TODAY - datetime.timedelta(days=30 * n))
    client = client_for(secretariat)
    # session and user (2); the location (1); its reviews with who recorded them (1); the session (3); 2 spare.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("locations:reviews", args=[location_a.pk])).status_code == 200
