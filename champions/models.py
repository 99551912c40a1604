from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class EsigMembership(models.TextChoices):
    CORE = "core", "Core member"
    ASSOCIATE = "associate", "Associate member"
    NONE = "none", "Not an ESIG member"


class NominationQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Nomination(models.Model):
    """A person nominated as an agency's e-safety champion / ESLO, for a period."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="nominations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations")
    title = models.CharField(
        "role title",
        max_length=100,
        default="E-safety champion",
        help_text="For example 'E-safety champion' or 'ESLO'.",
    )
    nominated_by = models.CharField(max_length=150, blank=True, help_text="Usually the agency's executive lead.")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    esig_membership = models.CharField(
        "ESIG membership", max_length=16, choices=EsigMembership.choices, default=EsigMembership.ASSOCIATE
    )
    is_co_chair = models.BooleanField("ESIG co-chair", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user"], condition=Q(ended_on__isnull=True), name="one_open_nomination"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="nomination_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.title}, {self.agency})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)


class ConfirmationRound(models.Model):
    """The annual request to every agency to confirm its list of champions."""

    year = models.PositiveIntegerField(unique=True)
    opened_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField()
    message = models.TextField(blank=True, help_text="Added to the e-mail sent to each agency.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Champions list confirmation {self.year}"

    def get_absolute_url(self):
        return reverse("champions:round_detail", args=[self.pk])


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", "Awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    CORRECTED = "corrected", "Confirmed with corrections"


class ListConfirmation(models.Model):
    """One agency's answer in a confirmation round."""

    round = models.ForeignKey(ConfirmationRound, on_delete=models.CASCADE, related_name="confirmations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="list_confirmations")
    status = models.CharField(max_length=16, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="one_confirmation_per_agency")]

    def __str__(self):
        return f"{self.agency} — {self.round.year}"

    def get_absolute_url(self):
        return reverse("champions:confirm", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == ConfirmationStatus.PENDING
