"""Writes to the action plan. Views, the importer, the demo and other apps all come through here.

Each write gives the plan's cached figures (``esafety.figures.PLAN``) a new version after it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, Status, StatusChange
from esafety import figures

ACTION_FIELDS = (
    "objective",
    "ref",
    "method",
    "action",
    "lead_agency",
    "lead_person",
    "lead_text",
    "due_on",
    "ongoing",
    "review_on",
    "timescale_text",
    "success_measure",
    "source_label",
    "source_url",
)


def _check_timescale(*, ongoing: bool, due_on, review_on) -> None:
    if ongoing and due_on:
        raise ValidationError({"due_on": "An ongoing action has a review date, not a due date."})
    if not ongoing and review_on and not due_on:
        raise ValidationError({"review_on": "Give a due date, or mark the action as ongoing."})


def _check_source_url(url: str) -> None:
    # Shown as a link: only our own paths or web addresses, never javascript: and the like.
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValidationError({"source_url": "Give a link starting with / or https://."})


def _check_status(status: str) -> None:
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}: use red, amber, green or blue."})


def plan_create(*, name: str, period: str, is_current: bool = False, by) -> Plan:
    with transaction.atomic():
        if is_current:
            Plan.objects.filter(is_current=True).update(is_current=False)
        plan = Plan.objects.create(name=name, period=period, is_current=is_current, created_by=by)
        figures.bump(figures.PLAN)
        return plan


def plan_update(*, plan: Plan, name: str, period: str, is_current: bool, by) -> Plan:
    with transaction.atomic():
        if is_current and not plan.is_current:
            Plan.objects.filter(is_current=True).update(is_current=False)
        plan.name, plan.period, plan.is_current = name, period, is_current
        plan.save()
        figures.bump(figures.PLAN)
        return plan


def plan_archive(*, plan: Plan, by) -> Plan:
    """Take a finished plan off the lists and out of the reminders; its actions and history are kept."""
    if plan.is_current:
        raise ValidationError(
            f"{plan} is the current plan: make another plan current before archiving this one.", code="current"
        )
    return _archive(plan)


def plan_restore(*, plan: Plan, by) -> Plan:
    return _restore(plan)


def priority_get_or_create(*, plan: Plan, number: int, title: str) -> Priority:
    priority, created = Priority.objects.get_or_create(plan=plan, number=number, defaults={"title": title})
    if not created and title and priority.title != title:
        priority.title = title
        priority.save(update_fields=["title"])
        created = True  # changed, as good as new to the figures
    if created:
        figures.bump(figures.PLAN)
    return priority


def objective_get_or_create(*, priority: Priority, number: str, title: str) -> Objective:
    objective, created = Objective.objects.get_or_create(priority=priority, number=number, defaults={"title": title})
    if not created and title and objective.title != title:
        objective.title = title
        objective.save(update_fields=["title"])
        created = True  # changed, as good as new to the figures
    if created:
        figures.bump(figures.PLAN)
    return objective


def action_create(
    *,
    objective: Objective,
    action: str,
    by,
    method: str = "",
    ref: str = "",
    lead_agency=None,
    lead_person=None,
    lead_text: str = "",
    due_on: datetime.date | None = None,
    ongoing: bool = False,
    review_on: datetime.date | None = None,
    timescale_text: str = "",
    success_measure: str = "",
    status: str = Status.RED,
    source_label: str = "",
    source_url: str = "",
) -> Action:
    """Add an action under an objective; its first status is recorded in the history."""
    if not action.strip():
        raise ValidationError({"action": "Say what the action is."})
    _check_timescale(ongoing=ongoing, due_on=due_on, review_on=review_on)
    _check_status(status)
    _check_source_url(source_url)
    with transaction.atomic():
        created = Action.objects.create(
            plan_id=objective.priority.plan_id,
            objective=objective,
            ref=ref.strip() or _next_ref(objective),
            method=method,
            action=action.strip(),
            lead_agency=lead_agency,
            lead_person=lead_person,
            lead_text=lead_text,
            due_on=due_on,
            ongoing=ongoing,
            review_on=review_on,
            timescale_text=timescale_text,
            success_measure=success_measure,
            status=status,
            source_label=source_label,
            source_url=source_url,
            created_by=by,
        )
        StatusChange.objects.create(
            action=created, old="", new=status, reason=source_label or "Action added to the plan.", by=by
        )
        figures.bump(figures.PLAN)
    return created


def _next_ref(objective: Objective) -> str:
    """The next free reference under an objective: 1.2.1, 1.2.2, ..."""
    taken = set(Action.objects.filter(plan_id=objective.priority.plan_id).values_list("ref", flat=True))
    n = Action.objects.filter(objective=objective).count() + 1
    while f"{objective.number}.{n}" in taken:
        n += 1
    return f"{objective.number}.{n}"


def action_update(*, action: Action, by, changes: dict) -> Action:
    """Change an action's details (not its status: see ``action_set_status``).

    ``changes`` maps field names (``ACTION_FIELDS``) to new values; one of them may be ``action``,
    the action's text, which is why they are not keyword arguments.
    """
    fields = changes
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"action_update() cannot change {sorted(unknown)}")
    dates_changed = any(getattr(action, n) != fields[n] for n in ("due_on", "ongoing", "review_on") if n in fields)
    for name, value in fields.items():
        setattr(action, name, value)
    if dates_changed and "timescale_text" not in fields:
        action.timescale_text = ""  # the words no longer describe the new dates
    _check_timescale(ongoing=action.ongoing, due_on=action.due_on, review_on=action.review_on)
    _check_source_url(action.source_url)
    if not action.action.strip():
        raise ValidationError({"action": "Say what the action is."})
    action.plan_id = action.objective.priority.plan_id
    action.save()
    figures.bump(figures.PLAN)
    return action


def action_set_status(*, action: Action, status: str, reason: str, by) -> StatusChange | None:
    """Change the RAG status, keeping who, when, old, new and why. No change, no record."""
    _check_status(status)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Say why the status is changing."})
    with transaction.atomic():
        # Lock the row so two people changing it at once each record the true old status.
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status == status:
            return None
        change = StatusChange.objects.create(action=locked, old=locked.status, new=status, reason=reason.strip(), by=by)
        Action.objects.filter(pk=locked.pk).update(status=status, updated_at=timezone.now())
        figures.bump(figures.PLAN)
    action.status = status
    return change


def progress_update_add(*, action: Action, text: str, by, date: datetime.date | None = None) -> ProgressUpdate:
    if not text or not text.strip():
        raise ValidationError({"text": "Write the progress update."})
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError({"date": "A progress update cannot be dated in the future."})
    with transaction.atomic():
        update = ProgressUpdate.objects.create(action=action, text=text.strip(), date=date, by=by)
        Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())
        figures.bump(figures.PLAN)
    return update


def action_archive(*, action: Action, by) -> Action:
    """Take an action off the plan without losing it or its history."""
    return _archive(action)


def action_restore(*, action: Action, by) -> Action:
    return _restore(action)


def _archive(record: Plan | Action) -> Plan | Action:
    if record.archived_at is None:
        record.archived_at = timezone.now()
        record.save(update_fields=["archived_at", "updated_at"])
        figures.bump(figures.PLAN)
    return record


def _restore(record: Plan | Action) -> Plan | Action:
    record.archived_at = None
    record.save(update_fields=["archived_at", "updated_at"])
    figures.bump(figures.PLAN)
    return record
