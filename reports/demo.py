"""Demo step: last year's annual report, built and marked as the Board's copy, for board members to download."""

from reports import services
from reports.models import AnnualReport


def seed(ctx) -> None:
    year = ctx.today.year - 1
    if AnnualReport.objects.filter(year=year).exists():
        return
    report = services.annual_report_request(year=year, by=ctx.users["secretariat"])
    # Built here rather than by the queued task, which then finds the report claimed and does nothing.
    report = services.annual_report_generate(report_id=report.pk)
    services.annual_report_mark_board_version(report=report, by=ctx.users["secretariat"])
    ctx.log.append(f"Annual report {year}: built ({report.pages} pages) and marked as the Board's copy.")
