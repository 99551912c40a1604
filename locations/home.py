"""The register of internet access locations on the home page and on an agency's page."""

from accounts import permissions
from locations import access, selectors
from locations.models import AccessLocation


def section(user) -> dict | None:
    """Secretariat: locations overdue a check across the partnership. Champions: their agencies' due checks."""
    if permissions.manages_register(user):
        overdue = AccessLocation.objects.active().overdue()
        return {
            "template": "locations/_home_secretariat.html",
            "overdue_count": overdue.count(),
            "total": AccessLocation.objects.active().count(),
        }
    championed = permissions.agency_roles(user).ids(permissions.CHAMPION)
    if not championed:
        return None
    due = list(AccessLocation.objects.active().overdue().filter(agency__in=championed).select_related("agency")[:50])
    return {"template": "locations/_home_champion.html", "due": due}


def agency_section(agency, user) -> dict:
    return {
        "template": "locations/_agency_section.html",
        "agency": agency,
        "locations": list(selectors.agency_locations(agency)),
        "may_edit": access.may_edit_register(user, agency.pk),
    }
