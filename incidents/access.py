"""Who may see and handle an incident: the one place that decides it.

Details are visible to the reporter, the current champions/ESLOs of the incident's agency, and
partnership safeguarding leads for incidents with a referral escalated to them. Everyone else
(the secretariat, board members, administrators, other agencies' champions, other staff) gets a
404: they see anonymised figures only. A person who may see an incident but not do what a
write view does gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.http import Http404

from accounts import permissions
from accounts.models import Role
from incidents.models import Incident, Referral, Status

SUBMITTED = (Status.REPORTED, Status.IN_PROGRESS, Status.CLOSED)


def champion_agency_ids(user) -> set[int]:
    return permissions.agency_roles(user).ids(permissions.CHAMPION)


class InSubquery(Func):
    """``column IN (subquery)``; on PostgreSQL ``column = ANY(ARRAY(subquery))``.

    The subquery is then read once and its ids looked up in the column's index, even inside an
    OR; a plain ``IN (subquery)`` inside an OR is checked row by row over the whole table.
    """

    output_field = BooleanField()
    arg_joiner = " IN "
    template = "(%(expressions)s)"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="(%(expressions)s))", **extra_context
        )


def visible_incidents(user):
    """Incidents whose details the user may see (one query when evaluated)."""
    if not user.is_authenticated:
        return Incident.objects.none()
    condition = Q(reporter=user) & ~Q(status=Status.WITHDRAWN)
    champion_of = champion_agency_ids(user)
    if champion_of:
        condition |= Q(agency__in=champion_of, status__in=SUBMITTED)
    if user.role == Role.SAFEGUARDING_LEAD:
        # The lead's referrals read once (not a look-up per incident): the index on escalated_to
        # serves it (unsorted: order does not matter), and their incidents are found by primary key.
        escalated = Referral.objects.filter(escalated_to=user).order_by().values("incident_id")
        condition |= Q(InSubquery(F("pk"), Subquery(escalated)), status__in=SUBMITTED)
    return Incident.objects.filter(condition)


def handles(user, incident: Incident) -> bool:
    """Champions of the incident's agency triage it, keep its chronology and close it."""
    return incident.status in SUBMITTED and incident.agency_id in champion_agency_ids(user)


def is_lead_for(user, incident: Incident) -> bool:
    return user.role == Role.SAFEGUARDING_LEAD and incident.referrals.filter(escalated_to=user).exists()


def get_incident_for_user(user, pk, *, write: bool = False) -> Incident:
    """An incident the user may see (404 otherwise); with ``write``, one they handle (403)."""
    try:
        incident = visible_incidents(user).select_related("agency", "reporter").get(pk=pk)
    except Incident.DoesNotExist:
        raise Http404("No such incident.") from None
    if write and not handles(user, incident):
        raise PermissionDenied
    return incident


def get_draft_for_reporter(user, pk) -> Incident:
    """The reporter's own incident for the guided form (404 for anyone else who cannot see it, 403 if they can)."""
    # Every page of the form comes here: the reporter's own incident is found without working out
    # which agencies they are champion for; anyone else goes through the general rule.
    incident = (
        Incident.objects.select_related("agency", "reporter")
        .filter(pk=pk, reporter=user)
        .exclude(status=Status.WITHDRAWN)
        .first()
        if user.is_authenticated
        else None
    )
    if incident is not None:
        return incident
    incident = get_incident_for_user(user, pk)
    if incident.reporter_id != user.pk:
        raise PermissionDenied
    return incident


def get_referral_for_user(user, incident_pk, pk) -> Referral:
    """A referral the user may update: the incident's champions, or the lead it was escalated to."""
    incident = get_incident_for_user(user, incident_pk)
    referral = incident.referrals.filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral.")
    if handles(user, incident):
        return referral
    if referral.escalated_to_id == user.pk and not incident.is_closed:
        return referral
    raise PermissionDenied


def may_log_incidents(user) -> bool:
    """Anyone who works for an agency (staff or champion) may log an incident."""
    return bool(reporting_agency_ids(user))


def reporting_agency_ids(user) -> set[int]:
    return permissions.agency_roles(user).ids(permissions.STAFF, permissions.CHAMPION)


def sees_monitoring(user) -> bool:
    """Anonymised figures: the secretariat, board members and administrators."""
    return user.is_authenticated and (user.role in {Role.SECRETARIAT, Role.BOARD, Role.ADMIN} or user.is_superuser)
