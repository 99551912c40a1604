"""Reports for every year of the demo and of a (smaller) large data set agree with themselves and the database.

The demo and the large steps are each built once for their tests (in a transaction rolled back at
the end). The large data set is built at a fiftieth of its size, with the same ten years of
cycles, incidents, rounds, joiners and leavers, so the suite stays quick.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.large import LargeSizes
from accounts.management.commands.seed_demo import DEMO_PASSWORD, DemoContext, build
from agencies.models import Agency
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from tests.reports.reconcile import check_report, members_in_python, pdf_text

TODAY = timezone.localdate()
# A tenth of the large data set's incidents and actions over the same ten years, with enough agencies
# for some to join and leave along the way.
SMALL = LargeSizes().scaled(1 / 10, agencies=80, users=300, actions=150)


def _built(scale: str, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = DemoContext(today=TODAY, password=DEMO_PASSWORD, scale=scale, sizes=SMALL)
        build(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    yield from _built("demo", django_db_blocker)


@pytest.fixture(scope="module")
def large_data(django_db_setup, django_db_blocker):
    yield from _built("large", django_db_blocker)


@pytest.fixture
def demo(demo_data, db):
    return demo_data


@pytest.fixture
def large(large_data, db):
    return large_data


def test_last_years_demo_report_counts_the_twenty_agencies_that_were_members(demo):
    last_year = TODAY.year - 1
    context = check_report(last_year)
    membership = context["sections"][0]
    assert membership["in_year"] == len(
        members_in_python(datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31))
    )
    assert membership["in_year"] == Agency.objects.count() == 20
    html = report_html(context)
    # Each audit's agencies-by-section table says what its cells are: a checklist's questions in place,
    # a maturity review's average level.
    assert "Each cell is how many of the section's yes/no questions the agency has in place" in html
    assert "Each cell is the agency's average level for the section" in html
    pdf, _pages = html_to_pdf(html)
    lines = pdf_text(pdf)
    assert f"Agencies in the partnership {membership['in_year']}" in lines
    assert "Executive summary" in lines
    assert "What the Board is asked to do" in lines
    text = " ".join(lines)
    assert f"{membership['in_year']} agencies took part in the partnership in {last_year}" in text
    assert f"{membership['in_year']} agencies were in the partnership in {last_year}" in text


@pytest.mark.parametrize("years_ago", range(0, 14))
def test_every_demo_year_reconciles(demo, years_ago):
    check_report(TODAY.year - years_ago)


def test_a_demo_year_before_the_partnership_says_so_in_words(demo):
    first = min(Agency.objects.values_list("joined_on", flat=True)).year
    context = check_report(first - 1)
    text = " ".join(m["text"] for m in context["summary"]["messages"])
    assert f"No agency was a member of the partnership in {first - 1}." in text
    assert f"No self-assessment audit cycle was run in {first - 1}." in text
    assert context["appendix"] == []


def test_agencies_that_joined_late_count_from_their_joining_year(demo):
    joined_late = Agency.objects.get(name="Exampleshire Housing Partnership")
    year = joined_late.joined_on.year
    before = gather(ReportPeriod(year - 1))["appendix"]
    during = gather(ReportPeriod(year))
    assert joined_late not in before
    assert joined_late in during["appendix"]
    assert during["sections"][0]["joined"] >= 1


@pytest.mark.slow
@pytest.mark.xdist_group("heavy")
def test_every_year_of_the_large_data_set_reconciles(large):
    moves = []
    for year in range(TODAY.year - 10, TODAY.year + 1):
        membership = check_report(year)["sections"][0]
        moves.append(membership["joined"] + membership["left"])
    assert sum(moves) >= 3  # agencies joined and left over the years, and the reports counted them


@pytest.mark.slow
@pytest.mark.xdist_group("heavy")
def test_the_large_reports_pdf_gives_the_summary_and_the_members(large):
    year = TODAY.year - 1
    context = check_report(year)
    pdf, _pages = html_to_pdf(report_html(context))
    lines = pdf_text(pdf)
    in_year = context["sections"][0]["in_year"]
    assert in_year == len(members_in_python(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    assert f"Agencies in the partnership {in_year}" in lines
    assert "What the Board is asked to do" in lines
