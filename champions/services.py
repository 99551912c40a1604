import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import forget_agency_roles
from accounts.services import user_get_or_invite
from activity.models import Action
from activity.services import activity_record
from agencies.models import Agency
from champions.models import ConfirmationRound, ConfirmationStatus, ListConfirmation, Nomination
from esafety import figures
from reminders.outbox import enqueue_on_commit
from reminders.tasks import run_sweep


@transaction.atomic
def nomination_create(
    *,
    agency: Agency,
    email: str,
    full_name: str,
    job_title: str = "",
    phone: str = "",
    title: str = "E-safety champion",
    nominated_by: str = "",
    started_on: datetime.date | None = None,
    esig_membership: str = "associate",
    is_co_chair: bool = False,
    by: User,
) -> Nomination:
    """Nominate a person (inviting them if new) as a champion of the agency."""
    user, created = user_get_or_invite(
        email=email, full_name=full_name, job_title=job_title, phone=phone, invited_by=by
    )
    if not created:
        # Contact details given with a nomination are the newest we have.
        changed = [f for f, v in (("job_title", job_title), ("phone", phone)) if v and getattr(user, f) != v]
        for f in changed:
            setattr(user, f, job_title if f == "job_title" else phone)
        if changed:
            user.save(update_fields=changed)
    if Nomination.objects.filter(agency=agency, user=user, ended_on__isnull=True).exists():
        raise ValidationError(f"{user.full_name} is already a champion of {agency.name}.")
    nomination = Nomination.objects.create(
        agency=agency,
        user=user,
        title=title or "E-safety champion",
        nominated_by=nominated_by,
        started_on=started_on or timezone.localdate(),
        esig_membership=esig_membership,
        is_co_chair=is_co_chair,
        created_by=by,
    )
    forget_agency_roles(user)
    activity_record(
        Action.ROLE_CHANGED,
        actor=by,
        obj=nomination,
        summary=f"{user.email} became {nomination.title} of {agency.name}"
        + (f" (ESIG {nomination.esig_membership}{', co-chair' if is_co_chair else ''})"),
    )
    figures.bump(figures.REGISTER)
    return nomination


@transaction.atomic
def nomination_update(*, nomination: Nomination, by: User, **fields) -> Nomination:
    """Correct a nomination and the champion's contact details."""
    user_fields = {k: fields.pop(k) for k in ("full_name", "job_title", "phone") if k in fields}
    for name, value in user_fields.items():
        setattr(nomination.user, name, value)
    if user_fields:
        nomination.user.save(update_fields=list(user_fields))
    watched = {"title", "esig_membership", "is_co_chair", "started_on"}
    changed = sorted(name for name, value in fields.items() if name in watched and getattr(nomination, name) != value)
    for name, value in fields.items():
        setattr(nomination, name, value)
    nomination.save()
    if changed:
        activity_record(
            Action.ROLE_CHANGED,
            actor=by,
            obj=nomination,
            summary=f"{nomination.user.email} at {nomination.agency.name}: "
            + ", ".join(f"{name}={getattr(nomination, name)}" for name in changed),
        )
    figures.bump(figures.REGISTER)
    return nomination


def nomination_end(*, nomination: Nomination, ended_on: datetime.date, reason: str, by: User) -> Nomination:
    if ended_on < nomination.started_on:
        raise ValidationError("A nomination cannot end before it started.")
    nomination.ended_on = ended_on
    nomination.end_reason = reason
    with transaction.atomic():
        nomination.save(update_fields=["ended_on", "end_reason", "updated_at"])
        activity_record(
            Action.ROLE_CHANGED,
            actor=by,
            obj=nomination,
            summary=f"{nomination.user.email} stops being {nomination.title} of {nomination.agency.name} "
            f"on {ended_on:%d/%m/%Y}",
        )
    forget_agency_roles(nomination.user)
    figures.bump(figures.REGISTER)
    return nomination


@transaction.atomic
def round_open(*, year: int, due_on: datetime.date, message: str, by: User) -> ConfirmationRound:
    """Open the annual confirmation round: one request per active agency, e-mailed after commit."""
    if ConfirmationRound.objects.filter(year=year).exists():
        raise ValidationError(f"The {year} confirmation round has already been opened.")
    confirmation_round = ConfirmationRound.objects.create(year=year, due_on=due_on, message=message, opened_by=by)
    ListConfirmation.objects.bulk_create(
        ListConfirmation(round=confirmation_round, agency=agency) for agency in Agency.objects.current_members()
    )
    figures.bump(figures.REGISTER)
    enqueue_on_commit(run_sweep, codes=["champions-confirmation-request"])
    return confirmation_round


def list_confirm(*, confirmation: ListConfirmation, note: str, by: User) -> ListConfirmation:
    """Record that the agency's list is right; corrections made since the round opened are noted."""
    if not confirmation.is_pending:
        raise ValidationError("This list has already been confirmed.")
    corrected = Nomination.objects.filter(
        agency=confirmation.agency, updated_at__gte=confirmation.round.created_at
    ).exists()
    confirmation.status = ConfirmationStatus.CORRECTED if corrected else ConfirmationStatus.CONFIRMED
    confirmation.note = note
    confirmation.responded_by = by
    confirmation.responded_at = timezone.now()
    confirmation.save(update_fields=["status", "note", "responded_by", "responded_at"])
    figures.bump(figures.REGISTER)
    return confirmation
