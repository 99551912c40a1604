from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from accounts import permissions
from activity.models import Action
from activity.services import activity_record
from agencies import joining, selectors, services
from agencies.filters import AgencyFilter
from agencies.forms import AgencyForm, MembershipForm
from agencies.listing import Column, address_key, listing
from agencies.models import Membership
from esafety import figures

AGENCIES_PER_PAGE = 50
AGENCY_COLUMNS = [
    Column("name", "Agency", ("name",)),
    Column("sector", "Sector", ("sector", "name")),
    Column("membership_type", "Member or partner", ("membership_type", "name")),
    Column("executive_lead", "Executive lead", ("executive_lead__full_name", "name")),
    Column("has_champion", "Current champion", ("has_champion", "name")),
    Column("archived_at", "Status"),
]


@login_required
@require_safe
def agency_list(request):
    user = request.user

    def worked_out():
        queryset = permissions.agencies_for(user).select_related("executive_lead").with_champion_count()
        agency_filter = AgencyFilter(request.GET, queryset=queryset)
        # How many agencies match, and how many of them have no current champion: one query.
        counts = agency_filter.qs.aggregate(
            total=Count("pk"), without_champion=Count("pk", filter=Q(has_champion=False))
        )
        agencies = listing(
            request, agency_filter.qs, columns=AGENCY_COLUMNS, per_page=AGENCIES_PER_PAGE, count=counts["total"]
        )
        return {"filter": agency_filter, "listing": agencies, "without_champion": counts["without_champion"]}

    # Kept rendered in the cache while the register is unchanged (per filters, order and page): the
    # whole register is the same for everyone of the partnership; an agency's own people see theirs.
    page = SimpleLazyObject(worked_out)
    whose = "partnership" if permissions.sees_whole_partnership(user) else user.pk
    return render(
        request,
        "agencies/agency_list.html",
        {
            "agency_page": page,
            **figures.rendered(
                "agencies:list:html", (figures.REGISTER,), (whose, address_key(request), timezone.localdate())
            ),
        },
    )


@login_required
@require_safe
def agency_detail(request, pk):
    agency = permissions.get_agency_for_user(request.user, pk)
    context = selectors.agency_page(agency=agency, user=request.user)
    context["membership_form"] = MembershipForm()
    return render(request, "agencies/agency_detail.html", context)


@login_required
@permissions.register_manager_required
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        figures.bump(figures.REGISTER)
        messages.success(request, f"{agency.name} has been added to the register.")
        return redirect(agency)
    return render(request, "agencies/agency_form.html", {"form": form, "title": "Add an agency"})


@login_required
@permissions.register_manager_required
def joining_dates(request):
    """The secretariat: each agency's joining date from the evidence that it took part, previewed then changed."""
    if request.method == "POST":
        changes = joining.joining_dates_apply(by=request.user)
        if changes:
            messages.success(
                request,
                f"The joining date of {len(changes)} agenc{'y' if len(changes) == 1 else 'ies'} has been moved "
                "back to the evidence: "
                + "; ".join(f"{c.agency.name}, {c.joined_on:%-d %B %Y}" for c in changes[:20])
                + ("; ..." if len(changes) > 20 else "."),
            )
        else:
            messages.info(request, "Every agency's joining date already matched the evidence: nothing was changed.")
        return redirect("agencies:joining_dates")
    return render(request, "agencies/joining_dates.html", {"changes": joining.joining_dates_proposed()})


@login_required
def agency_edit(request, pk):
    agency = permissions.get_agency_for_user(request.user, pk, write=True)
    was = {"joined_on": agency.joined_on, "left_on": agency.left_on}
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.agency_dates_record(agency=agency, was=was, by=request.user, how="typed on the agency's page")
        figures.bump(figures.REGISTER)
        messages.success(request, f"The details of {agency.name} have been saved.")
        return redirect(agency)
    return render(
        request, "agencies/agency_form.html", {"form": form, "agency": agency, "title": f"Edit {agency.name}"}
    )


@login_required
@require_POST
def agency_archive(request, pk):
    agency = permissions.get_agency_for_user(request.user, pk, write=True)
    if request.POST.get("action") == "restore":
        services.agency_restore(agency=agency, by=request.user)
        messages.success(request, f"{agency.name} is active again.")
    else:
        services.agency_archive(agency=agency, by=request.user)
        activity_record(Action.ARCHIVED, request=request, obj=agency, agency=agency, summary=agency.name)
        messages.success(request, f"{agency.name} has been archived. Its records are kept.")
    return redirect(agency)


@login_required
@require_POST
def membership_add(request, pk):
    agency = permissions.get_agency_for_user(request.user, pk)
    if not permissions.may_manage_agency_people(request.user, agency.pk):
        raise PermissionDenied
    form = MembershipForm(request.POST)
    if form.is_valid():
        membership = services.membership_add(agency=agency, by=request.user, **form.cleaned_data)
        messages.success(request, f"{membership.user.full_name} is now listed as staff of {agency.name}.")
        return redirect(agency)
    context = selectors.agency_page(agency=agency, user=request.user)
    context["membership_form"] = form
    messages.error(request, "The member of staff was not added: please correct the errors below.")
    return render(request, "agencies/agency_detail.html", context, status=400)


@login_required
@require_POST
def membership_end(request, pk, membership_pk):
    agency = permissions.get_agency_for_user(request.user, pk)
    if not permissions.may_manage_agency_people(request.user, agency.pk):
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.active(), pk=membership_pk, agency=agency)
    services.membership_end(membership=membership, by=request.user)
    messages.success(request, f"{membership.user.full_name} is no longer listed as staff of {agency.name}.")
    return redirect(agency)


@login_required
@require_safe
def agency_data_export(request, pk):
    """Administrators: all the portal holds about an agency, for a subject access request."""
    agency = permissions.get_agency_for_user(request.user, pk)
    if not request.user.is_portal_admin:
        raise PermissionDenied
    from agencies.data_export import agency_export

    activity_record(Action.EXPORTED, request=request, obj=agency, agency=agency, summary="Subject access export")
    response = HttpResponse(agency_export(agency), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="agency-{agency.pk}-data.zip"'
    return response
