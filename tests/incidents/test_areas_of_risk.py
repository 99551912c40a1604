"""Every incident category belongs to one of KCSIE's four areas of risk, and the figures show both."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import areas
from incidents.models import Category, Incident
from incidents.selectors import monitoring_figures, nature_and_range, quarter_of
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

# A spread over the four areas, with small counts so suppression is at work too.
SPREAD = {
    "cyberbullying": 9,
    "nudes": 6,
    "grooming": 3,
    "sextortion": 5,
    "inappropriate": 7,
    "misinformation": 1,
    "gambling": 2,
    "scams": 6,
    "other": 4,  # reported before the areas of risk: kept, counted under its area
}


def _spread(agency, when=None):
    for category, count in SPREAD.items():
        IncidentFactory.create_batch(count, agency=agency, category=category, reported_at=when or timezone.now())


def test_every_category_belongs_to_exactly_one_area():
    assert set(areas.CATEGORY_AREAS) == set(Category.values)
    assert set(areas.CATEGORY_AREAS.values()) == set(areas.Area.values)
    listed = [code for _area, code, _label in areas.categories_by_area()]
    assert sorted(listed) == sorted(Category.values) and len(listed) == len(set(listed))


def test_area_figures_are_the_category_figures_added_up_by_area(agency_a):
    _spread(agency_a)
    IncidentFactory(agency=agency_a, category="grooming", status="draft")  # drafts never count
    start, end = quarter_of(timezone.localdate())
    figures = monitoring_figures(start=start, end=end)
    by_key = {b.key: b for b in figures["breakdowns"]}
    submitted = Incident.objects.exclude(status__in=("draft", "withdrawn"))
    for label, cell in by_key["area"].rows:
        code = next(c for c, lab in areas.Area.choices if lab == label)
        assert cell.count == submitted.filter(category__in=areas.categories_in(code)).count()
    area_sum = sum(cell.count for _l, cell in by_key["area"].rows)
    assert area_sum == sum(cell.count for _l, cell in by_key["category"].rows) == submitted.count()
    # Each category row sits under its own area.
    for group, label, cell in by_key["category"].grouped_rows:
        code = next(c for c, lab in Category.choices if lab == label)
        assert group == areas.AREA_LABELS[areas.area_of(code)]
        assert cell.count == submitted.filter(category=code).count()


def test_the_year_table_by_area_and_quarter_adds_up_to_the_category_table(agency_a):
    _spread(agency_a)
    _spread(agency_a, when=timezone.now() - datetime.timedelta(days=100))
    year = timezone.localdate().year
    nature = nature_and_range(year)
    per_area = nature["areas"]
    for q in range(4):
        assert sum(cells[q].count for _l, cells, _t in per_area["rows"]) == nature["column_totals"][q].count
    in_year = Incident.objects.filter(reported_at__year=year).exclude(status__in=("draft", "withdrawn"))
    for (label, _cells, total), code in zip(per_area["rows"], areas.Area.values, strict=True):
        assert total.count == in_year.filter(category__in=areas.categories_in(code)).count(), label
    assert per_area["grand_total"].count == nature["grand_total"].count == in_year.count()


def test_the_monitoring_page_shows_the_areas_with_small_numbers_suppressed(board_member, agency_a, client_for):
    IncidentFactory.create_batch(6, agency=agency_a, category="cyberbullying")
    IncidentFactory.create_batch(2, agency=agency_a, category="gambling")
    body = client_for(board_member).get(reverse("incidents:monitoring")).content.decode()
    assert 'id="areas-heading"' in body and "What each area of risk covers" in body
    # Commerce (2 gambling) is "<5" in the area table; conduct, the only other non-zero area, is hidden.
    assert re.search(r"Commerce</th><td class=\"text-end fst-italic\">&lt;5</td>", body)
    assert re.search(r"Conduct</th><td class=\"text-end fst-italic\">hidden</td>", body)
    assert '<th scope="rowgroup" colspan="2" class="table-light">Commerce</th>' in body
    assert ">2<" not in body and ">6<" not in body and ">8<" not in body


def test_the_csv_gives_the_area_of_each_category_and_the_area_table(secretariat, agency_a, client_for):
    IncidentFactory.create_batch(7, agency=agency_a, category="grooming")
    IncidentFactory.create_batch(5, agency=agency_a, category="scams")
    text = client_for(secretariat).get(reverse("incidents:monitoring_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Area of risk", "Count"] in rows
    assert ["Contact", "7"] in rows and ["Commerce", "5"] in rows and ["Content", "0"] in rows
    assert ["Category", "Count", "Area of risk"] in rows
    assert ["Grooming", "7", "Contact"] in rows and [
        "Phishing, scams or inappropriate advertising",
        "5",
        "Commerce",
    ] in rows
    area_year = rows[next(i for i, r in enumerate(rows) if r and r[0].startswith("Areas of risk 2"))]
    assert area_year[-1] == "Year"


def test_reporters_choose_a_category_under_its_area_and_the_retired_other_is_not_offered(staff_a, agency_a, client_for):
    draft = IncidentFactory(agency=agency_a, reporter=staff_a, status="draft", step_reached="what", category="")
    body = client_for(staff_a).get(reverse("incidents:page", args=[draft.pk, "what"])).content.decode()
    for label in areas.AREA_LABELS.values():
        assert f"<strong>{label}</strong>" in body
    assert 'value="other_commerce"' in body and 'value="other"' not in body


def test_a_draft_begun_under_the_retired_other_keeps_it(staff_a, agency_a, client_for):
    draft = IncidentFactory(agency=agency_a, reporter=staff_a, status="draft", step_reached="what", category="other")
    client = client_for(staff_a)
    body = client.get(reverse("incidents:page", args=[draft.pk, "what"])).content.decode()
    assert 'value="other" ' in body and "checked" in body
    response = client.post(
        reverse("incidents:page", args=[draft.pk, "what"]), {"category": "other", "description": "Kept"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.category == "other" and areas.area_label(draft.category) == "Conduct"


def test_the_incident_list_filters_by_area(champion_a, agency_a, client_for):
    grooming = IncidentFactory(agency=agency_a, category="grooming")
    bullying = IncidentFactory(agency=agency_a, category="cyberbullying")
    body = client_for(champion_a).get(reverse("incidents:list"), {"area": "contact"}).content.decode()
    assert grooming.reference in body and bullying.reference not in body


def test_the_incident_page_names_the_area_of_risk(champion_a, agency_a, client_for):
    incident = IncidentFactory(agency=agency_a, category="scams")
    body = client_for(champion_a).get(incident.get_absolute_url()).content.decode()
    assert "(area of risk: Commerce)" in body
