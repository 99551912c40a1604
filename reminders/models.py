from django.conf import settings
from django.db import models


class ReminderRule(models.Model):
    """A rule the daily sweep applies; the secretariat changes its days in the browser."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    days_before = models.CharField(
        "days before the due date",
        max_length=100,
        blank=True,
        help_text="Comma-separated, e.g. '30, 14, 7, 1'. Leave empty for none.",
    )
    repeat_after_days = models.PositiveSmallIntegerField(
        "repeat every (days) once overdue", null=True, blank=True, help_text="Empty: no chasers after the due date."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def days_before_list(self) -> list[int]:
        return sorted({int(d) for d in self.days_before.replace(" ", "").split(",") if d}, reverse=True)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Delivered to the mail server"
    FAILED = "failed", "Failed, will be retried"
    DIGEST = "digest", "Held for the weekly digest"


class Reminder(models.Model):
    """One reminder to one person: also the log the secretariat reads.

    ``key`` (rule, object, recipient, occasion) is unique: the sweep inserts the row before
    anything is sent, so a sweep that runs twice, or two sweeps at once, make one row, and
    delivery marks the row sent in the same transaction that holds its lock.
    """

    key = models.CharField(max_length=255, unique=True)
    rule = models.ForeignKey(ReminderRule, on_delete=models.PROTECT, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders")
    cc = models.CharField(max_length=500, blank=True)
    about = models.CharField("about", max_length=255)
    due_on = models.DateField(null=True, blank=True)
    action_url = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.rule.name} to {self.recipient} ({self.about})"


class ReminderPreference(models.Model):
    """A person may take one weekly digest instead of single e-mails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    weekly_digest = models.BooleanField(
        "send me one weekly digest instead of single reminders",
        default=False,
        help_text="Urgent notices (such as a new incident) are always sent at once.",
    )

    def __str__(self):
        return f"Notification settings of {self.user}"


class QueuedTask(models.Model):
    """A background task that could not reach the broker (Redis or the worker down).

    The request that made it still succeeds; ``flush_queued_tasks`` sends it once the broker is back.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"
