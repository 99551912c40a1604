"""Who may see and change what: the one place the portal decides it.

A person has one partnership-wide role (``User.role``). People of role ``member`` work
for one or more agencies, and for each agency they are staff (a membership), a champion
(a current nomination) and/or its executive lead. Views fetch objects through the
helpers here: an object of an agency the user does not belong to is a 404, never data;
read-only access to a write view is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Value
from django.shortcuts import get_object_or_404

from accounts.models import Role

STAFF = "staff"
CHAMPION = "champion"
EXECUTIVE_LEAD = "executive_lead"

# Roles that look across the whole partnership rather than through agencies.
PARTNERSHIP_ROLES = {Role.SECRETARIAT, Role.BOARD, Role.SAFEGUARDING_LEAD, Role.ADMIN}


@dataclass(frozen=True)
class AgencyRoles:
    """The agencies a person belongs to, and in which capacity (computed once per request).

    ``names``: each of these agencies' name. ``core_esig_member``: one of their current
    nominations makes them a core member of the ESIG.
    """

    by_agency: dict[int, frozenset[str]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    core_esig_member: bool = False

    def ids(self, *roles: str) -> set[int]:
        if not roles:
            return set(self.by_agency)
        return {pk for pk, held in self.by_agency.items() if held.intersection(roles)}


# Not a capacity of its own: a current nomination as a core member of the ESIG.
_ESIG_CORE = "esig_core"


def agency_roles(user) -> AgencyRoles:
    """The user's roles per agency: one query (memberships, nominations, agencies led), cached on the user."""
    cached = getattr(user, "_agency_roles", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return AgencyRoles()
    from agencies.models import Agency, Membership
    from champions.models import EsigMembership, Nomination

    def held(queryset, role: str, agency: str = "agency"):
        role = Value(role, output_field=CharField())
        return queryset.order_by().annotate(role=role).values_list(f"{agency}_id", f"{agency}__name", "role")

    nominations = Nomination.objects.current().filter(user=user)
    rows = held(Membership.objects.active().filter(user=user), STAFF).union(
        held(nominations, CHAMPION),
        held(nominations.filter(esig_membership=EsigMembership.CORE), _ESIG_CORE),
        Agency.objects.filter(executive_lead=user)
        .order_by()
        .annotate(role=Value(EXECUTIVE_LEAD, output_field=CharField()))
        .values_list("pk", "name", "role"),
        all=True,
    )
    by_agency: dict[int, set[str]] = {}
    names: dict[int, str] = {}
    core = False
    for agency_id, name, role in rows:
        if role == _ESIG_CORE:
            core = True
        else:
            by_agency.setdefault(agency_id, set()).add(role)
            names[agency_id] = name
    roles = AgencyRoles({pk: frozenset(r) for pk, r in by_agency.items()}, names, core_esig_member=core)
    user._agency_roles = roles
    return roles


def forget_agency_roles(user) -> None:
    """Drop the cached roles after a change of nomination or membership."""
    user.__dict__.pop("_agency_roles", None)


# --- partnership-wide capabilities -------------------------------------------------


def sees_whole_partnership(user) -> bool:
    return user.is_authenticated and (user.role in PARTNERSHIP_ROLES or user.is_superuser)


def manages_register(user) -> bool:
    """The secretariat and administrators keep the register of agencies and champions."""
    return user.is_authenticated and (user.role in {Role.SECRETARIAT, Role.ADMIN} or user.is_superuser)


def is_champion(user) -> bool:
    return bool(agency_roles(user).ids(CHAMPION))


def answers_for_agency(user, agency_id: int) -> bool:
    """Champions and the executive lead answer for their agency (confirmations, corrections)."""
    return agency_id in agency_roles(user).ids(CHAMPION, EXECUTIVE_LEAD)


def may_manage_agency_people(user, agency_id: int) -> bool:
    return manages_register(user) or answers_for_agency(user, agency_id)


# --- scoped querysets and fetchers -------------------------------------------------


def agencies_for(user):
    """Agencies the user may look at: all for partnership roles, otherwise their own."""
    from agencies.models import Agency

    if sees_whole_partnership(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=agency_roles(user).ids())


def get_agency_for_user(user, pk, *, write: bool = False):
    """An agency the user may see (404 otherwise); with ``write``, one they may edit (403)."""
    agency = get_object_or_404(agencies_for(user), pk=pk)
    if write and not manages_register(user):
        raise PermissionDenied
    return agency


def get_for_agency_member(queryset, user, *, agency_field: str = "agency", **lookup):
    """Fetch an object that belongs to an agency, 404 when it is not one of the user's."""
    if not sees_whole_partnership(user):
        queryset = queryset.filter(**{f"{agency_field}__in": agency_roles(user).ids()})
    return get_object_or_404(queryset, **lookup)


# --- view decorators -------------------------------------------------------------------


def register_manager_required(view):
    """Only the secretariat and administrators; everyone else logged in gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not manages_register(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def partnership_view_required(view):
    """Pages about the whole partnership (registers, coverage): partnership roles only (403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sees_whole_partnership(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
