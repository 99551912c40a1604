import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from esafety import figures
from esig.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Capacity,
    Meeting,
    Rules,
    TrainingAttendee,
    TrainingEvent,
    TrainingHeadcount,
)
from esig.selectors import esig_members_on

MAX_MINUTES_BYTES = 10 * 1024 * 1024
STALE_EDIT = "Someone else changed this meeting after you opened it. Nothing was saved: reload the page and try again."


@figures.bumps(figures.ESIG)
def meeting_create(
    *, held_on: datetime.date, by: User, title: str = "ESIG meeting", starts_at=None, venue: str = ""
) -> Meeting:
    return Meeting.objects.create(
        title=title or "ESIG meeting", held_on=held_on, starts_at=starts_at, venue=venue, created_by=by
    )


@transaction.atomic
@figures.bumps(figures.ESIG)
def meeting_update(*, meeting: Meeting, by: User, seen_updated_at=None, **fields) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise ValidationError(STALE_EDIT)
    for name in fields:
        if name not in {"title", "held_on", "starts_at", "venue"}:
            raise TypeError(f"Unknown field: {name}")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
@figures.bumps(figures.ESIG)
def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Cancelled meetings are kept (and do not count towards the yearly minimum)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.attendances.filter(status=AttendanceStatus.PRESENT).exists():
        raise ValidationError("People are recorded as present at this meeting, so it cannot be cancelled.")
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    return locked


@transaction.atomic
@figures.bumps(figures.ESIG)
def attendance_record(*, meeting: Meeting, statuses: dict[int, str], by: User) -> int:
    """Record members' attendance; capacity and co-chair are taken from the nominations on the meeting date.

    ``statuses`` maps user id → present/apologies/absent; an empty status leaves a person unrecorded.
    """
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.cancelled_at is not None:
        raise ValidationError("This meeting was cancelled: attendance cannot be recorded.")
    if locked.held_on > timezone.localdate():
        raise ValidationError("Attendance can be recorded on or after the meeting date.")
    members = esig_members_on(locked.held_on)
    existing = {a.user_id: a for a in locked.attendances.filter(user__isnull=False)}
    valid = set(AttendanceStatus.values)
    changed = 0
    for user_id, status in statuses.items():
        if not status:
            continue
        if status not in valid:
            raise ValidationError(f"Unknown attendance status: {status}")
        member = members.get(user_id)
        record = existing.get(user_id)
        if member is None and record is None:
            raise ValidationError("Only ESIG members on the meeting date can be recorded here; add others as guests.")
        if record is None:
            Attendance.objects.create(
                meeting=locked,
                user_id=user_id,
                capacity=member["capacity"],
                is_co_chair=member["is_co_chair"],
                status=status,
                recorded_by=by,
            )
            changed += 1
        elif record.status != status:
            record.status = status
            record.recorded_by = by
            record.recorded_at = timezone.now()
            record.save(update_fields=["status", "recorded_by", "recorded_at"])
            changed += 1
    locked.save(update_fields=["updated_at"])
    return changed


@figures.bumps(figures.ESIG)
def guest_add(*, meeting: Meeting, name: str, organisation: str = "", status: str = "present", by: User) -> Attendance:
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: attendance cannot be recorded.")
    return Attendance.objects.create(
        meeting=meeting,
        guest_name=name,
        guest_organisation=organisation,
        capacity=Capacity.GUEST,
        status=status,
        recorded_by=by,
    )


@figures.bumps(figures.ESIG)
def agenda_item_add(*, meeting: Meeting, title: str, discussion: str = "", decision: str = "", by: User) -> AgendaItem:
    position = (meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting, position=position, title=title, discussion=discussion, decision=decision, created_by=by
    )


def check_minutes_file(uploaded) -> str:
    """The content type of an acceptable minutes document, or ``ValidationError``."""
    from audits.evidence_checks import detect

    if uploaded.size > MAX_MINUTES_BYTES:
        raise ValidationError("The minutes document is larger than 10 MB. Upload a smaller file (a PDF, say).")
    if uploaded.size == 0:
        raise ValidationError("The minutes document is empty.")
    return detect(uploaded)


@transaction.atomic
@figures.bumps(figures.ESIG)
def minutes_save(*, meeting: Meeting, text: str, by: User, document=None, seen_updated_at=None) -> Meeting:
    """Save the minutes text and, if given, a document (the earlier document is kept on disk, never lost)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise ValidationError(STALE_EDIT)
    locked.minutes = text
    if document is not None:
        locked.minutes_content_type = check_minutes_file(document)
        locked.minutes_original_name = document.name[:255]
        locked.minutes_size = document.size
        locked.minutes_file.save(document.name, document, save=False)
    locked.save()
    return locked


@figures.bumps(figures.ESIG)
def meeting_actions_set(*, meeting: Meeting, created, reviewed, by: User) -> None:
    """Link action-plan actions the meeting created or reviewed (replacing the earlier choice)."""
    from esig.models import MeetingAction

    with transaction.atomic():
        MeetingAction.objects.filter(meeting=meeting).delete()
        MeetingAction.objects.bulk_create(
            [MeetingAction(meeting=meeting, action=a, kind=MeetingAction.Kind.CREATED) for a in created]
            + [MeetingAction(meeting=meeting, action=a, kind=MeetingAction.Kind.REVIEWED) for a in reviewed]
        )


@figures.bumps(figures.ESIG)
def rules_update(*, by: User, **fields) -> Rules:
    rules = Rules.current()
    for name, value in fields.items():
        if name not in {"min_members_present", "co_chair_required", "min_meetings_per_year", "training_valid_months"}:
            raise TypeError(f"Unknown field: {name}")
        setattr(rules, name, value)
    rules.updated_by = by
    rules.full_clean()
    rules.save()
    return rules


# --- training ----------------------------------------------------------------------

TRAINING_FIELDS = {"kind", "title", "held_on", "provider", "audience", "notes"}


@figures.bumps(figures.ESIG)
def training_event_create(*, by: User, **fields) -> TrainingEvent:
    if set(fields) - TRAINING_FIELDS:
        raise TypeError("Unknown fields")
    return TrainingEvent.objects.create(created_by=by, **fields)


@transaction.atomic
@figures.bumps(figures.ESIG)
def training_event_update(*, event: TrainingEvent, by: User, seen_updated_at=None, **fields) -> TrainingEvent:
    locked = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise ValidationError("Someone else changed this training event after you opened it. Nothing was saved.")
    if set(fields) - TRAINING_FIELDS:
        raise TypeError("Unknown fields")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@figures.bumps(figures.ESIG)
def training_attendee_add(*, event: TrainingEvent, user: User, agency: Agency, by: User) -> TrainingAttendee:
    if TrainingAttendee.objects.filter(event=event, user=user).exists():
        raise ValidationError(f"{user.full_name} is already recorded as attending this training.")
    try:
        with transaction.atomic():
            return TrainingAttendee.objects.create(event=event, user=user, agency=agency, recorded_by=by)
    except IntegrityError as error:
        raise ValidationError(f"{user.full_name} is already recorded as attending this training.") from error


@figures.bumps(figures.ESIG)
def training_headcount_add(
    *, event: TrainingEvent, agency: Agency, people: int, note: str = "", by: User
) -> TrainingHeadcount:
    if people < 1:
        raise ValidationError("Enter at least one person.")
    return TrainingHeadcount.objects.create(event=event, agency=agency, people=people, note=note, recorded_by=by)
