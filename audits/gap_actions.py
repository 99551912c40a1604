"""Turning chosen gaps of a submitted return into actions of the action plan, linked back to the question."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from actionplan.models import Objective
from actionplan.services import action_create
from audits.models import Answer, AuditReturn, GapAction, ReturnStatus


def available() -> bool:
    """Whether there is an action plan objective to put actions under."""
    return Objective.objects.exists()


def objectives():
    """Objectives of active plans, current plan first."""
    return (
        Objective.objects.filter(priority__plan__archived_at__isnull=True)
        .select_related("priority__plan")
        .order_by("-priority__plan__is_current", "priority__plan__name", "priority__number", "number")
    )


def gaps_to_actions(
    *,
    audit_return: AuditReturn,
    answers: list[Answer],
    objective: Objective,
    by,
    due_on: datetime.date | None = None,
) -> list:
    """One red action per chosen gap, led by the agency, with a link back to the question."""
    if audit_return.status not in {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED}:
        raise ValidationError("Gaps become actions once the return has been submitted.")
    if not answers:
        raise ValidationError("Choose at least one gap.")
    linked = set(GapAction.objects.filter(answer__in=answers).values_list("answer_id", flat=True))
    cycle = audit_return.cycle
    created = []
    with transaction.atomic():
        for answer in answers:
            question = answer.question
            if answer.audit_return_id != audit_return.pk or not question.is_gap(answer.value):
                raise ValidationError(f"'{question.text}' is not a gap in this return.")
            if answer.pk in linked:
                raise ValidationError(f"'{question.text}' already has an action.")
            answered = question.display(answer.value)
            expectation = f"reach level {question.benchmark} or better" if question.benchmark else "put this in place"
            action = action_create(
                objective=objective,
                action=f"{audit_return.agency.name}: {question.text} — {expectation} (the {cycle.year} audit "
                f"answer was {answered}).",
                method=f"{cycle.template.name} {cycle.year}, {question.section.title}",
                lead_agency=audit_return.agency,
                due_on=due_on,
                success_measure=f"The next audit answers '{question.text}' without a gap.",
                status="red",
                source_label=f"{cycle.template.name} {cycle.year}, {audit_return.agency.name}: {question.text}"[:200],
                source_url=f"{audit_return.get_absolute_url()}#q-{question.key}",
                by=by,
            )
            GapAction.objects.create(answer=answer, action=action, created_by=by)
            created.append(action)
    return created
