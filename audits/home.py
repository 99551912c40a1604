"""Home page and agency page sections for audits."""

from django.db.models import Count, Q

from accounts import permissions
from audits.models import EDITABLE_STATUSES, AuditReturn, Cycle, ReturnStatus


def section(user) -> dict | None:
    """Champions: their open returns and due dates. Partnership roles: return rate of open cycles."""
    if permissions.sees_whole_partnership(user):
        cycles = (
            Cycle.objects.select_related("template")
            .annotate(
                total=Count("returns"),
                done=Count("returns", filter=Q(returns__status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])),
            )
            .order_by("-year", "template__name")[:3]
        )
        return {"template": "audits/_home_partnership.html", "cycles": list(cycles)}
    champion_of = permissions.agency_roles(user).ids(permissions.CHAMPION)
    if not champion_of:
        return None
    open_returns = (
        AuditReturn.objects.filter(agency__in=champion_of, status__in=EDITABLE_STATUSES)
        .select_related("agency", "cycle__template")
        .order_by("cycle__due_on")
    )
    return {"template": "audits/_home_agency.html", "open_returns": list(open_returns)}


def agency_section(agency, user) -> dict | None:
    """The agency page: its audit returns by year (people who can see the agency see them)."""
    returns = AuditReturn.objects.filter(agency=agency).select_related("cycle__template").order_by("-cycle__year")
    return {"template": "audits/_agency_section.html", "audit_returns": list(returns), "agency": agency}
