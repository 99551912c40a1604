"""Writes to incidents. Every change leaves an append-only ``IncidentHistory`` row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role, User
from activity.models import Action
from activity.services import activity_record
from agencies.models import Agency
from esafety import figures
from incidents import flowchart, wizard
from incidents.models import (
    ChronologyEntry,
    Incident,
    IncidentHistory,
    PersonInvolved,
    Referral,
    Status,
)


def _display(instance, name: str) -> str:
    value = getattr(instance, name)
    if value is None or value == "" or value == []:
        return ""
    field = instance._meta.get_field(name)
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if name == "nudes_factors":
        return "; ".join(flowchart.NUDES_FACTORS.get(v, v) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


Changes = list[list[str]]


def _assign(instance, fields: dict[str, Any]) -> Changes:
    """Set the fields and return what changed as [[label, old, new], ...]."""
    changes = []
    for name, value in fields.items():
        old = _display(instance, name)
        setattr(instance, name, value)
        new = _display(instance, name)
        if old != new:
            changes.append([str(instance._meta.get_field(name).verbose_name), old, new])
    return changes


def _history(incident: Incident, by: User, event: str, changes: Changes | None = None) -> IncidentHistory:
    """The incident's own history (with old and new values), and the audit trail's event (only which
    fields changed: the trail never holds an incident's text, so anonymising leaves it whole)."""
    fields = sorted({label for label, _old, _new in changes or []})
    activity_record(
        Action.INCIDENT_CHANGED,
        actor=by,
        obj=incident,
        summary=f"{incident.reference}: {event}" + (f" ({', '.join(fields)})" if fields else ""),
    )
    figures.bump(figures.INCIDENTS)  # every change leaves history: the cached incident figures count again
    return IncidentHistory.objects.create(incident=incident, by=by, event=event, changes=changes or [])


# --- reporting -----------------------------------------------------------------------------


@transaction.atomic
def incident_start(*, agency: Agency, by: User) -> Incident:
    """Open a draft: saved at once, so nothing is lost if the session expires."""
    incident = Incident.objects.create(agency=agency, reporter=by, status=Status.DRAFT, step_reached="when")
    _history(incident, by, "Draft started", [["agency", "", agency.name]])
    return incident


def _editable_draft(incident: Incident) -> None:
    """Lock the draft's row until the transaction ends, and refuse if it was submitted meanwhile."""
    status = Incident.objects.select_for_update().filter(pk=incident.pk).values_list("status", flat=True).first()
    if status != Status.DRAFT or not incident.is_draft:
        raise ValidationError("This incident has already been submitted: it can no longer be edited here.")


@transaction.atomic
def incident_save_page(*, incident: Incident, page: str, fields: dict[str, Any], by: User) -> Incident:
    """Save one page of the guided form to the draft, and open the next page."""
    _editable_draft(incident)
    changes = _assign(incident, fields)
    following = wizard.next_page(incident, page)
    incident.step_reached = wizard.later(incident.step_reached, following.key if following else page)
    incident.save(update_fields=[*fields, "step_reached", "updated_at"])
    if changes:
        _history(incident, by, f"Draft saved: {wizard.page(page).title}", changes)
    return incident


@transaction.atomic
def incident_save_people(*, incident: Incident, people: list[dict[str, Any]], by: User) -> Incident:
    """Save the people involved: each dict has the fields, ``pk`` for an existing row and ``remove``.

    People are never deleted: a removed person is marked removed, so the history stays whole.
    """
    _editable_draft(incident)
    existing = {p.pk: p for p in incident.people.filter(removed_at__isnull=True)}
    changes = []
    for number, person in enumerate(people, start=1):
        person = dict(person)
        pk = person.pop("pk", None)
        remove = person.pop("remove", False)
        instance = existing.get(pk)
        if pk and instance is None:
            raise ValidationError("This person is no longer on the draft: reload the page.")
        if instance is None:
            instance = PersonInvolved.objects.create(incident=incident, **person)
            changes.append([f"person {number}", "", str(instance)])
        elif remove:
            instance.removed_at = timezone.now()
            instance.save(update_fields=["removed_at"])
            changes.append([f"person {number}", str(instance), "removed"])
        else:
            old = str(instance)
            if _assign(instance, person):
                instance.save(update_fields=list(person))
                changes.append([f"person {number}", old, str(instance)])
    incident.step_reached = wizard.later(incident.step_reached, "review")
    incident.save(update_fields=["step_reached", "updated_at"])
    if changes:
        _history(incident, by, "Draft saved: People involved", changes)
    return incident


def missing_for_submission(incident: Incident) -> list[str]:
    """What the reporter still has to answer, as sentences (empty: ready to submit)."""
    missing = []
    for name in ("occurred_on", "discovered_on", "location", "technology", "category", "description"):
        if getattr(incident, name) in (None, ""):
            missing.append(f"Give {incident._meta.get_field(name).verbose_name}.")
    if any(getattr(incident, q.key) is None for q in flowchart.QUESTIONS):
        missing.append("Answer the flow chart questions.")
    if incident.assessment().needs_rationale and not incident.handled_in_agency_rationale.strip():
        missing.append("Record why the agency can handle the nudes/semi-nudes incident without a referral.")
    if not incident.people.filter(removed_at__isnull=True).exists():
        missing.append("Describe the people involved.")
    return missing


@transaction.atomic
def incident_submit(*, incident: Incident, by: User) -> Incident:
    """Report the incident: the referrals the flow chart requires are opened, the champions told at once."""
    _editable_draft(incident)
    incident.refresh_from_db()
    missing = missing_for_submission(incident)
    if missing:
        raise ValidationError(missing)
    assessment = incident.assessment()
    incident.status = Status.REPORTED
    incident.urgent = assessment.urgent
    incident.reported_at = timezone.now()
    incident.save(update_fields=["status", "urgent", "reported_at", "updated_at"])
    Referral.objects.bulk_create(
        Referral(incident=incident, agency_type=agency_type, required=True, created_by=by)
        for agency_type in assessment.required_referrals
    )
    _history(
        incident,
        by,
        "Reported",
        [
            ["status", "Draft", incident.get_status_display()],
            ["required referrals", "", ", ".join(assessment.referral_labels) or "none"],
            ["urgent", "", "Yes" if assessment.urgent else "No"],
        ],
    )
    transaction.on_commit(lambda: _enqueue_reported(incident.pk))
    return incident


def _enqueue_reported(incident_id: int) -> None:
    from incidents.tasks import notify_incident_reported
    from reminders.outbox import enqueue

    enqueue(notify_incident_reported, incident_id)  # kept for later if the broker is down


@transaction.atomic
def draft_withdraw(*, incident: Incident, by: User) -> Incident:
    """A reporter abandons a draft; it is kept, marked withdrawn."""
    _editable_draft(incident)
    changes = _assign(incident, {"status": Status.WITHDRAWN})
    incident.save(update_fields=["status", "updated_at"])
    _history(incident, by, "Draft withdrawn", changes)
    return incident


# --- handling by the champion ------------------------------------------------------------


def _open(incident: Incident) -> None:
    if incident.is_closed:
        raise ValidationError("This incident is closed.")


@transaction.atomic
def incident_triage(*, incident: Incident, concern_level: str, concern_rationale: str, by: User) -> Incident:
    _open(incident)
    changes = _assign(
        incident,
        {
            "concern_level": concern_level,
            "concern_rationale": concern_rationale,
            "status": Status.IN_PROGRESS,
        },
    )
    incident.triaged_by = by
    incident.triaged_at = timezone.now()
    incident.save(
        update_fields=["concern_level", "concern_rationale", "status", "triaged_by", "triaged_at", "updated_at"]
    )
    _history(incident, by, "Triaged", changes)
    return incident


@transaction.atomic
def chronology_add(*, incident: Incident, happened_at: datetime.datetime, action: str, by: User) -> ChronologyEntry:
    _open(incident)
    entry = ChronologyEntry.objects.create(incident=incident, happened_at=happened_at, action=action, by=by)
    when = date_format(timezone.localtime(happened_at), "j F Y, H:i")
    _history(incident, by, "Action recorded in the chronology", [["action", "", f"{when}: {action}"]])
    return entry


def _check_lead(user: User | None) -> None:
    if user is not None and (user.role != Role.SAFEGUARDING_LEAD or not user.is_active):
        raise ValidationError("Referrals can only be escalated to a partnership safeguarding lead.")


@transaction.atomic
def referral_add(
    *,
    incident: Incident,
    agency_type: str,
    referred_on: datetime.date | None,
    reference: str = "",
    outcome: str = "",
    escalated_to: User | None = None,
    by: User,
) -> Referral:
    _open(incident)
    _check_lead(escalated_to)
    referral = Referral(incident=incident, agency_type=agency_type, created_by=by)
    changes = _assign(
        referral, {"referred_on": referred_on, "reference": reference, "outcome": outcome, "escalated_to": escalated_to}
    )
    if escalated_to:
        referral.escalated_at = timezone.now()
    referral.save()
    _history(incident, by, f"Referral to {referral.get_agency_type_display()} recorded", changes)
    if escalated_to:
        transaction.on_commit(lambda: _enqueue_escalated(referral.pk))
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, by: User, **fields) -> Referral:
    """Record a referral's date, reference, outcome, or escalate it to a partnership safeguarding lead."""
    incident = referral.incident
    _open(incident)
    newly_escalated = (
        "escalated_to" in fields and fields["escalated_to"] and fields["escalated_to"] != referral.escalated_to
    )
    if newly_escalated:
        _check_lead(fields["escalated_to"])
    changes = _assign(referral, fields)
    if newly_escalated:
        referral.escalated_at = timezone.now()
    referral.save(update_fields=[*fields, "escalated_at"])
    if changes:
        _history(incident, by, f"Referral to {referral.get_agency_type_display()} updated", changes)
    if newly_escalated:
        transaction.on_commit(lambda: _enqueue_escalated(referral.pk))
    return referral


def _enqueue_escalated(referral_id: int) -> None:
    from incidents.tasks import notify_referral_escalated
    from reminders.outbox import enqueue

    enqueue(notify_referral_escalated, referral_id)


def outstanding_referrals(incident: Incident) -> list[Referral]:
    return [r for r in incident.referrals.all() if r.required and not r.is_complete]


@transaction.atomic
def incident_close(
    *, incident: Incident, outcome: str, outcome_detail: str, lessons_learned: str, by: User
) -> Incident:
    """Close the incident; refused while a required referral has no date and outcome."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _open(incident)
    errors = []
    if not outcome or not outcome_detail.strip():
        errors.append("Record the outcome before closing.")
    if not lessons_learned.strip():
        errors.append("Record the lessons learned before closing.")
    for referral in outstanding_referrals(incident):
        errors.append(f"The required referral to {referral.get_agency_type_display()} has no date and outcome yet.")
    if errors:
        raise ValidationError(errors)
    changes = _assign(
        incident,
        {
            "outcome": outcome,
            "outcome_detail": outcome_detail,
            "lessons_learned": lessons_learned,
            "status": Status.CLOSED,
        },
    )
    incident.closed_by = by
    incident.closed_at = timezone.now()
    incident.save(
        update_fields=["outcome", "outcome_detail", "lessons_learned", "status", "closed_by", "closed_at", "updated_at"]
    )
    _history(incident, by, "Closed", changes)
    return incident


def incident_view_record(*, incident: Incident, request, what: str = "Details") -> None:
    """Someone opened the incident: one event in the audit trail, which is where who-saw-what is kept."""
    activity_record(Action.INCIDENT_VIEWED, request=request, obj=incident, summary=f"{incident.reference}: {what}")


# --- incidents from an agency's own log ------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@transaction.atomic
def incident_import(
    *,
    agency: Agency,
    source: str,
    reference: str,
    occurred_on: datetime.date,
    category: str,
    outcome: str,
    description: str = "",
    filename: str = "",
    by: User,
) -> Incident:
    """Record an incident from an agency's own log (CPOMS, MyConcern, a spreadsheet) as closed.

    It holds only what the monitoring figures need, and the narrative only when the agency chose
    to bring it; it is counted on the day it happened. Nobody is notified: the incident was
    handled where it was first logged.
    """
    started = _start_of(occurred_on)
    incident = Incident.objects.create(
        agency=agency,
        reporter=by,
        status=Status.CLOSED,
        occurred_on=occurred_on,
        category=category,
        outcome=outcome,
        description=description,
        reported_at=started,
        closed_at=started,
        closed_by=by,
        imported_from=source,
        source_reference=reference,
    )
    _history(incident, by, f"Imported from {filename or 'a file'} ({incident.get_imported_from_display()})")
    return incident


@transaction.atomic
def incident_import_update(*, incident: Incident, fields: dict[str, Any], filename: str = "", by: User) -> Incident:
    """Bring an imported incident in line with a newer export of the same log."""
    if not incident.imported_from:
        raise ValidationError("Only imported incidents are updated from a file.")
    if "occurred_on" in fields:
        fields = {**fields, "reported_at": _start_of(fields["occurred_on"])}
    changes = _assign(incident, fields)
    incident.save(update_fields=[*fields, "updated_at"])
    _history(incident, by, f"Updated from {filename or 'a file'}", changes)
    return incident
