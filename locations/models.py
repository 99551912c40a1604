import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# A location not checked within this many days is flagged (Wandsworth 5.1: regular audit of access points).
CHECK_INTERVAL_DAYS = 365


class LocationType(models.TextChoices):
    LIBRARY = "library", "Library"
    YOUTH_CLUB = "youth_club", "Youth club"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
    HEALTH = "health", "Health setting"
    INTERNET_CAFE = "internet_cafe", "Internet café"
    OTHER = "other", "Other"


def check_due_before(today: datetime.date | None = None) -> datetime.date:
    """Locations last checked before this date (or never) are overdue a check."""
    return (today or timezone.localdate()) - datetime.timedelta(days=CHECK_INTERVAL_DAYS)


def overdue_condition(today: datetime.date | None = None) -> models.Q:
    """Never checked, or last checked before a check was due."""
    return models.Q(last_checked_on__isnull=True) | models.Q(last_checked_on__lt=check_due_before(today))


class AccessLocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def overdue(self, today=None):
        return self.filter(overdue_condition(today))


class AccessLocation(models.Model):
    """A place an agency provides where children and young people can use the internet."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="access_locations")
    name = models.CharField("location name", max_length=200)
    address = models.TextField(blank=True)
    location_type = models.CharField("type", max_length=32, choices=LocationType.choices)
    filtering = models.BooleanField("filtering in place", default=False)
    monitoring = models.BooleanField("monitoring in place", default=False)
    age_filtering = models.BooleanField(
        "age-related filtering", default=False, help_text="Filtering levels differ by the age of the user."
    )
    responsible_person = models.CharField("responsible person", max_length=150, blank=True)
    last_checked_on = models.DateField("date last checked", null=True, blank=True)
    notes = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccessLocationQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.agency})"

    def get_absolute_url(self):
        return reverse("locations:agency", args=[self.agency_id]) + f"#location-{self.pk}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def is_check_overdue(self, today=None) -> bool:
        return self.last_checked_on is None or self.last_checked_on < check_due_before(today)

    @property
    def check_status(self) -> str:
        """The check status in words (never colour alone)."""
        if self.last_checked_on is None:
            return "Never checked"
        if self.is_check_overdue():
            return "Not checked within a year"
        return "Checked within the year"

    @property
    def safeguards_missing(self) -> list[str]:
        missing = []
        if not self.filtering:
            missing.append("filtering")
        if not self.monitoring:
            missing.append("monitoring")
        return missing
