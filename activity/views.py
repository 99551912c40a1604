from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from accounts import permissions
from activity.filters import ActivityFilter
from activity.models import ActivityEvent
from activity.tables import ActivityTable


@login_required
@permissions.register_manager_required
@require_safe
def activity_log(request):
    """The secretariat searches the audit trail; nobody can change it."""
    event_filter = ActivityFilter(request.GET, queryset=ActivityEvent.objects.select_related("agency"))
    table = ActivityTable(event_filter.qs)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(request, "activity/activity_log.html", {"filter": event_filter, "table": table})
