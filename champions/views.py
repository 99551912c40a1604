import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from accounts import permissions
from activity.services import export_record
from agencies.listing import Column, address_key, listing
from champions import selectors, services
from champions.filters import NominationFilter
from champions.forms import ConfirmForm, NominationEditForm, NominationEndForm, NominationForm, RoundForm
from champions.models import ConfirmationRound, ListConfirmation, Nomination
from champions.tables import ConfirmationTable
from esafety import figures
from imports.tabular import safe_cell

# The coverage box names this many agencies without a champion; the register of agencies lists them all.
UNCOVERED_SHOWN = 100
CHAMPIONS_PER_PAGE = 50
CHAMPION_COLUMNS = [
    Column("agency", "Agency", ("agency__name", "user__full_name")),
    Column("name", "Name", ("user__full_name",)),
    Column("title", "Role", ("title",)),
    Column("email", "E-mail", ("user__email",)),
    Column("phone", "Telephone", ("user__phone",)),
    Column("esig_membership", "ESIG", ("esig_membership",)),
    Column("is_co_chair", "Co-chair", ("is_co_chair",)),
    Column("started_on", "Since", ("started_on",)),
]


@login_required
@permissions.partnership_view_required
@require_safe
def champion_list(request):
    # The same for everyone of the partnership who may see it: kept rendered in the cache while the
    # register is unchanged (per filters, order and page), and worked out only to render it.
    nomination_filter = SimpleLazyObject(lambda: NominationFilter(request.GET, queryset=selectors.current_champions()))
    return render(
        request,
        "champions/champion_list.html",
        {
            "filter": nomination_filter,
            "listing": SimpleLazyObject(
                lambda: listing(request, nomination_filter.qs, columns=CHAMPION_COLUMNS, per_page=CHAMPIONS_PER_PAGE)
            ),
            "coverage": SimpleLazyObject(lambda: selectors.coverage(shown=UNCOVERED_SHOWN)),
            **figures.rendered(
                "champions:list:html", (figures.REGISTER,), (address_key(request), timezone.localdate())
            ),
        },
    )


@login_required
@permissions.register_manager_required
@require_safe
def champion_csv(request):
    """The contact list of the champions the list page shows: the same filters, every page of them."""
    nomination_filter = NominationFilter(request.GET, queryset=selectors.current_champions())
    if not nomination_filter.is_valid():
        messages.error(request, "The contact list was not downloaded: correct the filters below first.")
        return redirect(f"{reverse('champions:list')}?{request.GET.urlencode()}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="champions-{stamp}.csv"'
    export_record(request, what="Champions contact list (CSV)")
    writer = csv.writer(response)
    writer.writerow(
        ["Agency", "Sector", "Name", "Role", "Job title", "E-mail", "Telephone", "ESIG membership", "Co-chair", "Since"]
    )
    for n in nomination_filter.qs.order_by("agency__name", "user__full_name"):
        writer.writerow(
            [
                safe_cell(n.agency.name),
                n.agency.get_sector_display(),
                safe_cell(n.user.full_name),
                safe_cell(n.title),
                safe_cell(n.user.job_title),
                n.user.email,
                safe_cell(n.user.phone),
                n.get_esig_membership_display(),
                "Yes" if n.is_co_chair else "No",
                n.started_on.isoformat(),
            ]
        )
    return response


def _agency_for_people_change(request, agency_pk):
    agency = permissions.get_agency_for_user(request.user, agency_pk)
    if not permissions.may_manage_agency_people(request.user, agency.pk):
        raise PermissionDenied
    return agency


def _nomination_for_change(request, pk):
    nomination = permissions.get_for_agency_member(
        Nomination.objects.select_related("agency", "user"), request.user, pk=pk
    )
    if not permissions.may_manage_agency_people(request.user, nomination.agency_id):
        raise PermissionDenied
    return nomination


@login_required
def nomination_create(request, agency_pk):
    agency = _agency_for_people_change(request, agency_pk)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(agency=agency, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{nomination.user.full_name} is now a champion of {agency.name}.")
            return redirect(_next_url(request) or agency.get_absolute_url())
    return render(
        request, "champions/nomination_form.html", {"form": form, "agency": agency, "title": "Nominate a champion"}
    )


@login_required
def nomination_edit(request, pk):
    nomination = _nomination_for_change(request, pk)
    form = NominationEditForm(request.POST or None, instance=nomination)
    if request.method == "POST" and form.is_valid():
        services.nomination_update(nomination=nomination, by=request.user, **form.cleaned_data)
        messages.success(request, f"The details of {nomination.user.full_name} have been saved.")
        return redirect(_next_url(request) or nomination.agency.get_absolute_url())
    return render(
        request,
        "champions/nomination_form.html",
        {"form": form, "agency": nomination.agency, "title": f"Edit {nomination.user.full_name}"},
    )


def _next_url(request) -> str | None:
    """Where to go back to (the confirmation page), if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


@login_required
def nomination_end(request, pk):
    nomination = _nomination_for_change(request, pk)
    form = NominationEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_end(
                nomination=nomination,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("ended_on", error)
        else:
            messages.success(request, f"{nomination.user.full_name}'s nomination has been ended.")
            return redirect(_next_url(request) or nomination.agency.get_absolute_url())
    return render(
        request,
        "champions/nomination_end.html",
        {"form": form, "nomination": nomination, "agency": nomination.agency},
    )


@login_required
@permissions.register_manager_required
@require_safe
def round_list(request):
    rounds = ConfirmationRound.objects.select_related("opened_by")
    return render(request, "champions/round_list.html", {"rounds": rounds})


@login_required
@permissions.register_manager_required
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation_round = services.round_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request, f"The {confirmation_round.year} round is open: every active agency has been asked to confirm."
            )
            return redirect(confirmation_round)
    return render(request, "champions/round_form.html", {"form": form})


@login_required
@permissions.register_manager_required
@require_safe
def round_detail(request, pk):
    confirmation_round = get_object_or_404(ConfirmationRound, pk=pk)
    queryset = confirmation_round.confirmations.select_related("agency", "responded_by")
    table = ConfirmationTable(queryset)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(
        request,
        "champions/round_detail.html",
        {"round": confirmation_round, "table": table, "progress": selectors.round_progress(confirmation_round)},
    )


@login_required
def confirm(request, pk):
    """An agency's champion or executive lead checks its champions list and confirms it."""
    confirmation = permissions.get_for_agency_member(
        ListConfirmation.objects.select_related("agency", "round", "responded_by"), request.user, pk=pk
    )
    if not permissions.may_manage_agency_people(request.user, confirmation.agency_id):
        raise PermissionDenied
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_confirm(confirmation=confirmation, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Thank you: the champions list of {confirmation.agency.name} is confirmed.")
        return redirect(confirmation.get_absolute_url())
    champions = Nomination.objects.current().filter(agency=confirmation.agency).select_related("user")
    return render(
        request,
        "champions/confirm.html",
        {"confirmation": confirmation, "agency": confirmation.agency, "champions": champions, "form": form},
    )
