"""Who may see and change audit returns, on top of ``accounts.permissions``.

- See a return: the partnership roles, and the agency's staff, champions and executive lead.
  Anyone else gets a 404 (the return is not theirs to know about).
- Answer, upload evidence, submit: the agency's current champions only (others who can see
  it get a 403).
- Return for amendment, accept, moderate, open cycles, import templates: the secretariat
  (``manages_register``), 403 for everyone else.
"""

from django.core.exceptions import PermissionDenied

from accounts import permissions
from audits.models import AuditReturn, Evidence


def answers_return(user, audit_return: AuditReturn) -> bool:
    return audit_return.agency_id in permissions.agency_roles(user).ids(permissions.CHAMPION)


def get_return_for_user(user, pk, *, answer: bool = False) -> AuditReturn:
    queryset = AuditReturn.objects.select_related("agency", "cycle__template", "cycle__template_version__template")
    audit_return = permissions.get_for_agency_member(queryset, user, pk=pk)
    if answer and not answers_return(user, audit_return):
        raise PermissionDenied
    return audit_return


def get_evidence_for_user(user, pk, *, answer: bool = False) -> Evidence:
    queryset = Evidence.objects.select_related("audit_return__agency", "audit_return__cycle")
    evidence = permissions.get_for_agency_member(queryset, user, agency_field="audit_return__agency", pk=pk)
    if answer and not answers_return(user, evidence.audit_return):
        raise PermissionDenied
    return evidence


def returns_for(user):
    """Returns the user may look at."""
    queryset = AuditReturn.objects.all()
    if permissions.sees_whole_partnership(user):
        return queryset
    return queryset.filter(agency__in=permissions.agency_roles(user).ids())
