from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts import permissions
from activity.models import Action
from activity.services import activity_record
from reports import services
from reports.forms import GenerateForm
from reports.models import AnnualReport
from reports.sections import ReportPeriod, gather


def reads_reports(user) -> bool:
    """Board members, the secretariat and administrators; for anyone else reports do not exist."""
    return user.is_authenticated and (user.is_board or permissions.manages_register(user))


def _report_for(request, pk) -> AnnualReport:
    if not reads_reports(request.user):
        raise Http404
    return get_object_or_404(AnnualReport.objects.select_related("generated_by", "marked_by"), pk=pk)


REPORTS_PER_PAGE = 25


@login_required
@require_safe
def report_list(request):
    if not reads_reports(request.user):
        raise PermissionDenied
    reports = AnnualReport.objects.select_related("generated_by", "marked_by")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {"reports": page, "page": page, "form": GenerateForm(), "manages": permissions.manages_register(request.user)},
    )


@login_required
@require_POST
@permissions.register_manager_required
def report_generate(request):
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            report = services.annual_report_request(year=form.cleaned_data["year"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The {report.year} report (version {report.version}) is being generated.")
            return redirect(report)
    else:
        messages.error(request, "Choose a reporting year from the list.")
    return redirect("reports:list")


@login_required
@require_safe
def report_detail(request, pk):
    report = _report_for(request, pk)
    context = {"report": report, "manages": permissions.manages_register(request.user), "outside": []}
    if report.is_ready and not report.is_board_version:
        context["outside"] = report.outside_membership or [
            {"agency": o.agency.name, "reasons": o.reasons} for o in services.outside_membership_for(report.year)
        ]
    return render(request, "reports/report_detail.html", context)


@login_required
@require_safe
def report_status(request, pk):
    report = _report_for(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_display": report.get_status_display(),
            "progress": report.progress,
            "message": report.progress_message,
            "ready": report.is_ready,
        }
    )


@login_required
@require_safe
def report_download(request, pk):
    report = _report_for(request, pk)
    if not report.is_ready:
        raise Http404
    activity_record(Action.REPORT_DOWNLOADED, request=request, obj=report, summary=report.download_name)
    return FileResponse(
        services.report_open(report),
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )


@login_required
@require_POST
def report_retry(request, pk):
    report = _report_for(request, pk)
    if not permissions.manages_register(request.user):
        raise PermissionDenied
    try:
        services.annual_report_retry(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The report is being generated again.")
    return redirect(report)


@login_required
@require_POST
def report_mark_board_version(request, pk):
    report = _report_for(request, pk)
    if not permissions.manages_register(request.user):
        raise PermissionDenied
    try:
        services.annual_report_mark_board_version(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Version {report.version} is recorded as the copy presented to the Board.")
    return redirect(report)


@login_required
@require_safe
def report_preview(request, year):
    """The same report as a web page, to check before generating the PDF."""
    if not reads_reports(request.user):
        raise PermissionDenied
    if not services.FIRST_YEAR <= year <= 2100:
        raise Http404
    context = gather(ReportPeriod(year))
    outside = [{"agency": o.agency.name, "reasons": o.reasons} for o in services.outside_membership_for(year)]
    return render(
        request,
        "reports/annual/report.html",
        {**context, "for_pdf": False, "outside": outside, "manages": permissions.manages_register(request.user)},
    )
