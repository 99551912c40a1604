from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from accounts import permissions
from locations import access, selectors, services
from locations.filters import AccessLocationFilter
from locations.forms import AccessLocationForm, FilteringReviewForm
from locations.models import check_due_before
from locations.standards import SOURCE, STANDARDS
from locations.tables import AccessLocationTable


@login_required
@require_safe
def location_list(request):
    """The partnership register for partnership roles; everyone else sees their own agencies' locations."""
    location_filter = AccessLocationFilter(
        request.GET, queryset=selectors.locations_for(request.user), user=request.user
    )
    table = AccessLocationTable(location_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    whole = permissions.sees_whole_partnership(request.user)
    return render(
        request,
        "locations/location_list.html",
        {
            "filter": location_filter,
            "table": table,
            "whole_partnership": whole,
            "overdue_count": selectors.locations_for(request.user).overdue().count(),
            "cutoff": check_due_before(),
        },
    )


@login_required
@require_safe
def agency_register(request, agency_pk):
    agency = access.get_agency_register(request.user, agency_pk)
    return render(
        request,
        "locations/agency_register.html",
        {
            "agency": agency,
            "locations": list(selectors.agency_locations(agency)),
            "may_edit": access.may_edit_register(request.user, agency.pk),
        },
    )


@login_required
def location_create(request, agency_pk):
    agency = access.get_agency_register(request.user, agency_pk, write=True)
    form = AccessLocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "seen_updated_at"}
        location = services.location_create(agency=agency, by=request.user, **data)
        messages.success(request, f"{location.name} has been added to the register of {agency.name}.")
        return redirect("locations:agency", agency_pk=agency.pk)
    return render(
        request, "locations/location_form.html", {"form": form, "agency": agency, "title": "Add an access location"}
    )


@login_required
def location_edit(request, pk):
    location = access.get_location_for_edit(request.user, pk)
    form = AccessLocationForm(request.POST if request.method == "POST" else None, instance=location)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        seen = data.pop("seen_updated_at")
        try:
            services.location_update(location=location, by=request.user, seen_updated_at=seen, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The changes to {location.name} have been saved.")
            return redirect("locations:agency", agency_pk=location.agency_id)
    return render(
        request,
        "locations/location_form.html",
        {"form": form, "agency": location.agency, "location": location, "title": f"Edit {location.name}"},
    )


@login_required
@require_POST
def location_checked(request, pk):
    location = access.get_location_for_edit(request.user, pk)
    services.location_mark_checked(location=location, by=request.user)
    messages.success(request, f"{location.name} is recorded as checked today.")
    return redirect("locations:agency", agency_pk=location.agency_id)


@login_required
def location_archive(request, pk):
    location = access.get_location_for_edit(request.user, pk)
    if request.method == "POST":
        services.location_archive(location=location, by=request.user)
        messages.success(request, f"{location.name} has been archived: it no longer shows in the register.")
        return redirect("locations:agency", agency_pk=location.agency_id)
    return render(request, "locations/location_archive.html", {"location": location, "agency": location.agency})


# --- filtering and monitoring reviews -------------------------------------------------------


@login_required
@require_safe
def review_list(request, pk):
    """A location's reviews against the DfE filtering and monitoring standards, latest first."""
    location = access.get_location_for_read(request.user, pk)
    return render(
        request,
        "locations/review_list.html",
        {
            "location": location,
            "agency": location.agency,
            "reviews": selectors.location_reviews(location),
            "may_edit": not location.is_archived and access.may_edit_register(request.user, location.agency_id),
            "standards": STANDARDS,
            "standards_source": SOURCE,
        },
    )


@login_required
def review_create(request, pk):
    location = access.get_location_for_edit(request.user, pk)
    form = FilteringReviewForm(request.POST if request.method == "POST" else None, location=location)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.filtering_review_record(location=location, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"The review of {location.name} is recorded; the next is due by {review.next_review_due:%-d %B %Y}.",
            )
            return redirect(review)
    return render(
        request,
        "locations/review_form.html",
        {"form": form, "location": location, "agency": location.agency, "standards_source": SOURCE},
    )


@login_required
@require_safe
@permissions.partnership_view_required
def reviews_overdue(request):
    """The partnership's view for the secretariat and the board: reviews overdue, due soon, or with a standard not met."""
    context = selectors.reviews_overview(today=timezone.localdate())
    return render(request, "locations/reviews_overdue.html", context)
