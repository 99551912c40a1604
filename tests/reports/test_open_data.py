"""The open-data feed: off until the secretariat publishes it, then the monitoring figures per quarter and year,
small numbers suppressed, at stable addresses anyone can read."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.selectors import monitoring_figures, quarter_of
from reports import open_data
from reports.models import OpenDataSwitch
from tests.factories import AgencyFactory, IncidentFactory, PersonInvolvedFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FEED_URLS = ["open_data:figures_csv", "open_data:figures_json", "open_data:about"]


def last_quarters(n: int) -> list[tuple[datetime.date, datetime.date]]:
    """The n complete quarters before this one, latest first."""
    quarters, start = [], quarter_of(TODAY)[0]
    for _ in range(n):
        start, end = quarter_of(start - datetime.timedelta(days=1))
        quarters.append((start, end))
    return quarters


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


def make(agency, count, day, *, category="cyberbullying", age="13-15", referred=False, outcome=""):
    for _ in range(count):
        incident = IncidentFactory(
            agency=agency, category=category, reported_at=noon(day), status="closed" if outcome else "reported"
        )
        Incident.objects.filter(pk=incident.pk).update(outcome=outcome)
        PersonInvolvedFactory(incident=incident, age_band=age)
        if referred:
            ReferralFactory(incident=incident, referred_on=day, outcome="Done")


@pytest.fixture
def published(secretariat):
    OpenDataSwitch.objects.create(enabled=True, by=secretariat)


def feed_rows(client) -> list[dict]:
    response = client.get(reverse("open_data:figures_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- off by default, switched by the secretariat ------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_the_feed_is_not_found_until_it_is_published(persona, personas, client_for):
    client = client_for(personas[persona])
    for name in FEED_URLS:
        assert client.get(reverse(name)).status_code == 404, name


def test_the_secretariat_checks_the_files_before_publishing(secretariat, client_for):
    client = client_for(secretariat)
    for name in FEED_URLS:
        assert client.get(reverse(name)).status_code == 200, name
    assert "Not published." in client.get(reverse("open_data:about")).content.decode()
    # A preview must never sit in a shared cache while the feed is off.
    assert "no-store" in client.get(reverse("open_data:figures_json"))["Cache-Control"]


def test_the_secretariat_publishes_the_feed_and_stops_it(secretariat, client, client_for):
    manager = client_for(secretariat)
    response = manager.post(reverse("open_data:switch"), {"enabled": "on"})
    assert response.status_code == 302 and OpenDataSwitch.is_on()
    for name in FEED_URLS:
        assert client.get(reverse(name)).status_code == 200, name  # anyone, without logging in
    assert client.get(reverse("open_data:figures_csv"))["Cache-Control"] == "public, max-age=900"
    manager.post(reverse("open_data:switch"), {"enabled": "off"})
    assert not OpenDataSwitch.is_on()
    assert client.get(reverse("open_data:figures_json")).status_code == 404
    history = manager.get(reverse("open_data:switch")).content.decode()
    assert list(OpenDataSwitch.objects.values_list("enabled", "by")) == [
        (False, secretariat.pk),
        (True, secretariat.pk),
    ]
    assert f"<td>On</td><td>{secretariat.full_name}</td>" in history  # who switched it, each time
    assert f"<td>Off</td><td>{secretariat.full_name}</td>" in history


def test_a_switch_without_a_choice_changes_nothing(secretariat, client_for):
    response = client_for(secretariat).post(reverse("open_data:switch"), {"enabled": "maybe"})
    assert response.status_code == 400 and "Nothing was changed" in response.content.decode()
    assert not OpenDataSwitch.objects.exists()


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "board_member", "safeguarding_lead"])
def test_only_the_secretariat_and_administrators_switch_the_feed(persona, personas, client_for):
    client = client_for(personas[persona])
    assert client.get(reverse("open_data:switch")).status_code == 403
    assert client.post(reverse("open_data:switch"), {"enabled": "on"}).status_code == 403
    assert not OpenDataSwitch.objects.exists()


# --- the figures ---------------------------------------------------------------------------


def test_each_quarters_figures_are_the_databases_suppressed_as_on_the_monitoring_page(published, client):
    (q1_start, q1_end), (q2_start, _q2_end) = last_quarters(2)
    schools, youth = AgencyFactory(sector="education"), AgencyFactory(sector="youth")
    make(schools, 12, q1_start, outcome="resolved", referred=True)
    make(youth, 9, q1_start + datetime.timedelta(days=20), category="grooming", age="11-12")
    make(schools, 7, q2_start, category="gambling")
    make(schools, 3, TODAY, category="scams")  # this quarter: not published yet
    rows = feed_rows(client)
    periods = {r["period"] for r in rows}
    assert f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}" not in periods
    quarter = f"{q1_start.year}-Q{(q1_start.month - 1) // 3 + 1}"
    figures = monitoring_figures(start=q1_start, end=q1_end)
    for breakdown in figures["breakdowns"]:
        for code, (_label, cell) in zip(breakdown.codes, breakdown.rows, strict=True):
            row = next(
                r
                for r in rows
                if r["period"] == quarter and r["measure"] == breakdown.key and r["code"] == (code or "not_closed")
            )
            # The same counts as the monitoring page's, under the same rules.
            if row["status"] == "exact":
                assert int(row["value"]) == cell.count
            elif row["status"] == "rounded":
                assert int(row["value"]) == 5 * round(cell.count / 5) and cell.count >= 5
            else:
                assert 0 < cell.count < 5 or row["status"] == "hidden"
    total = next(r for r in rows if r["period"] == quarter and r["measure"] == "incidents")
    in_quarter = Incident.objects.filter(reported_at__date__gte=q1_start, reported_at__date__lte=q1_end).count()
    assert total["status"] in ("exact", "rounded") and abs(int(total["value"]) - in_quarter) <= 2


def test_small_numbers_never_appear_and_a_year_protects_its_quarters(published, client):
    year = TODAY.year - 1
    agency = AgencyFactory(sector="library")
    make(agency, 2, datetime.date(year, 2, 1), category="grooming")  # small: <5
    make(agency, 8, datetime.date(year, 5, 1))
    make(agency, 6, datetime.date(year, 8, 1))
    rows = [r for r in feed_rows(client) if r["period"].startswith(str(year))]
    assert {r["period"] for r in rows} == {f"{year}-Q1", f"{year}-Q2", f"{year}-Q3", f"{year}-Q4", str(year)}
    for row in rows:
        if row["status"] in ("fewer_than_5", "hidden"):
            assert row["value"] == "" and row["shown"] in ("<5", "hidden")
        else:
            value = int(row["value"])
            assert value == 0 or value >= 5, row
    # Something in the year is suppressed, so Q2's 8 and the year's 16 are published rounded, never exact.
    q2 = next(r for r in rows if r["period"] == f"{year}-Q2" and r["measure"] == "incidents")
    whole = next(r for r in rows if r["period"] == str(year) and r["measure"] == "incidents")
    assert (q2["shown"], q2["status"]) == ("about 10", "rounded")
    assert (whole["shown"], whole["value"]) == ("about 15", "15")


def test_the_year_is_the_sum_of_its_quarters_and_the_areas_add_up_to_the_categories(published, client):
    year = TODAY.year - 1
    agency = AgencyFactory(sector="education")
    for month, category in ((1, "cyberbullying"), (4, "grooming"), (7, "scams"), (10, "misinformation")):
        make(agency, 10, datetime.date(year, month, 3), category=category)
    periods = {p["period"]: p for p in open_data.published_periods(today=TODAY)}
    counts = {
        period: {
            b.key: {c: cell.count for c, (_l, cell) in zip(b.codes, b.rows, strict=True)}
            for b in p["figures"]["breakdowns"]
        }
        for period, p in periods.items()
    }
    for measure in ("area", "category", "sector", "age_band", "referral", "outcome"):
        for code, n in counts[str(year)][measure].items():
            assert n == sum(counts[f"{year}-Q{q}"][measure][code] for q in (1, 2, 3, 4)), (measure, code)
    assert sum(counts[str(year)]["area"].values()) == sum(counts[str(year)]["category"].values()) == 40
    assert counts[str(year)]["area"] == {"content": 10, "contact": 10, "conduct": 10, "commerce": 10}
    assert periods[str(year)]["figures"]["total"].count == Incident.objects.filter(reported_at__year=year).count()


def test_the_json_has_the_same_figures_as_the_csv(published, client):
    make(AgencyFactory(), 6, last_quarters(1)[0][0])
    document = json.loads(client.get(reverse("open_data:figures_json")).content)
    assert document["feed"] == "incident-figures" and document["version"] == "1"
    assert document["documentation"].endswith(reverse("open_data:about"))
    rows = feed_rows(client)
    for period in document["periods"]:
        total = next(r for r in rows if r["period"] == period["period"] and r["measure"] == "incidents")
        assert period["incidents"]["shown"] == total["shown"]
        category = next(m for m in period["measures"] if m["measure"] == "category")
        assert all(row["area"] in ("content", "contact", "conduct", "commerce") for row in category["rows"])


def test_the_documentation_explains_every_field(published, client):
    body = client.get(reverse("open_data:about")).content.decode()
    for name, _meaning in open_data.FIELDS:
        assert f"<code>{name}</code>" in body
    assert "Counts from 1 to 4 are shown as" in body


@pytest.mark.parametrize("years", [1, 4])
def test_the_feed_uses_a_constant_number_of_queries(published, client, years, django_assert_max_num_queries):
    agency = AgencyFactory()
    for back in range(years):
        make(agency, 2, datetime.date(TODAY.year - 1 - back, 3, 1), referred=True, outcome="resolved")
    # The switch (1) and the five grouped counts: by category, sector, outcome, age band and referral.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("open_data:figures_csv")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("open_data:figures_json")).status_code == 200
