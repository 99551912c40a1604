from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
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
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


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
