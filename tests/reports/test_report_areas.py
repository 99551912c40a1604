"""The annual report's chapter on the four areas of risk: the database's figures, suppressed as elsewhere."""

import datetime

import pytest
from django.utils import timezone

from incidents import areas
from incidents.models import Incident
from reports.pdf import report_html
from reports.sections import ReportPeriod, gather
from tests.factories import AgencyFactory, IncidentFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _in_quarter(q: int) -> datetime.datetime:
    return datetime.datetime(YEAR, 3 * q - 1, 10, 12, tzinfo=timezone.get_current_timezone())


def test_the_report_gives_each_areas_figures_from_the_database():
    agency = AgencyFactory()
    for category, count, quarter in (("grooming", 8, 1), ("cyberbullying", 12, 1), ("scams", 6, 2), ("nudes", 5, 2)):
        IncidentFactory.create_batch(count, agency=agency, category=category, reported_at=_in_quarter(quarter))
    IncidentFactory(agency=agency, category="grooming", status="draft", reported_at=None)
    section = next(s for s in gather(ReportPeriod(YEAR))["sections"] if s["key"] == "areas_of_risk")
    in_year = Incident.objects.filter(reported_at__year=YEAR).exclude(status__in=("draft", "withdrawn"))
    rows = {label: (cells, total) for label, cells, total in section["table"]["areas"]["rows"]}
    for code, label in areas.Area.choices:
        cells, total = rows[label]
        assert total.count == in_year.filter(category__in=areas.categories_in(code)).count()
        for quarter, cell in enumerate(cells, start=1):
            expected = in_year.filter(category__in=areas.categories_in(code), reported_at__quarter=quarter).count()
            assert cell.count == expected
    # Nothing small: the figures are exact, and the headline gives them in area order.
    assert section["headlines"][0]["value"] == " / ".join(
        f"{in_year.filter(category__in=areas.categories_in(code)).count():,}" for code in areas.Area.values
    )
    html = report_html(gather(ReportPeriod(YEAR)))
    assert "Online safety: the four areas of risk" in html and "Incidents by area of risk and quarter" in html


def test_a_small_area_is_suppressed_and_the_others_rounded():
    agency = AgencyFactory()
    IncidentFactory.create_batch(2, agency=agency, category="gambling", reported_at=_in_quarter(1))
    IncidentFactory.create_batch(9, agency=agency, category="grooming", reported_at=_in_quarter(1))
    section = next(s for s in gather(ReportPeriod(YEAR))["sections"] if s["key"] == "areas_of_risk")
    first_quarter = {label: cells[0].shown for label, cells, _total in section["table"]["areas"]["rows"]}
    # Commerce (2) is "<5"; contact, the next smallest in the quarter, is hidden so 2 cannot be worked out.
    assert first_quarter["Commerce"] == "<5" and first_quarter["Contact"] == "hidden"
    totals = {label: total.shown for label, _cells, total in section["table"]["areas"]["rows"]}
    assert totals["Commerce"] == "<5" and totals["Contact"] == "about 10"
    assert section["table"]["areas"]["grand_total"].shown == "about 10"
