"""Who may read and keep an agency's register of internet access locations."""

from django.core.exceptions import PermissionDenied

from accounts import permissions
from locations.models import AccessLocation


def may_edit_register(user, agency_id: int) -> bool:
    """The agency's own champions and the secretariat keep its register."""
    return permissions.manages_register(user) or agency_id in permissions.agency_roles(user).ids(permissions.CHAMPION)


def get_agency_register(user, agency_pk, *, write: bool = False):
    """The agency whose register the user may read (404 otherwise); with ``write``, edit (403)."""
    agency = permissions.get_agency_for_user(user, agency_pk)
    if write and not may_edit_register(user, agency.pk):
        raise PermissionDenied
    return agency


def get_location_for_edit(user, pk) -> AccessLocation:
    """A location of one of the user's agencies (404 otherwise) that they may change (403)."""
    location = permissions.get_for_agency_member(AccessLocation.objects.active().select_related("agency"), user, pk=pk)
    if not may_edit_register(user, location.agency_id):
        raise PermissionDenied
    return location


def get_location_for_read(user, pk) -> AccessLocation:
    """A location (archived or not) of one of the user's agencies, or any for partnership roles; 404 otherwise."""
    return permissions.get_for_agency_member(
        AccessLocation.objects.select_related("agency", "last_review"), user, pk=pk
    )
