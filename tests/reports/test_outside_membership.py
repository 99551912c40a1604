"""A report never publishes a contradiction: agencies that took part in the year outside the membership.

A partnership types its register in this year, then brings last year's history in: an audit cycle, an
imported incident log, ESIG meetings with their attendance. Every agency typed in joined "today", so last
year's report would count fewer agencies in the partnership than were asked to return the audit. The
preview names them and offers the fix; such a report cannot be the Board's copy; once the joining dates
come from the evidence, the report reconciles and can be presented.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from audits import services as audit_services
from reports import services
from reports.models import AnnualReport
from tests.audits.conftest import CHECKLIST_YAML
from tests.factories import AgencyFactory, AttendanceFactory, IncidentFactory, MeetingFactory, NominationFactory
from tests.reports.reconcile import check_report
from tests.support.html_check import html_errors
from tests.support.walk import Page

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def history_brought_in(secretariat):
    """Four agencies: one dated properly, three typed into the register today after taking part last year."""
    long_standing = AgencyFactory(name="Alder Primary School", joined_on=datetime.date(LAST_YEAR - 3, 1, 1))
    asked = AgencyFactory(name="Birch Academy")
    imported = AgencyFactory(name="Cedar Youth Club")
    attended = AgencyFactory(name="Damson Health Trust")
    version, _ = audit_services.template_import(text=CHECKLIST_YAML, fmt="yaml")
    audit_services.cycle_open(
        template_version=version,
        year=LAST_YEAR,
        opens_on=datetime.date(LAST_YEAR, 3, 1),
        due_on=datetime.date(LAST_YEAR, 4, 30),
        agencies=[long_standing, asked],
        by=secretariat,
    )
    IncidentFactory(
        agency=imported,
        imported_from="spreadsheet",
        source_reference="CYC-17",
        occurred_on=datetime.date(LAST_YEAR, 6, 2),
        reported_at=datetime.datetime(LAST_YEAR, 6, 3, 10, tzinfo=datetime.UTC),
    )
    champion = NominationFactory(agency=attended, started_on=TODAY)  # typed in today
    AttendanceFactory(meeting=MeetingFactory(held_on=datetime.date(LAST_YEAR, 9, 14)), user=champion.user)
    return {"asked": asked, "imported": imported, "attended": attended}


def generate(client, capture) -> AnnualReport:
    with capture(execute=True):
        client.post(reverse("reports:generate"), {"year": LAST_YEAR})
    return AnnualReport.objects.order_by("-pk").first()


def test_agencies_that_took_part_outside_the_membership_are_named_with_what_they_did(history_brought_in):
    outside = services.outside_membership_for(LAST_YEAR)
    assert [(o.agency.name, o.reasons) for o in outside] == [
        ("Birch Academy", ["asked to return the Test checklist"]),
        ("Cedar Youth Club", ["reported or imported incidents"]),
        ("Damson Health Trust", ["attended ESIG meetings"]),
    ]
    assert services.outside_membership_for(TODAY.year) == []  # this year they are members


def test_the_preview_tells_the_secretariat_which_agencies_and_offers_the_fix(
    history_brought_in, secretariat, board_member, client_for
):
    page = client_for(secretariat).get(reverse("reports:preview", args=[LAST_YEAR])).content.decode()
    assert "3 agencies took part in" in page and "outside the partnership" in page
    for name in ("Birch Academy", "Cedar Youth Club", "Damson Health Trust"):
        assert f"<strong>{name}</strong>" in page
    assert "Alder Primary School</strong>" not in page
    assert reverse("agencies:joining_dates") in page
    # A board member is told too, but the fix is the secretariat's.
    board_page = client_for(board_member).get(reverse("reports:preview", args=[LAST_YEAR])).content.decode()
    assert "<strong>Birch Academy</strong>" in board_page
    assert reverse("agencies:joining_dates") not in board_page
    # A year without a contradiction says nothing of the kind.
    this_year = client_for(secretariat).get(reverse("reports:preview", args=[TODAY.year])).content.decode()
    assert "outside the partnership" not in this_year


def test_a_report_that_contradicts_itself_cannot_be_the_boards_copy_until_the_dates_are_fixed(
    history_brought_in, secretariat, client_for, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    report = generate(client, django_capture_on_commit_callbacks)
    assert report.status == "done"
    assert [o["agency"] for o in report.outside_membership] == [
        "Birch Academy",
        "Cedar Youth Club",
        "Damson Health Trust",
    ]
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "cannot be recorded as the Board's copy" in detail
    assert reverse("reports:mark_board_version", args=[report.pk]) not in detail
    refused = client.post(reverse("reports:mark_board_version", args=[report.pk]), follow=True)
    assert "This report cannot be the Board&#x27;s copy" in refused.content.decode()
    report.refresh_from_db()
    assert not report.is_board_version

    # The fix: joining dates from the evidence, previewed, then applied.
    preview = client.get(reverse("agencies:joining_dates")).content.decode()
    assert "3 agencies would change" in preview
    client.post(reverse("agencies:joining_dates"))
    joined = dict(Agency.objects.values_list("name", "joined_on"))
    assert joined["Birch Academy"] == datetime.date(LAST_YEAR, 3, 1)
    assert joined["Cedar Youth Club"] == datetime.date(LAST_YEAR, 6, 3)
    assert joined["Damson Health Trust"] == datetime.date(LAST_YEAR, 9, 14)
    assert joined["Alder Primary School"] == datetime.date(LAST_YEAR - 3, 1, 1)
    assert services.outside_membership_for(LAST_YEAR) == []
    context = check_report(LAST_YEAR)
    assert context["sections"][0]["in_year"] == 4

    # The report built before the fix still contradicts itself; the one built after can be presented.
    refused_again = client.post(reverse("reports:mark_board_version", args=[report.pk]), follow=True)
    assert "This report cannot be the Board&#x27;s copy" in refused_again.content.decode()
    fixed = generate(client, django_capture_on_commit_callbacks)
    assert fixed.outside_membership == []
    client.post(reverse("reports:mark_board_version", args=[fixed.pk]))
    fixed.refresh_from_db()
    assert fixed.is_board_version


def test_the_warning_and_the_fix_are_valid_html(
    history_brought_in, secretariat, client_for, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for(secretariat)
    report = generate(client, django_capture_on_commit_callbacks)
    paths = [reverse("reports:preview", args=[LAST_YEAR]), report.get_absolute_url(), reverse("agencies:joining_dates")]
    pages = [Page(path, 200, "text/html", client.get(path).content) for path in paths]
    client.post(reverse("agencies:joining_dates"))
    agency_page = history_brought_in["asked"].get_absolute_url()
    pages.append(Page(agency_page, 200, "text/html", client.get(agency_page).content))
    assert "How its joining and leaving dates were set" in pages[-1].text
    assert html_errors(pages, tmp_path / "html") == []
