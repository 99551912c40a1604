import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from locations.models import AccessLocation

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
    return AccessLocation.objects.create(agency=agency, created_by=by, updated_by=by, **fields)


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
    return locked
