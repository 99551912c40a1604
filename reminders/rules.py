"""The reminder rules: each turns today's data into the reminders that are due.

A rule function takes ``(rule, today)`` and yields ``Due`` items; it must use a fixed number
of queries whatever the number of objects. ``occasion`` names the moment the reminder is for
(a threshold such as ``before-7`` or an overdue week such as ``overdue-2``); with the rule,
object and recipient it makes the reminder's unique key, so it is sent once.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse


@dataclass
class Due:
    rule_code: str
    object_key: str
    occasion: str
    recipient: object
    about: str
    due_on: datetime.date | None
    action_url: str
    template: str
    context: dict = field(default_factory=dict)
    cc: list[str] = field(default_factory=list)
    urgent: bool = False

    @property
    def key(self) -> str:
        return f"{self.rule_code}:{self.object_key}:{self.recipient.pk}:{self.occasion}"


def occasion_for(rule, due_on: datetime.date, today: datetime.date) -> str | None:
    """Which reminder of the rule is due today for a deadline, or ``None``.

    Before the deadline, the nearest threshold already reached (so a missed day catches up
    with one reminder, not a flood); after it, one chaser per ``repeat_after_days`` period.
    """
    days_left = (due_on - today).days
    if days_left >= 0:
        reached = [d for d in rule.days_before_list if days_left <= d]
        return f"before-{min(reached)}" if reached else None
    if rule.repeat_after_days:
        return f"overdue-{(-days_left - 1) // rule.repeat_after_days}"
    return None


# --- champions list confirmation -----------------------------------------------------


def _pending_confirmations(today):
    from champions.models import ListConfirmation, Nomination

    return (
        ListConfirmation.objects.filter(status="pending", round__opened_on__lte=today)
        .select_related("agency__executive_lead", "round")
        .prefetch_related(
            Prefetch(
                "agency__nominations",
                queryset=Nomination.objects.current(on=today).select_related("user"),
                to_attr="current_nominations",
            )
        )
    )


def _confirmation_recipients(confirmation):
    agency = confirmation.agency
    people = {n.user.pk: n.user for n in agency.current_nominations}
    if agency.executive_lead:
        people[agency.executive_lead.pk] = agency.executive_lead
    return [p for p in people.values() if p.is_active]


def champions_confirmation_request(rule, today):
    """When a round opens: each agency's champions and executive lead are asked once."""
    for confirmation in _pending_confirmations(today).filter(round__due_on__gte=today):
        for person in _confirmation_recipients(confirmation):
            yield Due(
                rule_code=rule.code,
                object_key=f"confirmation-{confirmation.pk}",
                occasion="request",
                recipient=person,
                about=f"Champions list of {confirmation.agency.name} ({confirmation.round.year})",
                due_on=confirmation.round.due_on,
                action_url=confirmation.get_absolute_url(),
                template="champions_confirmation_request",
                context={"round": confirmation.round, "agency": confirmation.agency},
            )


def champions_confirmation_reminder(rule, today):
    """Before the reply-by date while the list is unconfirmed, then chasers."""
    for confirmation in _pending_confirmations(today):
        occasion = occasion_for(rule, confirmation.round.due_on, today)
        if occasion is None or confirmation.round.opened_on == today:
            continue
        for person in _confirmation_recipients(confirmation):
            yield Due(
                rule_code=rule.code,
                object_key=f"confirmation-{confirmation.pk}",
                occasion=occasion,
                recipient=person,
                about=f"Champions list of {confirmation.agency.name} ({confirmation.round.year})",
                due_on=confirmation.round.due_on,
                action_url=confirmation.get_absolute_url(),
                template="champions_confirmation_reminder",
                context={
                    "round": confirmation.round,
                    "agency": confirmation.agency,
                    "overdue": occasion.startswith("overdue"),
                },
            )


# --- helpers shared by rules -----------------------------------------------------------


def _champions_by_agency(agency_ids, today) -> dict[int, list]:
    """Current, active champions of each agency: one query."""
    from champions.models import Nomination

    people: dict[int, dict] = {}
    for nomination in (
        Nomination.objects.current(on=today).filter(agency__in=agency_ids, user__is_active=True).select_related("user")
    ):
        people.setdefault(nomination.agency_id, {})[nomination.user_id] = nomination.user
    return {agency_id: list(users.values()) for agency_id, users in people.items()}


def _secretariat_emails() -> list[str]:
    from accounts.models import Role, User

    return list(User.objects.filter(role=Role.SECRETARIAT, is_active=True).values_list("email", flat=True))


# --- audits --------------------------------------------------------------------------


def _open_returns(today):
    """Unsubmitted returns of open cycles; once a newer cycle of the same template has opened, the old one is left be."""
    from audits.models import AuditReturn, Cycle, ReturnStatus

    superseded = Cycle.objects.filter(
        template=OuterRef("cycle__template"), opens_on__gt=OuterRef("cycle__opens_on"), opens_on__lte=today
    )
    return list(
        AuditReturn.objects.filter(
            status__in=[ReturnStatus.DRAFT, ReturnStatus.RETURNED],
            cycle__opens_on__lte=today,
            agency__archived_at__isnull=True,
        )
        .exclude(Exists(superseded))
        .select_related("cycle__template", "agency")
    )


def audit_cycle_open(rule, today):
    """When a cycle opens: each agency's champions are told, with the due date."""
    returns = [r for r in _open_returns(today) if r.cycle.due_on >= today]
    champions = _champions_by_agency({r.agency_id for r in returns}, today)
    for audit_return in returns:
        for person in champions.get(audit_return.agency_id, []):
            yield Due(
                rule_code=rule.code,
                object_key=f"return-{audit_return.pk}",
                occasion="open",
                recipient=person,
                about=f"{audit_return.cycle} return of {audit_return.agency.name}",
                due_on=audit_return.cycle.due_on,
                action_url=audit_return.get_absolute_url(),
                template="audit_cycle_open",
                context={"audit_return": audit_return, "cycle": audit_return.cycle, "agency": audit_return.agency},
            )


def audit_return_due(rule, today):
    """Before the due date while the return is not submitted; weekly after it, the secretariat copied."""
    returns = _open_returns(today)
    champions = _champions_by_agency({r.agency_id for r in returns}, today)
    secretariat = None
    for audit_return in returns:
        occasion = occasion_for(rule, audit_return.cycle.due_on, today)
        if occasion is None or audit_return.cycle.opens_on == today:
            continue
        overdue = occasion.startswith("overdue")
        if overdue and secretariat is None:
            secretariat = _secretariat_emails()
        for person in champions.get(audit_return.agency_id, []):
            yield Due(
                rule_code=rule.code,
                object_key=f"return-{audit_return.pk}",
                occasion=occasion,
                recipient=person,
                about=f"{audit_return.cycle} return of {audit_return.agency.name}",
                due_on=audit_return.cycle.due_on,
                action_url=audit_return.get_absolute_url(),
                template="audit_return_reminder",
                context={
                    "audit_return": audit_return,
                    "cycle": audit_return.cycle,
                    "agency": audit_return.agency,
                    "overdue": overdue,
                },
                cc=secretariat if overdue else [],
            )


# --- the action plan -----------------------------------------------------------------


def action_due(rule, today):
    """Before an action's timescale (or review date) and weekly while it is overdue, to its lead."""
    from django.db.models import Q

    from actionplan.models import Action

    actions = list(
        Action.objects.active()
        .in_open_plans()
        .filter(status__in=["red", "amber"])
        .filter(Q(due_on__isnull=False) | Q(ongoing=True, review_on__isnull=False))
        .filter(Q(lead_person__isnull=False) | Q(lead_agency__isnull=False))
        .select_related("lead_person", "lead_agency")
    )
    champions = _champions_by_agency({a.lead_agency_id for a in actions if a.lead_agency_id}, today)
    for action in actions:
        deadline = action.review_on if action.ongoing else action.due_on
        occasion = occasion_for(rule, deadline, today)
        if occasion is None:
            continue
        if action.lead_person and action.lead_person.is_active:
            leads = [action.lead_person]
        else:
            leads = champions.get(action.lead_agency_id, [])
        for person in leads:
            yield Due(
                rule_code=rule.code,
                object_key=f"action-{action.pk}-{deadline.isoformat()}",
                occasion=occasion,
                recipient=person,
                about=f"Action {action.ref or action.pk}: {action.action[:120]}",
                due_on=deadline,
                action_url=action.get_absolute_url(),
                template="action_reminder",
                context={
                    "action": action,
                    "deadline": deadline,
                    "overdue": occasion.startswith("overdue"),
                    "review": action.ongoing,
                },
            )


# --- incidents -----------------------------------------------------------------------


def incident_referral_missing(rule, today):
    """A required referral with no date one working day after the incident was logged: the ESLOs are alerted."""
    from django.utils import timezone

    from incidents.models import Referral, Status
    from reminders.workdays import add_working_days

    referrals = list(
        Referral.objects.filter(
            required=True,
            referred_on__isnull=True,
            incident__status__in=[Status.REPORTED, Status.IN_PROGRESS],
            incident__reported_at__isnull=False,
        ).select_related("incident__agency")
    )
    champions = _champions_by_agency({r.incident.agency_id for r in referrals}, today)
    for referral in referrals:
        logged_on = timezone.localdate(referral.incident.reported_at)
        if add_working_days(logged_on, 1) > today:
            continue
        for person in champions.get(referral.incident.agency_id, []):
            yield Due(
                rule_code=rule.code,
                object_key=f"referral-{referral.pk}",
                occasion="missing",
                recipient=person,
                about=f"{referral} for an incident at {referral.incident.agency.name}",
                due_on=add_working_days(logged_on, 1),
                action_url=referral.incident.get_absolute_url(),
                template="incident_referral_missing",
                context={"referral_type": referral.get_agency_type_display(), "agency": referral.incident.agency},
                urgent=True,
            )


# --- internet access locations ---------------------------------------------------------


def filtering_review_due(rule, today):
    """Before a location's next filtering and monitoring review is due, then chasers, the secretariat copied."""
    from locations.models import AccessLocation

    locations = list(
        AccessLocation.objects.active().filter(agency__archived_at__isnull=True).select_related("agency", "last_review")
    )
    champions = _champions_by_agency({loc.agency_id for loc in locations}, today)
    secretariat = None
    for location in locations:
        due_on = location.next_review_due
        occasion = occasion_for(rule, due_on, today)
        if occasion is None:
            continue
        overdue = occasion.startswith("overdue")
        if overdue and secretariat is None:
            secretariat = _secretariat_emails()
        for person in champions.get(location.agency_id, []):
            yield Due(
                rule_code=rule.code,
                # The due date is part of the key: a new review starts a new round of reminders.
                object_key=f"location-{location.pk}-{due_on.isoformat()}",
                occasion=occasion,
                recipient=person,
                about=f"Filtering and monitoring review of {location.name} ({location.agency.name})",
                due_on=due_on,
                action_url=reverse("locations:review_create", args=[location.pk]),
                template="filtering_review_due",
                context={"location": location, "agency": location.agency, "due_on": due_on, "overdue": overdue},
                cc=secretariat if overdue else [],
            )


# code -> (function, name, description, default days before, default repeat after days)
RULES = {
    "champions-confirmation-request": (
        champions_confirmation_request,
        "Champions list: request to confirm",
        "Sent once to each agency's champions and executive lead when a confirmation round opens.",
        "",
        None,
    ),
    "champions-confirmation-reminder": (
        champions_confirmation_reminder,
        "Champions list: reminder to confirm",
        "Before the reply-by date while the list is unconfirmed, then weekly.",
        "7, 1",
        7,
    ),
    "audit-cycle-open": (
        audit_cycle_open,
        "Audit: cycle opened",
        "Sent once to each agency's champions when an audit cycle opens, with the due date.",
        "",
        None,
    ),
    "audit-return-due": (
        audit_return_due,
        "Audit: return due",
        "Before the due date while the return is not submitted; after it, weekly with the secretariat copied.",
        "30, 14, 7, 1",
        7,
    ),
    "action-due": (
        action_due,
        "Action plan: timescale approaching or overdue",
        "To the action's lead before its due or review date, then weekly while it is overdue (not Green or Blue).",
        "14",
        7,
    ),
    "incident-referral-missing": (
        incident_referral_missing,
        "Incident: required referral not recorded",
        "To the agency's champions/ESLOs when a required referral has no date one working day after the incident "
        "was logged (weekends and England and Wales bank holidays do not count). Always sent at once.",
        "",
        None,
    ),
    "filtering-review-due": (
        filtering_review_due,
        "Internet access location: filtering and monitoring review due",
        "To the agency's champions before a location's yearly review against the DfE filtering and monitoring "
        "standards is due, then every four weeks while it is overdue with the secretariat copied.",
        "30, 7",
        28,
    ),
}
