import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from esafety.storage import private_storage


class Rules(models.Model):
    """The ESIG's quorum rule, meeting minimum and training refresh period: one row, edited by the secretariat.

    The defaults are the Bournemouth-Poole terms of reference: "Must be 4 members present including one
    of co-chairs"; "The group will not meet less than 4 times a year".
    """

    min_members_present = models.PositiveSmallIntegerField(
        "members present for a quorum",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Core and associate members present (invited guests do not count).",
    )
    co_chair_required = models.BooleanField(
        "a co-chair must be present", default=True, help_text="One of the co-chairs must be among those present."
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "minimum meetings a year", default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    training_valid_months = models.PositiveSmallIntegerField(
        "training refresh period (months)",
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long a champion's ESLO or CEOP/Thinkuknow training counts before it should be refreshed.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ESIG rules"
        verbose_name_plural = "ESIG rules"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="esig_rules_single_row")]

    def __str__(self):
        return self.describe_quorum()

    @classmethod
    def current(cls) -> "Rules":
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules

    def describe_quorum(self) -> str:
        text = f"at least {self.min_members_present} member{'s' if self.min_members_present != 1 else ''} present"
        if self.co_chair_required:
            text += ", including one of the co-chairs"
        return text


def minutes_path(instance, filename):
    # The stored name never comes from the user; the original name is kept in the row.
    return f"esig/minutes/{uuid.uuid4().hex}"


class MeetingQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def held(self, today=None):
        return self.not_cancelled().filter(held_on__lte=today or timezone.localdate())


class Meeting(models.Model):
    """A meeting of the E-Safety Strategy Implementation Group."""

    title = models.CharField(max_length=200, default="ESIG meeting")
    held_on = models.DateField("date")
    starts_at = models.TimeField("start time", null=True, blank=True)
    venue = models.CharField("venue or link", max_length=200, blank=True)
    minutes = models.TextField("minutes", blank=True)
    minutes_file = models.FileField(storage=private_storage, upload_to=minutes_path, max_length=300, blank=True)
    minutes_original_name = models.CharField(max_length=255, blank=True)
    minutes_content_type = models.CharField(max_length=100, blank=True)
    minutes_size = models.PositiveIntegerField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    actions = models.ManyToManyField(
        "actionplan.Action", through="MeetingAction", related_name="esig_meetings", blank=True
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-starts_at", "-pk"]

    def __str__(self):
        return f"{self.title}, {self.held_on:%d %B %Y}".replace(" 0", " ")

    def get_absolute_url(self):
        return reverse("esig:meeting", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_held(self) -> bool:
        return not self.is_cancelled and self.held_on <= timezone.localdate()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Capacity(models.TextChoices):
    """In what capacity a person attended, as it was on the meeting date."""

    CORE = "core", "Core member"
    ASSOCIATE = "associate", "Associate member"
    GUEST = "guest", "Invited guest"


MEMBER_CAPACITIES = [Capacity.CORE, Capacity.ASSOCIATE]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="esig_attendances"
    )
    guest_name = models.CharField(max_length=150, blank=True)
    guest_organisation = models.CharField("organisation", max_length=200, blank=True)
    capacity = models.CharField(max_length=16, choices=Capacity.choices)
    is_co_chair = models.BooleanField("co-chair", default=False)
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["capacity", "-is_co_chair", "user__full_name", "guest_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="one_attendance_per_person"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""), name="attendance_names_someone"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.get_status_display()}"

    @property
    def name(self) -> str:
        return self.user.full_name if self.user_id else self.guest_name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField("agenda item", max_length=200)
    discussion = models.TextField("notes", blank=True)
    decision = models.TextField("decision", blank=True, help_text="What the group decided, if anything.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.title}"


# --- training ----------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    ESLO = "eslo", "ESLO / champion training"
    CEOP = "ceop", "CEOP / Thinkuknow ambassador training"
    AWARENESS = "awareness", "Awareness session"
    OTHER = "other", "Other training"


# Training that makes a champion "trained" (awareness sessions do not).
CHAMPION_TRAINING_KINDS = [TrainingKind.ESLO, TrainingKind.CEOP]


class Audience(models.TextChoices):
    STAFF = "staff", "Staff and volunteers"
    PARENTS = "parents", "Parents and carers"
    YOUNG_PEOPLE = "young_people", "Children and young people"


class TrainingEvent(models.Model):
    kind = models.CharField("type", max_length=16, choices=TrainingKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField("date")
    provider = models.CharField(max_length=200, help_text="Who delivered it, e.g. CEOP, SWGfL, the ESIG.")
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.STAFF)
    notes = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("esig:training_event", args=[self.pk])


class TrainingAttendee(models.Model):
    """A named person who attended, for an agency."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attended")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_attendance_per_training")]

    def __str__(self):
        return f"{self.user} at {self.event}"


class TrainingHeadcount(models.Model):
    """How many people of an agency attended, when they are not named (parents, young people)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="headcounts")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField("number of people", validators=[MinValueValidator(1)])
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(people__gte=1), name="headcount_at_least_one")]

    def __str__(self):
        return f"{self.people} from {self.agency} at {self.event}"


class MeetingAction(models.Model):
    """An action of the action plan that a meeting created or reviewed."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created at this meeting"
        REVIEWED = "reviewed", "Reviewed at this meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_links")
    action = models.ForeignKey("actionplan.Action", on_delete=models.PROTECT, related_name="meeting_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "action", "kind"], name="one_link_per_kind")]

    def __str__(self):
        return f"{self.action} — {self.get_kind_display()}"
