import hashlib
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from agencies.joining import OutsideAgency, outside_membership
from esafety import figures
from esafety.storage import is_unavailable, private_storage
from reminders.outbox import enqueue_on_commit
from reports.models import AnnualReport, OpenDataSwitch, ReportStatus
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000


def report_key(report: AnnualReport) -> str:
    """Where the report's PDF is kept in the private storage."""
    return f"reports/{report.file_name}"


def report_open(report: AnnualReport):
    """The report's PDF, opened for reading from the private storage (wherever it was built)."""
    return private_storage().open(report_key(report), "rb")


@transaction.atomic
def annual_report_request(*, year: int, by: User) -> AnnualReport:
    """Queue a new version of the year's report; the task is sent once the row is committed."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError("Choose a year up to this one.")
    # Lock the year's rows so two requests at once get different version numbers.
    latest = AnnualReport.objects.select_for_update().filter(year=year).aggregate(v=Max("version"))["v"] or 0
    report = AnnualReport.objects.create(year=year, version=latest + 1, generated_by=by)
    _generate_after_commit(report)
    return report


def _generate_after_commit(report: AnnualReport) -> None:
    enqueue_on_commit("reports.tasks.generate_annual_report", report.pk)


def annual_report_retry(*, report: AnnualReport, by: User) -> AnnualReport:
    if report.status != ReportStatus.FAILED:
        raise ValidationError("Only a report that failed can be tried again.")
    AnnualReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED, progress=0, error="", progress_message=""
    )
    _generate_after_commit(report)
    report.refresh_from_db()
    return report


def _set_progress(report_id: int, progress: int, message: str) -> None:
    AnnualReport.objects.filter(pk=report_id).update(progress=progress, progress_message=message[:200])


def annual_report_generate(*, report_id: int) -> AnnualReport:
    """Build the PDF of a queued report. Claims the row first, so it is built once."""
    claimed = AnnualReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=5, progress_message="Starting"
    )
    if not claimed:
        return AnnualReport.objects.get(pk=report_id)
    report = AnnualReport.objects.get(pk=report_id)
    try:
        context = gather(ReportPeriod(report.year), progress=lambda p, m: _set_progress(report.pk, p, m))
        context["report"] = report
        _set_progress(report.pk, 75, "Laying out the pages")
        pdf, pages = html_to_pdf(report_html(context))
        # A name never used before, so the file is written once and never replaced.
        report.file_name = f"annual-report-{report.year}-v{report.version}-{uuid.uuid4().hex}.pdf"
        # Written once under a new name, never overwritten: the Board's copy cannot change.
        stored = private_storage().save(report_key(report), ContentFile(pdf))
        if stored != report_key(report):
            raise RuntimeError(f"The file store already held {report_key(report)}; the report was kept as {stored}.")
        report.checksum = hashlib.sha256(pdf).hexdigest()
        report.size = len(pdf)
        report.pages = pages
        report.summary = context["summary"]
        report.outside_membership = [
            {"agency": o.agency.name, "reasons": o.reasons} for o in outside_membership_for(report.year)
        ]
        report.status = ReportStatus.DONE
        report.progress = 100
        report.progress_message = "Ready"
        report.finished_at = timezone.now()
        report.save()
        figures.bump(figures.REPORTS)  # the home page shows the latest finished report's summary
    except Exception as error:
        logger.exception("Annual report %s failed", report.pk)
        if is_unavailable(error):
            reason = "the file store was not answering, so the PDF could not be kept. Please try again shortly."
        else:
            reason = f"{type(error).__name__}: {error}"
        AnnualReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=reason[:2000], progress_message="Failed"
        )
        raise
    return report


@transaction.atomic
@figures.bumps(figures.REPORTS)
def annual_report_mark_board_version(*, report: AnnualReport, by: User) -> AnnualReport:
    """The version presented to the Board: one per year, and once marked it stays."""
    if not report.is_ready:
        raise ValidationError("Only a finished report can be marked as presented to the Board.")
    if report.outside_membership or outside_membership_for(report.year):
        raise ValidationError(
            f"This report cannot be the Board's copy: agencies took part in {report.year} while the register says "
            "they were not in the partnership. Correct their joining dates, then generate the report again."
        )
    presented = AnnualReport.objects.select_for_update().filter(year=report.year, is_board_version=True).first()
    if presented:
        raise ValidationError(f"Version {presented.version} of {report.year} is already the Board's copy.")
    AnnualReport.objects.filter(pk=report.pk).update(is_board_version=True, marked_by=by, marked_at=timezone.now())
    report.refresh_from_db()
    return report


def outside_membership_for(year: int) -> list[OutsideAgency]:
    """Agencies that took part in the year's work while the register says they were outside the partnership."""
    period = ReportPeriod(year)
    return outside_membership(period.start, period.as_at)


def annual_report_file_intact(report: AnnualReport) -> bool:
    with report_open(report) as handle:
        data = handle.read()
    return hashlib.sha256(data).hexdigest() == report.checksum


def open_data_switch(*, enabled: bool, by: User) -> OpenDataSwitch:
    """Publish the open-data feed (or stop): a new row, so who switched it when is kept."""
    return OpenDataSwitch.objects.create(enabled=enabled, by=by)
