"""The reminder rules: each turns today's data into the reminders that are due.

A rule function takes ``(rule, today)`` and yields ``Due`` items; it must use a fixed number
of queries whatever the number of objects. ``occasion`` names the moment the reminder is for
(a threshold such as ``before-7`` or an overdue week such as ``overdue-2``); with the rule,
object and recipient it makes the reminder's unique key, so it is sent once.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch


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
}
