"""The annual report's chapter on filtering and monitoring reviews gives the database's figures for the year."""

import datetime

import pytest
from django.utils import timezone

from locations import services
from locations.models import AccessLocation, FilteringReview
from locations.standards import STANDARD_FIELDS, STANDARDS
from reports.pdf import report_html
from reports.sections import ReportPeriod, gather
from tests.factories import AccessLocationFactory, AgencyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def review(location, by, reviewed_on, answers, checks):
    return services.filtering_review_record(
        location=location,
        by=by,
        reviewed_on=reviewed_on,
        senior_leader="Service manager",
        filtering_provider="County ICT web filter",
        checks=checks,
        next_review_due=reviewed_on + datetime.timedelta(days=365),
        **dict(zip(STANDARD_FIELDS, answers, strict=True)),
    )


def _section():
    return next(s for s in gather(ReportPeriod(YEAR))["sections"] if s["key"] == "filtering_reviews")


def test_the_report_counts_the_years_reviews_and_answers_as_the_database_holds_them(secretariat):
    library, youth = AgencyFactory(sector="library"), AgencyFactory(sector="youth")
    start = datetime.date(YEAR, 1, 1)
    in_year = [start + datetime.timedelta(days=d) for d in (5, 40, 90)]
    in_year = [d for d in in_year if d <= TODAY] or [start]
    places = [AccessLocationFactory(agency=library) for _ in range(3)] + [AccessLocationFactory(agency=youth)]
    # Reviewed twice in the year: only the latest review's answers count.
    review(places[0], secretariat, in_year[0], ["not_met"] * 4, ["block_allow"])
    review(places[0], secretariat, in_year[-1], ["met", "met", "partly", "met"], ["filter_test", "block_allow"])
    review(places[1], secretariat, in_year[-1], ["met"] * 4, ["filter_test"])
    # Reviewed last year only: late now, and not counted in this year's answers.
    review(places[2], secretariat, start - datetime.timedelta(days=200), ["met"] * 4, ["filter_test"])
    section = _section()

    latest = [
        AccessLocation.objects.get(pk=p.pk).last_review
        for p in places
        if FilteringReview.objects.filter(location=p, reviewed_on__year=YEAR).exists()
    ]
    assert section["reviews"] == len(latest) == 2
    assert section["totals"]["total"] == AccessLocation.objects.count() == 4
    assert section["totals"]["reviewed"] == 2
    in_date = [p for p in AccessLocation.objects.all() if p.last_review and p.last_review.next_review_due >= TODAY]
    assert section["totals"]["in_date"] == len(in_date)
    assert section["totals"]["not_in_date"] == 4 - len(in_date)
    for row, standard in zip(section["standards"], STANDARDS, strict=True):
        for answer in ("met", "partly", "not_met"):
            assert row[answer] == sum(getattr(r, standard.field) == answer for r in latest), (standard.field, answer)
    checks = {row["label"].split(" (")[0]: row["count"] for row in section["checks"]}
    assert checks["A filtering test"] == sum("filter_test" in r.checks for r in latest) == 2
    assert section["all_met"] == sum(r.standards_met == 4 for r in latest) == 1
    sectors = {row["label"]: row for row in section["sectors"]}
    assert sectors["Library"]["total"] == 3 and sectors["Library"]["reviewed"] == 2
    assert section["headlines"][0]["value"] == "2 of 4"

    html = report_html(gather(ReportPeriod(YEAR)))
    assert "Filtering and monitoring of internet access locations" in html
    assert "Roles and responsibilities to manage filtering and monitoring are identified and assigned" in html


def test_a_year_without_reviews_says_so():
    AccessLocationFactory()
    section = _section()
    assert section["reviews"] == 0 and section["totals"] == {"total": 1, "reviewed": 0, "in_date": 0, "not_in_date": 1}
    assert f"No filtering and monitoring review was recorded in {YEAR}." in report_html(gather(ReportPeriod(YEAR)))


def test_a_register_typed_in_this_year_counts_last_years_reviewed_locations_in_last_years_report(secretariat):
    """A partnership starting on the portal enters its locations today and their reviews of last year."""
    last_year = YEAR - 1
    agency = AgencyFactory(sector="youth", joined_on=datetime.date(last_year - 3, 4, 1))
    reviewed, checked, _known_only_from_today = (AccessLocationFactory(agency=agency) for _ in range(3))
    review(reviewed, secretariat, datetime.date(last_year, 6, 15), ["met"] * 4, ["filter_test"])
    AccessLocation.objects.filter(pk=checked.pk).update(last_checked_on=datetime.date(last_year, 3, 1))
    left = AgencyFactory(
        sector="youth", joined_on=datetime.date(last_year - 3, 4, 1), left_on=datetime.date(last_year, 9, 30)
    )
    gone = AccessLocationFactory(agency=left)
    review(gone, secretariat, datetime.date(last_year, 5, 1), ["not_met"] * 4, [])

    section = next(s for s in gather(ReportPeriod(last_year))["sections"] if s["key"] == "filtering_reviews")

    # Listed at the end of last year: the reviewed and the checked place; not the one known only from
    # today, nor the one of an agency that left the partnership during the year.
    assert section["totals"] == {"total": 2, "reviewed": 1, "in_date": 1, "not_in_date": 1}
    assert section["reviews"] == 1 and section["all_met"] == 1
    assert section["headlines"][0]["value"] == "1 of 2"
    assert section["headlines"][1]["value"] == "1 of 1"
