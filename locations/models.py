import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from locations.standards import FIRST_REVIEW_GRACE_DAYS, STANDARD_FIELDS, STANDARDS, Answer, Check

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


def review_overdue_condition(today: datetime.date | None = None) -> models.Q:
    """The filtering and monitoring review is overdue: the last one's next review date has passed, or
    the location has never been reviewed and has been in the register longer than the grace period."""
    today = today or timezone.localdate()
    first_due_by = today - datetime.timedelta(days=FIRST_REVIEW_GRACE_DAYS)
    return models.Q(last_review__next_review_due__lt=today) | models.Q(
        last_review__isnull=True, created_at__date__lt=first_due_by
    )


class AccessLocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def overdue(self, today=None):
        return self.filter(overdue_condition(today))

    def review_overdue(self, today=None):
        return self.filter(review_overdue_condition(today))

    def listed_as_of(self, day: datetime.date):
        """Locations in the register on ``day``, the one way a period's figures count them.

        A location of an agency in the partnership that day (``Agency.objects.members_as_of``), not
        archived by then, and known by then: added to the register, checked or reviewed on or before
        that day. A check or review shows the place was in use even when the register was typed into
        the portal later, so a partnership's first reports on the year before count its locations.
        """
        from agencies.models import Agency

        reviewed = FilteringReview.objects.filter(location=models.OuterRef("pk"), reviewed_on__lte=day)
        return self.filter(
            models.Q(created_at__date__lte=day) | models.Q(last_checked_on__lte=day) | models.Exists(reviewed),
            models.Q(archived_at__isnull=True) | models.Q(archived_at__date__gt=day),
            agency__in=Agency.objects.members_as_of(day),
        )


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
    # The latest filtering and monitoring review (by date reviewed), kept by locations.services.
    last_review = models.ForeignKey(
        "locations.FilteringReview", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
    def next_review_due(self) -> datetime.date:
        """When the next filtering and monitoring review is due (the first: a month after it was registered)."""
        if self.last_review_id:
            return self.last_review.next_review_due
        return timezone.localdate(self.created_at) + datetime.timedelta(days=FIRST_REVIEW_GRACE_DAYS)

    def review_status(self, today=None) -> str:
        """The review status in words (never colour alone)."""
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return "Review overdue" if self.last_review_id else "Never reviewed: review overdue"
        if self.last_review_id is None:
            return "Not yet reviewed"
        return "Reviewed"

    def is_review_overdue(self, today=None) -> bool:
        return self.next_review_due < (today or timezone.localdate())

    @property
    def safeguards_missing(self) -> list[str]:
        missing = []
        if not self.filtering:
            missing.append("filtering")
        if not self.monitoring:
            missing.append("monitoring")
        return missing


class FilteringReview(models.Model):
    """A review of a location's filtering and monitoring against the DfE standards (see locations.standards)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="filtering_reviews")
    location = models.ForeignKey(AccessLocation, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("date of the review")
    senior_leader = models.CharField("senior leader responsible", max_length=150)
    governance_lead = models.CharField("governor, trustee or board member responsible", max_length=150, blank=True)
    safeguarding_lead = models.CharField("designated safeguarding lead (or equivalent)", max_length=150, blank=True)
    filtering_provider = models.CharField("filtering provider and system", max_length=150)
    monitoring_provider = models.CharField("monitoring provider, system or method", max_length=150, blank=True)
    roles_answer = models.CharField(max_length=8, choices=Answer.choices)
    review_answer = models.CharField(max_length=8, choices=Answer.choices)
    blocking_answer = models.CharField(max_length=8, choices=Answer.choices)
    monitoring_answer = models.CharField(max_length=8, choices=Answer.choices)
    checks = models.JSONField("checks made", default=list, blank=True)
    checks_notes = models.TextField("what the checks found", blank=True)
    actions_needed = models.TextField("what needs to change", blank=True)
    next_review_due = models.DateField("next review due")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["location", "reviewed_on"])]

    def __str__(self):
        return f"Filtering and monitoring review of {self.location.name}, {self.reviewed_on:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("locations:reviews", args=[self.location_id]) + f"#review-{self.pk}"

    def answers(self) -> list[tuple]:
        """(standard, answer label) for each standard, in order."""
        return [(standard, getattr(self, f"get_{standard.field}_display")()) for standard in STANDARDS]

    @property
    def standards_met(self) -> int:
        return sum(getattr(self, name) == Answer.MET for name in STANDARD_FIELDS)

    @property
    def check_labels(self) -> list[str]:
        labels = dict(Check.choices)
        return [labels[code] for code in self.checks if code in labels]
