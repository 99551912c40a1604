"""Who may read and change the action plan.

The plan is not restricted data: everyone who logs in may read it. The secretariat and
administrators edit it; an action's lead (a current champion of its lead agency, or the named
lead person) posts progress updates and changes its status with a reason. Everyone else —
board members included — is read-only: a write view answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import permissions
from actionplan.models import Action


def edits_plan(user) -> bool:
    return permissions.manages_register(user)


def leads_action(user, action: Action) -> bool:
    """The named lead person, or a current champion of the lead agency."""
    if not user.is_authenticated:
        return False
    if action.lead_person_id and action.lead_person_id == user.pk:
        return True
    return bool(action.lead_agency_id) and action.lead_agency_id in permissions.agency_roles(user).ids(
        permissions.CHAMPION
    )


def may_update_action(user, action: Action) -> bool:
    """Post progress updates and change the status."""
    return edits_plan(user) or leads_action(user, action)


def get_action(pk, *, include_archived: bool = True) -> Action:
    queryset = Action.objects.with_overdue().select_related("plan", "objective__priority", "lead_agency", "lead_person")
    if not include_archived:
        queryset = queryset.active()
    return get_object_or_404(queryset, pk=pk)


def get_action_for_update(user, pk) -> Action:
    """An active action the user leads (or the secretariat); 404 if none, 403 if read-only."""
    action = get_action(pk, include_archived=False)
    if not may_update_action(user, action):
        raise PermissionDenied
    return action


def require_plan_editor(user) -> None:
    if not edits_plan(user):
        raise PermissionDenied
