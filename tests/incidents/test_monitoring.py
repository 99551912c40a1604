"""Anonymised figures for the secretariat and the board: small numbers never shown, nor worked out."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmark.scenarios import incident_pages
from incidents import services
from incidents.selectors import quarter_of, suppress_table
from tests.factories import AgencyFactory, IncidentFactory, PersonInvolvedFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def shown(cells):
    return [c.shown for c in cells]


def test_counts_below_five_are_shown_as_less_than_five():
    cells, _, _, total = suppress_table([[12], [3], [0], [7], [2]])
    assert shown(c[0] for c in cells) == ["12", "<5", "0", "7", "<5"]
    # With hidden cells, the total is rounded so the hidden ones cannot be worked out.
    assert total.shown == "about 25"


def test_a_lone_small_cell_hides_a_second_cell_so_it_cannot_be_back_solved():
    cells, _, _, total = suppress_table([[12], [3], [9], [20]])
    assert shown(c[0] for c in cells) == ["12", "<5", "hidden", "20"]
    assert total.shown == "about 45"
    assert "44" not in total.shown


def test_no_small_numbers_means_exact_figures():
    cells, _, _, total = suppress_table([[12], [0], [9]])
    assert shown(c[0] for c in cells) == ["12", "0", "9"] and total.shown == "21"


def test_a_small_total_is_itself_suppressed():
    _, _, _, total = suppress_table([[1], [2]])
    assert total.shown == "<5"


def test_two_way_table_protects_rows_and_columns():
    cells, rows, cols, grand = suppress_table([[10, 2, 8], [6, 7, 9]])
    assert shown(cells[0]) == ["10", "<5", "hidden"]
    # Column 2 now has one hidden cell, so its partner in that column is hidden too, and so on.
    hidden_per_row = [sum(c.suppressed for c in row) for row in cells]
    hidden_per_col = [sum(cells[r][c].suppressed for r in range(2)) for c in range(3)]
    assert all(n != 1 for n in hidden_per_row + hidden_per_col)
    assert rows[0].shown.startswith("about") and grand.shown.startswith("about")


def test_quarters_are_calendar_quarters():
    assert quarter_of(datetime.date(2026, 11, 23)) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert quarter_of(datetime.date(2026, 1, 1)) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def _make(agency, count, *, category="cyberbullying", when=None, age="13-15", referred=False, outcome=""):
    for _ in range(count):
        incident = IncidentFactory(
            agency=agency,
            category=category,
            reported_at=when or timezone.now(),
            status="closed" if outcome else "reported",
            outcome=outcome,
        )
        PersonInvolvedFactory(incident=incident, age_band=age)
        if referred:
            ReferralFactory(incident=incident, referred_on=timezone.localdate(), outcome="Done")


def numbers_in(html):
    """Every figure in the tables of the page."""
    return re.findall(r'<td class="text-end[^"]*">([^<]+)</td>', html)


def test_board_sees_this_quarter_with_small_numbers_suppressed(board_member, agency_a, client_for):
    youth = AgencyFactory(sector="youth")
    _make(agency_a, 7, category="cyberbullying", outcome="resolved")
    _make(agency_a, 8, category="inappropriate")
    _make(youth, 2, category="grooming", referred=True, age="11-12")
    _make(agency_a, 3, category="grooming", when=timezone.now() - datetime.timedelta(days=400))  # another year
    IncidentFactory(agency=agency_a, status="draft", category="radicalisation")  # drafts never count
    body = client_for(board_member).get(reverse("incidents:monitoring")).content.decode()
    start, end = quarter_of(timezone.localdate())
    assert f"Reported {start:%-d %B %Y} to {end:%-d %B %Y}" in body
    figures = numbers_in(body)
    # Grooming (2) is "<5"; cyberbullying (7), the next smallest, is hidden so 2 cannot be worked out.
    assert re.search(r"Grooming</th><td class=\"text-end fst-italic\">&lt;5</td>", body)
    assert re.search(r"homophobic\)</th><td class=\"text-end fst-italic\">hidden</td>", body)
    # Something is hidden, so the other counts on the page are rounded too: inappropriate content (8)
    # shows as "about 10", and the one-sector table cannot give the total away either.
    assert "about 10" in figures and "8" not in figures
    assert "2" not in figures and "1" not in figures and "17" not in figures and "15" not in figures
    assert "about 15" in body


def test_any_date_range_can_be_chosen(secretariat, agency_a, client_for):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    _make(agency_a, 6, category="sextortion", when=long_ago)
    day = timezone.localtime(long_ago).date()
    client = client_for(secretariat)
    body = client.get(
        reverse("incidents:monitoring"), {"start": day.isoformat(), "end": day.isoformat()}
    ).content.decode()
    assert re.search(r"Sextortion or blackmail</th><td class=\"text-end\">6</td>", body)
    bad = client.get(reverse("incidents:monitoring"), {"start": "2026-05-01", "end": "2026-01-01"}).content.decode()
    assert "The end of the period is before its start." in bad


def test_csv_export_is_suppressed_too(secretariat, agency_a, client_for):
    _make(agency_a, 6, category="cyberbullying")
    _make(agency_a, 1, category="grooming")
    response = client_for(secretariat).get(reverse("incidents:monitoring_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Grooming,<5" in text and "Cyberbullying (including racist and homophobic),hidden" in text
    assert "Total,about 5" in text
    assert ",1\r\n" not in text


@pytest.mark.parametrize("per_sector", [1, 8])
def test_the_monitoring_page_uses_a_constant_number_of_queries(
    secretariat, client_for, per_sector, django_assert_max_num_queries
):
    for sector in ("education", "youth", "health", "library"):
        agency = AgencyFactory(sector=sector)
        _make(agency, per_sector, referred=True, outcome="resolved")
    client = client_for(secretariat)
    # session and user (2); the figure versions (1); counts by category, sector, age band, referral,
    # outcome (5); the nature-and-range table (1); the session saved (3): 12, plus 1 spare for the shared
    # navigation. Asked again with nothing changed, the tables come rendered from the cache: 3 queries.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("incidents:monitoring")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("incidents:monitoring_csv")).status_code == 200
    with django_assert_max_num_queries(3):  # session, user, the figure versions
        assert client.get(reverse("incidents:monitoring")).status_code == 200


def test_an_incident_logged_shows_in_the_figures_on_the_next_view(
    board_member, staff_a, agency_a, client_for, django_capture_on_commit_callbacks
):
    """The figures are kept between views; logging an incident counts them again at once."""
    _make(agency_a, 6, category="cyberbullying")
    board = client_for(board_member)
    cyberbullying = r"homophobic\)</th><td class=\"text-end\">{}</td>"
    assert re.search(cyberbullying.format(6), board.get(reverse("incidents:monitoring")).content.decode())

    staff = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        location = staff.post(reverse("incidents:start"), {"agency": agency_a.pk})["Location"]
        incident = re.search(r"/incidents/(\d+)/", location)[1]
        for page, data in incident_pages():
            response = staff.post(reverse("incidents:page", args=[incident, page]), data)
            assert response.status_code == 302, page

    body = board.get(reverse("incidents:monitoring")).content.decode()
    assert re.search(cyberbullying.format(7), body)
    csv_text = board.get(reverse("incidents:monitoring_csv")).content.decode()
    assert "Cyberbullying (including racist and homophobic),7" in csv_text


def test_an_incident_log_imported_shows_in_the_figures_on_the_next_view(board_member, champion_a, agency_a, client_for):
    """An import writes its incidents in bulk, past the services: the figures still count them at once."""
    from imports import flow
    from incidents import log_import

    _make(agency_a, 6, category="cyberbullying")
    board = client_for(board_member)
    cyberbullying = r"homophobic\)</th><td class=\"text-end\">{}</td>"
    assert re.search(cyberbullying.format(6), board.get(reverse("incidents:monitoring")).content.decode())

    today = timezone.localdate().strftime("%d/%m/%Y")
    data = f"Date,Category\n{today},Cyberbullying\n{today},Cyberbullying\n{today},Cyberbullying\n".encode()
    result = flow.import_file(
        log_import.IMPORTERS["spreadsheet"], target=agency_a, name="log.csv", data=data, by=champion_a
    )
    assert result.ok and result.created == 3, result.problems

    # 9 now, published as "about 10" beside the hidden small counts, as always.
    assert re.search(cyberbullying.format("about 10"), board.get(reverse("incidents:monitoring")).content.decode())


def test_a_champion_s_incident_list_counts_an_incident_logged_on_the_next_view(
    champion_a, staff_a, agency_a, client_for, django_capture_on_commit_callbacks
):
    """The list's count (which grows with the agency's history) and its rows are kept between views,
    and read again once an incident is reported."""
    _make(agency_a, 3)
    champion = client_for(champion_a)
    assert "<strong>3</strong> incidents." in champion.get(reverse("incidents:list")).content.decode()

    staff = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        location = staff.post(reverse("incidents:start"), {"agency": agency_a.pk})["Location"]
        incident = re.search(r"/incidents/(\d+)/", location)[1]
        for page, data in incident_pages():
            assert staff.post(reverse("incidents:page", args=[incident, page]), data).status_code == 302, page

    listed = champion.get(reverse("incidents:list")).content.decode()
    assert "<strong>4</strong> incidents." in listed and f"INC-{int(incident):05d}" in listed
    filtered = champion.get(reverse("incidents:list"), {"category": "cyberbullying"}).content.decode()
    assert "<strong>4</strong> incidents." in filtered


def test_a_champion_s_incident_list_shows_a_triage_and_a_referral_on_the_next_view(champion_a, agency_a, client_for):
    """The list as rendered is kept between views; triaging an incident or recording the referral the
    flow chart asked for shows on the very next one, in whichever order the champion is looking at it."""
    incident = IncidentFactory(agency=agency_a, status="reported")
    referral = ReferralFactory(incident=incident, agency_type="police", required=True, referred_on=None, outcome="")
    champion = client_for(champion_a)
    sorted_by_status = {"sort": "status"}
    for query in ({}, sorted_by_status):
        listed = champion.get(reverse("incidents:list"), query).content.decode()
        assert "Reported, awaiting triage</span>" in listed and "Not triaged" in listed
        assert "1 outstanding</span>" in listed

    services.incident_triage(incident=incident, concern_level="high", concern_rationale="Images shared", by=champion_a)
    services.referral_update(referral=referral, referred_on=timezone.localdate(), outcome="Crime number", by=champion_a)
    for query in ({}, sorted_by_status):
        listed = champion.get(reverse("incidents:list"), query).content.decode()
        assert "Triaged, in progress</span>" in listed and "Not triaged" not in listed
        assert "outstanding</span>" not in listed
