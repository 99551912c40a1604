"""The open-data feed's public addresses, its documentation page and the secretariat's switch.

The feed is off until the secretariat switches it on: until then its addresses answer 404 to
everyone except the secretariat and administrators, who may look at what would be published.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts import permissions
from reports import open_data, services
from reports.models import OpenDataSwitch


def _published_or_404(request) -> bool:
    """Whether the feed is on; when off, 404 unless the secretariat (or an administrator) is previewing it."""
    on = OpenDataSwitch.is_on()
    if not on and not permissions.manages_register(request.user):
        raise Http404("The open-data feed is not published.")
    return on


def _periods():
    return open_data.published_periods(today=timezone.localdate())


def _cache(response, *, published: bool):
    """Published files may be cached for a quarter of an hour; the secretariat's preview never."""
    if published:
        patch_cache_control(response, public=True, max_age=900)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def figures_csv(request):
    published = _published_or_404(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{open_data.NAME}-v{open_data.VERSION}.csv"'
    writer = csv.DictWriter(response, fieldnames=open_data.COLUMNS)
    writer.writeheader()
    writer.writerows(open_data.rows(_periods()))
    return _cache(response, published=published)


@require_safe
def figures_json(request):
    published = _published_or_404(request)
    document = open_data.as_json(
        _periods(),
        publisher=settings.PARTNERSHIP_NAME,
        documentation=request.build_absolute_uri(reverse("open_data:about")),
        today=timezone.localdate(),
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _cache(response, published=published)


@require_safe
def about(request):
    """What the feed holds, field by field: public while the feed is on."""
    on = _published_or_404(request)
    return render(
        request,
        "reports/open_data_about.html",
        {
            "on": on,
            "fields": open_data.FIELDS,
            "version": open_data.VERSION,
            "suppression": open_data.SUPPRESSION,
            "csv_url": request.build_absolute_uri(reverse("open_data:figures_csv")),
            "json_url": request.build_absolute_uri(reverse("open_data:figures_json")),
        },
    )


@login_required
@permissions.register_manager_required
def switch(request):
    """The secretariat switches the feed on or off; every switch is kept."""
    if request.method == "POST":
        wanted = request.POST.get("enabled")
        if wanted not in ("on", "off"):
            messages.error(request, "Choose whether to publish the feed or not. Nothing was changed.")
            return render(request, "reports/open_data_switch.html", _switch_context(), status=400)
        services.open_data_switch(enabled=wanted == "on", by=request.user)
        messages.success(
            request,
            "The open-data feed is now published." if wanted == "on" else "The open-data feed is no longer published.",
        )
        return redirect("open_data:switch")
    return render(request, "reports/open_data_switch.html", _switch_context())


def _switch_context() -> dict:
    history = list(OpenDataSwitch.objects.select_related("by")[:20])
    return {"on": bool(history) and history[0].enabled, "history": history}
