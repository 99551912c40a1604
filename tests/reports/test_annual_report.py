"""The secretariat generates the annual report; board members download it; the Board's copy never changes."""

import datetime
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import services
from reports.models import AnnualReport
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from tests.factories import AgencyFactory, NominationFactory
from tests.support.objectstore import use_folder

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    use_folder(settings, tmp_path / "private")


def pdf_text(data: bytes) -> str:
    """The PDF as a person reads it (poppler's pdftotext)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def generate(client, year=YEAR, capture=None):
    with capture(execute=True):
        response = client.post(reverse("reports:generate"), {"year": year})
    return response, AnnualReport.objects.order_by("-pk").first()


def test_secretariat_generates_a_report_whose_figures_match_the_register(
    secretariat, client_for, agency_a, agency_b, champion_a, django_capture_on_commit_callbacks
):
    AgencyFactory.create_batch(3)
    AgencyFactory(archived_at=timezone.now() - datetime.timedelta(days=400))  # archived before the year: not counted
    client = client_for(secretariat)
    response, report = generate(client, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.status == "done" and report.version == 1 and report.generated_by == secretariat
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    data = b"".join(download.streaming_content)
    text = pdf_text(data)
    assert f"E-safety annual report to the Board {YEAR}" in " ".join(text.split())
    assert "Agencies in the partnership" in text and "OFFICIAL-SENSITIVE" in text
    figures = {line.split("  ")[0].strip(): line.split()[-1] for line in text.splitlines() if "  " in line.strip()}
    assert figures["Agencies in the partnership"] == "5"
    # 1 of 5 agencies has a champion
    assert "Agencies with a current e-safety champion" in text and "1 of 5 (20%)" in text
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.endswith(f"e-safety annual report {YEAR}")
    assert len(reader.pages) == report.pages >= 4
    assert f"Page 1 of {report.pages}" in text
    # The contents page gives the page each section starts on.
    assert "Membership and champion coverage" in text.split("Contents")[1].split("Executive summary")[1]


def test_the_boards_copy_never_changes_and_a_new_generation_is_a_new_version(
    secretariat, client_for, agency_a, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    _response, first = generate(client, capture=django_capture_on_commit_callbacks)
    client.post(reverse("reports:mark_board_version", args=[first.pk]))
    first.refresh_from_db()
    assert first.is_board_version and first.marked_by == secretariat
    NominationFactory(agency=agency_a)  # the data changes afterwards
    _response, second = generate(client, capture=django_capture_on_commit_callbacks)
    assert second.version == 2 and second.checksum != first.checksum
    assert services.annual_report_file_intact(first)
    # The Board's copy stays the one that was presented.
    response = client.post(reverse("reports:mark_board_version", args=[second.pk]), follow=True)
    assert "Version 1 of" in response.content.decode()
    second.refresh_from_db()
    assert not second.is_board_version


def test_a_failed_generation_says_why_and_can_be_retried(
    secretariat, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    use_folder(settings, blocker)  # the reports folder cannot be made there
    client = client_for(secretariat)
    _response, report = generate(client, capture=django_capture_on_commit_callbacks)
    assert report.status == "failed"
    assert "NotADirectoryError" in report.error or "FileExistsError" in report.error
    page = client.get(report.get_absolute_url()).content.decode()
    assert "could not be generated" in page and "Try again" in page
    use_folder(settings, tmp_path / "private")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "done" and report.version == 1


def test_progress_is_read_from_the_status_page(secretariat, client_for):
    report = AnnualReport.objects.create(year=YEAR, version=1, generated_by=secretariat, status="running", progress=40)
    data = client_for(secretariat).get(reverse("reports:status", args=[report.pk])).json()
    assert data == {
        "status": "running",
        "status_display": "Being generated",
        "progress": 40,
        "message": "",
        "ready": False,
    }


def test_board_members_list_and_download_but_cannot_generate(
    board_member, secretariat, client_for, django_capture_on_commit_callbacks
):
    _response, report = generate(client_for(secretariat), capture=django_capture_on_commit_callbacks)
    board = client_for(board_member)
    assert str(YEAR) in board.get(reverse("reports:list")).content.decode()
    assert board.get(reverse("reports:download", args=[report.pk])).status_code == 200
    assert board.post(reverse("reports:generate"), {"year": YEAR}).status_code == 403
    assert board.post(reverse("reports:mark_board_version", args=[report.pk])).status_code == 403
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize("persona", ["staff_a", "champion_a", "champion_b", "safeguarding_lead"])
def test_nobody_else_can_find_a_report_even_with_its_link(
    personas, client_for, persona, secretariat, django_capture_on_commit_callbacks
):
    _response, report = generate(client_for(secretariat), capture=django_capture_on_commit_callbacks)
    client = client_for(personas[persona])
    assert client.get(reverse("reports:list")).status_code == 403
    assert client.get(reverse("reports:preview", args=[YEAR])).status_code == 403
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    for name in ("retry", "mark_board_version"):
        assert client.post(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:generate"), {"year": YEAR}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("reports:list")).status_code == 302
    assert client.get(reverse("reports:download", args=[1])).status_code == 302


@pytest.mark.parametrize("year", ["1999", "abc", str(YEAR + 1)])
def test_a_bad_year_is_refused_and_nothing_is_queued(secretariat, client_for, year):
    response = client_for(secretariat).post(reverse("reports:generate"), {"year": year}, follow=True)
    assert "Choose a reporting year" in response.content.decode()
    assert AnnualReport.objects.count() == 0


def test_the_preview_shows_the_same_report_in_the_browser(secretariat, client_for, agency_a):
    body = client_for(secretariat).get(reverse("reports:preview", args=[YEAR])).content.decode()
    assert "Membership and champion coverage" in body and agency_a.name in body and "This is a preview" in body


def test_the_shell_command_writes_the_report(tmp_path, agency_a):
    from django.core.management import call_command

    output = tmp_path / "report.pdf"
    call_command("annual_report", year=YEAR, output=output, stdout=io.StringIO())
    assert "Appendix: agencies of the partnership" in pdf_text(output.read_bytes())


def test_the_list_of_reports_comes_a_page_at_a_time(secretariat, client_for):
    from reports.views import REPORTS_PER_PAGE

    AnnualReport.objects.bulk_create(
        AnnualReport(year=2020, version=v, status="done", generated_by=secretariat)
        for v in range(1, REPORTS_PER_PAGE + 3)
    )
    client = client_for(secretariat)
    first = client.get(reverse("reports:list")).content.decode()
    assert f"Version {REPORTS_PER_PAGE + 2}<" in first and ">Version 1<" not in first
    assert "Page 1 of 2" in first
    last = client.get(reverse("reports:list"), {"page": 2}).content.decode()
    assert ">Version 1<" in last and f">Version {REPORTS_PER_PAGE + 2}<" not in last


@pytest.mark.slow
def test_the_pdf_keeps_its_layout_when_static_files_are_fingerprinted_as_in_production(settings, tmp_path, agency_a):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    html = report_html(gather(ReportPeriod(YEAR)))
    assert re.search(r"/static/css/report\.[0-9a-f]{12}\.css", html)
    pdf, pages = html_to_pdf(html)
    footer = PdfReader(io.BytesIO(pdf)).pages[1].extract_text()
    # The page footer comes from the stylesheet: without it there would be no marking and no page numbers.
    assert "OFFICIAL-SENSITIVE" in footer and f"Page 2 of {pages}" in footer
