import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone


class Sector(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    VOLUNTARY = "voluntary", "Voluntary and community"
    YOUTH = "youth", "Youth service"
    LIBRARY = "library", "Library"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


class MembershipType(models.TextChoices):
    MEMBER = "member", "Member"
    PARTNER = "partner", "Partner"


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def members_during(self, start: datetime.date, end: datetime.date):
        """Agencies in the partnership at any time from ``start`` to ``end`` (both included).

        The one way every figure counts the partnership's agencies for a period: by the dates an
        agency joined and left, never by when its row was made.
        """
        return self.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start),
            # An agency archived without a leaving date left the day it was archived.
            Q(archived_at__isnull=True) | Q(archived_at__date__gte=start),
            joined_on__lte=end,
        )

    def members_as_of(self, day: datetime.date):
        """Agencies in the partnership on ``day``."""
        return self.members_during(day, day)

    def current_members(self):
        """Agencies in the partnership today: those asked for returns and confirmations, and counted on home pages.

        One archived today still counts in today's figures (``members_as_of``) but is asked for nothing more.
        """
        return self.active().members_as_of(timezone.localdate())

    def with_champion_count(self):
        from champions.models import Nomination

        return self.annotate(
            has_champion=Exists(Nomination.objects.current().filter(agency=OuterRef("pk"))),
        )

    def without_champion(self):
        from champions.models import Nomination

        return self.filter(~Exists(Nomination.objects.current().filter(agency=OuterRef("pk"))))


class Agency(models.Model):
    """A member or partner agency of the safeguarding children partnership."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    membership_type = models.CharField(
        "member or partner", max_length=16, choices=MembershipType.choices, default=MembershipType.MEMBER
    )
    executive_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_agencies",
        help_text="The senior officer who answers to the Board for this agency and nominates its champions.",
    )
    email = models.EmailField("general e-mail", blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    joined_on = models.DateField(
        "joined the partnership on",
        default=timezone.localdate,
        help_text="The date the agency became a member or partner of the partnership.",
    )
    left_on = models.DateField(
        "left the partnership on",
        null=True,
        blank=True,
        help_text="Leave empty while the agency is in the partnership; it counts as a member up to and on this day.",
    )
    people_served = models.PositiveIntegerField(
        "children, young people and staff",
        null=True,
        blank=True,
        help_text="About how many children, young people and staff the agency works with; incident rates per 1,000 "
        "are shown only for agencies where this is known.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="agency_leaves_after_joining",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def is_member_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A person who works for an agency (staff). Champions are nominated separately."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"], condition=Q(ended_at__isnull=True), name="one_active_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} at {self.agency}"
