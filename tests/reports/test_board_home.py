"""A board member's home page: the latest report's executive summary and what changed since the last Board meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import StatusChange
from reports.models import AnnualReport
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from tests.factories import ActionFactory, AgencyFactory, IncidentFactory, MeetingFactory, NominationFactory
from tests.reports.reconcile import pdf_text

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _report(secretariat, year):
    context = gather(ReportPeriod(year))
    return AnnualReport.objects.create(
        year=year, version=1, generated_by=secretariat, status="done", summary=context["summary"]
    ), context


def test_board_member_reads_the_latest_reports_summary_on_the_home_page(board_member, secretariat, client_for):
    agencies = AgencyFactory.create_batch(3)
    NominationFactory(agency=agencies[0])
    report, context = _report(secretariat, TODAY.year)
    page = client_for(board_member).get(reverse("home")).content.decode()
    assert "Executive summary of the" in page
    for message in context["summary"]["messages"]:
        assert message["topic"] in page
    # The ask to nominate champions names the agencies without one, with a link to the detail in the preview.
    assert "What the Board is asked to do" in page
    assert agencies[1].name in page and agencies[2].name in page
    assert reverse("reports:preview", args=[report.year]) + "#sec-membership" in page


def test_since_the_last_meeting_gives_status_changes_new_red_actions_and_incidents(board_member, client_for):
    meeting = MeetingFactory(held_on=TODAY - datetime.timedelta(days=14))
    before = timezone.now() - datetime.timedelta(days=30)
    action = ActionFactory(status="red", ref="9.9.9")
    StatusChange.objects.create(action=action, old="amber", new="red", reason="Stalled")
    StatusChange.objects.create(
        action=ActionFactory(ref="1.1.1", status="green"), old="red", new="green", reason="Done"
    )
    StatusChange.objects.create(
        action=ActionFactory(ref="2.2.2", status="green"), old="", new="red", reason="Old", at=before
    )
    for _ in range(6):
        IncidentFactory(category="grooming", reported_at=timezone.now())
    IncidentFactory(category="illegal", reported_at=timezone.now())
    IncidentFactory.create_batch(2, category="cyberbullying", reported_at=timezone.now())
    page = client_for(board_member).get(reverse("home")).content.decode()
    assert f'Since the <a href="{meeting.get_absolute_url()}">' in page
    since = StatusChange.objects.filter(at__date__gte=meeting.held_on)
    assert since.count() >= 2
    assert f"{since.count()} action status changes" in page
    red = since.filter(new="red").count()
    assert f"{red} action{' was' if red == 1 else 's were'} set to Red" in page and action.get_absolute_url() in page
    assert "2.2.2" not in page  # changed before the meeting
    # A category with one incident is not given exactly, and so the others are rounded, as published.
    assert "Incidents reported: about 10 — " in page
    assert "Grooming about 5" in page and "Illegal content &lt;5" in page and "homophobic) &lt;5" in page
    assert reverse("incidents:monitoring") in page


def test_board_home_with_no_meeting_and_no_report_says_so(board_member, client_for):
    page = client_for(board_member).get(reverse("home")).content.decode()
    assert "No ESIG/Board meeting has been held yet" in page
    assert "No annual report has been generated yet." in page


def test_staff_and_champions_do_not_see_the_boards_sections(staff_a, champion_a, client_for):
    MeetingFactory()
    for user in (staff_a, champion_a):
        page = client_for(user).get(reverse("home")).content.decode()
        assert "Since the last Board meeting" not in page


def test_the_pdf_has_the_summary_after_the_contents_and_the_preview_opens_with_it(secretariat, client_for):
    AgencyFactory.create_batch(2)
    context = gather(ReportPeriod(TODAY.year))
    pdf, _pages = html_to_pdf(report_html(context))
    lines = pdf_text(pdf)
    assert lines.index("Contents") < lines.index("Executive summary", lines.index("Contents") + 2)
    preview = client_for(secretariat).get(reverse("reports:preview", args=[TODAY.year])).content.decode()
    assert preview.index('id="summary"') < preview.index('class="cover"')
