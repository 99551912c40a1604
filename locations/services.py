import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from esafety import figures
from locations.models import AccessLocation, FilteringReview
from locations.standards import REVIEW_INTERVAL_DAYS, STANDARD_FIELDS, Check

EDITABLE_FIELDS = [
    "name",
    "address",
    "location_type",
    "filtering",
    "monitoring",
    "age_filtering",
    "responsible_person",
    "last_checked_on",
    "notes",
]

STALE_EDIT = (
    "Someone else changed this location after you opened it. Nothing was saved: reload it and make your change again."
)


def location_create(*, agency: Agency, by: User, **fields) -> AccessLocation:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    location = AccessLocation.objects.create(agency=agency, created_by=by, updated_by=by, **fields)
    figures.bump(figures.LOCATIONS)
    return location


@transaction.atomic
def location_update(
    *, location: AccessLocation, by: User, seen_updated_at: datetime.datetime | None = None, **fields
) -> AccessLocation:
    """Save changes unless someone else saved the row since the editor loaded it."""
    locked = AccessLocation.objects.select_for_update().get(pk=location.pk)
    if locked.archived_at is not None:
        raise ValidationError("This location has been archived; it can no longer be changed.")
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise ValidationError(STALE_EDIT)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"Unknown field: {name}")
        setattr(locked, name, value)
    locked.updated_by = by
    locked.save()
    figures.bump(figures.LOCATIONS)
    return locked


def location_mark_checked(*, location: AccessLocation, by: User, on: datetime.date | None = None) -> AccessLocation:
    return location_update(location=location, by=by, last_checked_on=on or timezone.localdate())


@transaction.atomic
def location_archive(*, location: AccessLocation, by: User) -> AccessLocation:
    """Locations are archived, never deleted: the register keeps its history."""
    locked = AccessLocation.objects.select_for_update().get(pk=location.pk)
    if locked.archived_at is None:
        locked.archived_at = timezone.now()
        locked.updated_by = by
        locked.save(update_fields=["archived_at", "updated_by", "updated_at"])
        figures.bump(figures.LOCATIONS)
    return locked


# --- filtering and monitoring reviews --------------------------------------------------------

REVIEW_FIELDS = [
    "reviewed_on",
    "senior_leader",
    "governance_lead",
    "safeguarding_lead",
    "filtering_provider",
    "monitoring_provider",
    *STANDARD_FIELDS,
    "checks",
    "checks_notes",
    "actions_needed",
    "next_review_due",
]


def _review_errors(fields: dict) -> dict[str, str]:
    today = timezone.localdate()
    reviewed, due = fields.get("reviewed_on"), fields.get("next_review_due")
    errors = {}
    if reviewed and reviewed > today:
        errors["reviewed_on"] = "The date of the review cannot be in the future."
    elif reviewed and reviewed < datetime.date(2000, 1, 1):
        errors["reviewed_on"] = "Enter a date from 2000 onwards."
    if reviewed and due:
        if due <= reviewed:
            errors["next_review_due"] = "The next review must be after this one."
        elif due > reviewed + datetime.timedelta(days=REVIEW_INTERVAL_DAYS):
            errors["next_review_due"] = (
                "The standards ask for a review at least once a year: set the next one within a year of this one."
            )
    unknown_checks = set(fields.get("checks") or []) - set(Check.values)
    if unknown_checks:
        errors["checks"] = "Choose the checks from the list."
    return errors


@transaction.atomic
def filtering_review_record(*, location: AccessLocation, by: User, **fields) -> FilteringReview:
    """Record a review of the location's filtering and monitoring; the location then points to its latest review."""
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    errors = _review_errors(fields)
    if errors:
        raise ValidationError(errors)
    locked = AccessLocation.objects.select_for_update().get(pk=location.pk)
    if locked.archived_at is not None:
        raise ValidationError("This location has been archived; it can no longer be reviewed.")
    review = FilteringReview.objects.create(location=locked, agency_id=locked.agency_id, recorded_by=by, **fields)
    latest = FilteringReview.objects.filter(location=locked).order_by("-reviewed_on", "-pk").first()
    locked.last_review = latest
    # A review is also a check of the location.
    if locked.last_checked_on is None or locked.last_checked_on < review.reviewed_on:
        locked.last_checked_on = review.reviewed_on
    locked.updated_by = by
    locked.save(update_fields=["last_review", "last_checked_on", "updated_by", "updated_at"])
    figures.bump(figures.LOCATIONS)
    return review
