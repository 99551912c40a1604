"""The board's collated view of a cycle: return rate, results, heat map, radar, moderation, change, exports."""

import datetime
import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits import selectors, services
from audits.models import AuditReturn
from esafety import charts
from tests.audits.conftest import answer_all, questions_by_key
from tests.factories import AgencyFactory, NominationFactory

pytestmark = pytest.mark.django_db


def _cycle(version, agencies, by, *, year, due_in=20, prefill=False):
    today = timezone.localdate()
    return services.cycle_open(
        template_version=version,
        year=year,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=due_in),
        agencies=agencies,
        by=by,
        prefill=prefill,
    )


def _submit(r, by, **values):
    answer_all(r, by, **values)
    services.return_submit(audit_return=r, by=by)


@pytest.fixture
def maturity_year(maturity_version, agency_a, agency_b, champion_a, champion_b, secretariat):
    """Last year both agencies rated themselves; this year A improved, B got weaker and one agency is late."""
    year = timezone.localdate().year
    last = _cycle(maturity_version, [agency_a, agency_b], secretariat, year=year - 1)
    _submit(last.returns.get(agency=agency_a), champion_a, lead="3")
    _submit(last.returns.get(agency=agency_b), champion_b, lead="2")
    late = AgencyFactory(name="Zeta Late Agency")
    now = _cycle(maturity_version, [agency_a, agency_b, late], secretariat, year=year, due_in=-1)
    _submit(now.returns.get(agency=agency_a), champion_a, lead="1", filtering="2")
    _submit(now.returns.get(agency=agency_b), champion_b, lead="4", filtering="3")
    services.return_accept(audit_return=now.returns.get(agency=agency_a), by=secretariat)
    q = questions_by_key(maturity_version)["lead"]
    services.return_moderate(
        audit_return=now.returns.get(agency=agency_a), ratings={q: ("2", "Panel view")}, by=secretariat
    )
    return now


def test_collation_counts_rates_results_heat_map_and_changes(maturity_year, agency_a, agency_b):
    c = selectors.collation_for_cycle(maturity_year)
    assert c.rate == {
        "total": 3,
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "accepted": 1,
        "overdue": 1,
        "counted": 2,
        "past_due": True,
    }
    lead = next(r for r in c.question_results if r["question"].key == "lead")
    assert dict(lead["levels"]) == {1: 1, 2: 0, 3: 0, 4: 1, 5: 0}
    assert lead["gaps"] == 1 and lead["differ"] == 1
    assert lead["average"] == "2.5 (Established)"
    rows = {row["audit_return"].agency: row for row in c.heat_rows}
    leadership_a = rows[agency_a]["cells"][0]
    assert leadership_a.text == "Level 2.0 (Established)" and leadership_a.css == "heat-strong"
    assert rows[agency_b]["cells"][0].text == "Level 3.5 (Emerging)"
    assert c.average_row[0].text.startswith("Level 2.8")
    changes = {(ch["audit_return"].agency, ch["question"].key): ch for ch in c.changes}
    assert changes[(agency_a, "lead")]["direction"] == "better"
    assert changes[(agency_b, "lead")]["direction"] == "worse"
    assert changes[(agency_b, "lead")]["last_year"] == "Level 2 (Established)"
    assert [m["differs"] for m in c.moderation] == [True]


def test_the_collation_page_shows_words_with_colours_and_a_radar_per_agency(maturity_year, board_member, client_for):
    page = client_for(board_member).get(reverse("audits:collation", args=[maturity_year.pk])).content.decode()
    assert "<strong>2 of 3</strong> returned" in page and "1 overdue" in page
    assert '<td class="heat-strong">Level 2.0 (Established)</td>' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "Northfield Academy against the partnership average and the benchmark" in page
    assert "<strong>Differs</strong>" in page and "Improved" in page and "Weaker" in page
    # Each radar card is a figure whose caption is its first child (valid HTML), naming the agency.
    assert len(re.findall(r"<figure[^>]*>\s*<figcaption[^>]*>Northfield Academy</figcaption>", page)) == 1


def test_radar_chart_escapes_labels_and_needs_three_axes():
    series = [charts.Series("<b>Agency</b>", [1.0, 0.5, 0.25], "radar-agency")]
    chart = charts.radar_chart(chart_id="r1", title="T & co", axes=["A<", "B", "C"], series=series)
    svg = render_to_string(chart["template"], {"chart": chart})
    assert "<b>" not in svg and "&lt;b&gt;Agency&lt;/b&gt;" in svg and "T &amp; co" in svg and "A&lt;" in svg
    assert svg.count("<polygon") == 5  # four rings and one series
    assert charts.radar_chart(chart_id="r2", title="t", axes=["A", "B"], series=series) is None


def test_csv_and_xlsx_exports_hold_every_answer(maturity_year, secretariat, client_for):
    client = client_for(secretariat)
    csv_text = client.get(reverse("audits:collation_csv", args=[maturity_year.pk])).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Agency,Status,Section,Question key")
    assert len(lines) == 1 + 2 * 4  # two counted returns × four aspects
    assert any(
        "Northfield Academy,Accepted,Leadership,lead" in line and "Level 3 (Developing)" in line for line in lines
    )
    response = client.get(reverse("audits:collation_xlsx", args=[maturity_year.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Answers", "Return rate", "Sections"]
    assert book["Return rate"].max_row == 4 and book["Answers"].max_row == 9


def test_cycle_gaps_list_and_csv(maturity_year, secretariat, client_for):
    client = client_for(secretariat)
    page = client.get(reverse("audits:cycle_gaps", args=[maturity_year.pk])).content.decode()
    assert "Exampleshire Youth Service" in page and "benchmark level 2" in page
    csv_text = client.get(reverse("audits:cycle_gaps_csv", args=[maturity_year.pk])).content.decode()
    assert "Exampleshire Youth Service" in csv_text and "Level 4 (Emerging)" in csv_text


def _big_cycle(maturity_version, secretariat, size):
    agencies = [AgencyFactory() for _ in range(size)]
    cycle = _cycle(maturity_version, agencies, secretariat, year=2040)
    for agency in agencies:
        champion = NominationFactory(agency=agency).user
        _submit(AuditReturn.objects.get(cycle=cycle, agency=agency), champion)
    return cycle


@pytest.mark.parametrize("size", [2, 8])
def test_collation_pages_use_the_same_queries_for_few_or_many_agencies(
    size, maturity_version, secretariat, client_for, django_assert_max_num_queries
):
    _cycle(maturity_version, [AgencyFactory()], secretariat, year=2039)  # a previous year to compare with
    cycle = _big_cycle(maturity_version, secretariat, size)
    client = client_for(secretariat)
    # Every request: session, user, and saving the session (savepoint, update, release).
    # Collation: the cycle; the figure versions; the questions (+section), every return (+agency), the
    # answers of the page of returns shown, each question's counts and the section averages (counted in
    # the database, then kept in the cache until a return changes), the board ratings that differ, the
    # previous cycle and its answers. Asked again with nothing changed: the cycle and the versions.
    with django_assert_max_num_queries(15):
        assert client.get(reverse("audits:collation", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("audits:collation_xlsx", args=[cycle.pk])).status_code == 200
    # Gaps: the cycle; the questions (+section), returns, answers, their action links and actions.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audits:cycle_gaps", args=[cycle.pk])).status_code == 200
    # Cycle page: the cycle; its returns with agency and submitter.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("audits:cycle_detail", args=[cycle.pk])).status_code == 200


def test_agency_sees_its_returns_by_year_on_the_audits_page_and_the_agency_page(
    maturity_year, agency_a, champion_a, client_for
):
    client = client_for(champion_a)
    page = client.get(reverse("audits:index")).content.decode()
    year = timezone.localdate().year
    assert f'<th scope="row">{year}</th>' in page and f'<th scope="row">{year - 1}</th>' in page
    agency_page = client.get(reverse("agencies:detail", args=[agency_a.pk])).content.decode()
    assert "E-safety audit returns" in agency_page and f"{year}: Test maturity review" in agency_page
    changes = client.get(
        reverse("audits:return_changes", args=[AuditReturn.objects.get(cycle=maturity_year, agency=agency_a).pk])
    ).content.decode()
    assert "Improved" in changes and "Level 3 (Developing)" in changes


def test_home_page_shows_the_champion_their_open_return_and_the_secretariat_the_return_rate(
    open_cycle, champion_a, secretariat, client_for
):
    home = client_for(champion_a).get("/").content.decode()
    assert "E-safety audit returns to complete" in home and "Test checklist" in home
    home = client_for(secretariat).get("/").content.decode()
    assert "<strong>0 of 2</strong> agencies have returned" in home


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_audits_page_uses_the_same_queries_for_few_or_many_cycles(
    cycles, checklist_version, agency_a, champion_a, secretariat, client_for, django_assert_max_num_queries
):
    for year in range(2030, 2030 + cycles):
        _cycle(checklist_version, [agency_a, AgencyFactory()], secretariat, year=year)
    office, champion = client_for(secretariat), client_for(champion_a)
    # session, user, the session saved (3); cycles with counts; agency roles (3); their returns.
    with django_assert_max_num_queries(10):
        assert office.get(reverse("audits:index")).status_code == 200
    # session, user, the session saved (3); agency roles (3); their returns.
    with django_assert_max_num_queries(9):
        page = champion.get(reverse("audits:index")).content.decode()
    assert page.count("Changes since last year") == cycles


def test_a_long_collation_shows_agencies_a_page_at_a_time_and_counts_every_one(
    maturity_version, secretariat, client_for
):
    cycle = _big_cycle(maturity_version, secretariat, 30)
    names = [r.agency.name for r in cycle.returns.select_related("agency").order_by("agency__name")]
    client = client_for(secretariat)
    url = reverse("audits:collation", args=[cycle.pk])
    first, second = (client.get(url, {"page": page}).content.decode() for page in (1, 2))
    assert "agencies 1 to 20 of 30" in first and "agencies 21 to 30 of 30" in second
    assert f">{names[0]}</a>" in first and f">{names[-1]}</a>" not in first
    assert f">{names[-1]}</a>" in second and f">{names[0]}</a>" not in second
    # The question-by-question results and the average count every agency, on every page.
    on_page_two = selectors.collation_for_cycle(cycle, page=2)
    assert len(on_page_two.heat_rows) == 10
    assert {result["answered"] for result in on_page_two.question_results} == {30}
    assert on_page_two.average_row == selectors.collation_for_cycle(cycle).average_row
    assert client.get(url, {"page": "not-a-page"}).status_code == 200  # the first page, not an error


def test_the_collated_figures_follow_every_change_to_a_return(maturity_year, secretariat, client_for):
    """The partnership figures are kept in the cache between visits, never past a change."""
    first = selectors.collation_for_cycle(maturity_year)
    counted = [r for r in first.returns if r.status in selectors.COUNTED]
    services.return_send_back(audit_return=counted[0], reason="Please check section 2.", by=secretariat)
    after = selectors.collation_for_cycle(maturity_year)
    assert after.rate["counted"] == first.rate["counted"] - 1
    assert {r["answered"] for r in after.question_results} != {r["answered"] for r in first.question_results}


def test_a_section_titled_like_a_formula_is_text_in_every_sheet_of_the_workbook(
    maturity_year, maturity_version, secretariat, client_for
):
    """Templates are imported from files made elsewhere: a heading must never become a live formula."""
    hostile = '=HYPERLINK("http://evil.invalid","x")'
    maturity_version.sections.filter(key="leadership").update(title=hostile)
    response = client_for(secretariat).get(reverse("audits:collation_xlsx", args=[maturity_year.pk]))
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.value for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert "'" + hostile in [cell.value for cell in book["Sections"][1]]
    assert "'" + hostile in [cell.value for cell in book["Answers"]["C"]]


def test_a_return_submitted_shows_in_the_collation_and_on_the_home_page_at_once(
    open_cycle, return_a, champion_a, secretariat, client_for
):
    """The collation and the home page's return rate are kept between views, and counted again as soon
    as a champion submits."""
    office = client_for(secretariat)
    collation_url = reverse("audits:collation", args=[open_cycle.pk])
    assert "<strong>0 of 2</strong> returned" in office.get(collation_url).content.decode()
    assert "<strong>0 of 2</strong> agencies have returned" in office.get("/").content.decode()

    answer_all(return_a, champion_a)
    response = client_for(champion_a).post(reverse("audits:return_submit", args=[return_a.pk]))
    assert response.status_code == 302

    assert "<strong>1 of 2</strong> returned" in office.get(collation_url).content.decode()
    assert "<strong>1 of 2</strong> agencies have returned" in office.get("/").content.decode()


def test_each_champion_s_home_page_shows_their_own_agency_s_returns(
    open_cycle, champion_a, champion_b, agency_a, agency_b, client_for
):
    """The home page's sections are kept per person: one champion's never reaches another."""
    for champion, own, other in ((champion_a, agency_a, agency_b), (champion_b, agency_b, agency_a)):
        for _ in range(2):  # counted, then from the cache
            home = client_for(champion).get("/").content.decode()
            assert f"Test checklist {open_cycle.year} for {own.name}" in home
            assert other.name not in home
