"""The register of internet access locations on the home page and on an agency's page."""

from django.db.models import Count

from accounts import permissions
from locations import access, selectors
from locations.models import AccessLocation, overdue_condition, review_overdue_condition


def section(user) -> dict | None:
    """Secretariat: locations overdue a check or a filtering and monitoring review across the partnership.
    Champions: their agencies' locations due a check or a review."""
    if permissions.manages_register(user):
        counts = AccessLocation.objects.active().aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_condition()),
            review_overdue=Count("pk", filter=review_overdue_condition()),
        )
        return {
            "template": "locations/_home_secretariat.html",
            "overdue_count": counts["overdue"],
            "review_overdue_count": counts["review_overdue"],
            "total": counts["total"],
        }
    championed = permissions.agency_roles(user).ids(permissions.CHAMPION)
    if not championed:
        return None
    due = list(
        AccessLocation.objects.active()
        .filter(overdue_condition() | review_overdue_condition())
        .filter(agency__in=championed)
        .select_related("agency", "last_review")[:50]
    )
    return {"template": "locations/_home_champion.html", "due": due}


def agency_section(agency, user) -> dict:
    return {
        "template": "locations/_agency_section.html",
        "agency": agency,
        "locations": list(selectors.agency_locations(agency)),
        "may_edit": access.may_edit_register(user, agency.pk),
    }
