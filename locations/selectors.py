from accounts import permissions
from locations.models import AccessLocation


def locations_for(user):
    """Active locations of the agencies the user may look at (all for partnership roles)."""
    queryset = AccessLocation.objects.active().select_related("agency")
    if not permissions.sees_whole_partnership(user):
        queryset = queryset.filter(agency__in=permissions.agency_roles(user).ids())
    return queryset


def agency_locations(agency):
    return AccessLocation.objects.active().filter(agency=agency).order_by("name")
