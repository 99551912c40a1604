"""The strategic action plan: plan → strategic priorities → objectives → actions.

An action is led by an agency, a person or a group named in words ("All agencies"), has a
timescale (a due date, or ongoing with a review date), a RAG status (the Telford & Wrekin key)
and a log of dated progress updates. Every change of status is kept as a ``StatusChange``.
"""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, DateField, ExpressionWrapper, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone


class Status(models.TextChoices):
    RED = "red", "Red — not achieved"
    AMBER = "amber", "Amber — in progress"
    GREEN = "green", "Green — completed"
    BLUE = "blue", "Blue — achieved, continuously evolving"


# Statuses that count as done: an action in one of them is never overdue.
DONE_STATUSES = (Status.GREEN, Status.BLUE)
STATUS_WORDS = {Status.RED: "Red", Status.AMBER: "Amber", Status.GREEN: "Green", Status.BLUE: "Blue"}


class PlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Plan(models.Model):
    """One strategic action plan for a period, e.g. "E-safety strategy action plan 2025-27"."""

    name = models.CharField(max_length=200)
    period = models.CharField(max_length=40, help_text="For example 2025-27.")
    is_current = models.BooleanField(
        "current plan", default=False, help_text="The plan the dashboard and home page show."
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-is_current", "-period", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_plan"),
            models.UniqueConstraint(fields=["name", "period"], name="plan_name_period_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.period})"

    def get_absolute_url(self):
        return reverse("actionplan:plan_dashboard", args=[self.pk])


class Priority(models.Model):
    """A strategic priority of a plan (the Bromley plan has six)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Objective(models.Model):
    """An objective under a priority, numbered like "1.2"."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="objectives")
    number = models.CharField(max_length=20)
    title = models.TextField()

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [models.UniqueConstraint(fields=["priority", "number"], name="objective_number_unique")]

    def __str__(self):
        return f"{self.number} {self.title}"


class ActionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def in_open_plans(self):
        """Actions of plans not archived (an archived plan's actions are no longer worked on)."""
        return self.filter(plan__archived_at__isnull=True)

    def with_overdue(self, today=None):
        """Annotate ``timescale`` (due date, or review date when ongoing) and ``is_overdue``.

        ``today`` is the Europe/London date (``timezone.localdate()``), not the UTC one: an
        action due on 30 June is overdue from midnight in London, whatever UTC says.
        """
        today = today or timezone.localdate()
        timescale = Case(When(ongoing=True, then=F("review_on")), default=F("due_on"), output_field=DateField())
        return self.annotate(timescale=timescale).annotate(
            is_overdue=ExpressionWrapper(
                Q(timescale__lt=Value(today)) & ~Q(status__in=DONE_STATUSES), output_field=BooleanField()
            ),
        )

    def overdue(self, today=None):
        return self.with_overdue(today).filter(is_overdue=True)


class Action(models.Model):
    """One action of the plan, with its lead, timescale, success measure and RAG status."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions", editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    ref = models.CharField(
        "reference", max_length=20, blank=True, help_text="For example 1.2.3; unique within the plan."
    )
    method = models.TextField(blank=True, help_text="How the objective will be met (the seeds' 'Method' column).")
    action = models.TextField("action", help_text="What will be done.")
    lead_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="led_actions"
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="led_actions"
    )
    lead_text = models.CharField(
        "lead group", max_length=200, blank=True, help_text='A group, e.g. "All agencies" or "e-Safety Working Group".'
    )
    due_on = models.DateField("due date", null=True, blank=True)
    ongoing = models.BooleanField(default=False, help_text="Ongoing actions have a review date instead of a due date.")
    review_on = models.DateField("review date", null=True, blank=True)
    timescale_text = models.CharField(
        "timescale as written",
        max_length=200,
        blank=True,
        help_text='The timescale as an imported plan wrote it ("By end of December 2009 & Ongoing"), '
        "when it says more than the dates.",
    )
    success_measure = models.TextField("success measure / milestones", blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RED)
    source_label = models.CharField(
        "comes from", max_length=200, blank=True, help_text="Where the action came from, e.g. an audit gap."
    )
    source_url = models.CharField("link to where it came from", max_length=500, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["objective__priority__number", "objective__number", "ref", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], condition=~Q(ref=""), name="action_ref_unique_in_plan"),
            models.CheckConstraint(condition=Q(ongoing=False) | Q(due_on__isnull=True), name="ongoing_has_no_due"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="action_status_valid"),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return f"{self.ref} {self.action[:60]}".strip()

    def get_absolute_url(self):
        return reverse("actionplan:action_detail", args=[self.pk])

    @property
    def lead_display(self) -> str:
        if self.lead_agency_id:
            return self.lead_agency.name
        if self.lead_person_id:
            return self.lead_person.full_name
        return self.lead_text

    @property
    def status_word(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def timescale_date(self):
        return self.review_on if self.ongoing else self.due_on

    @property
    def overdue(self) -> bool:
        """The same rule as ``ActionQuerySet.with_overdue``, for one action already loaded."""
        if hasattr(self, "is_overdue"):
            return bool(self.is_overdue)
        when = self.timescale_date
        return bool(when and when < timezone.localdate() and self.status not in DONE_STATUSES)


class ProgressUpdate(models.Model):
    """A dated note of progress on an action (the seeds' 'Update' column)."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            # An action's latest update (the plan table, the export) and the plan's newest updates (the dashboard).
            models.Index(fields=["action", "-date", "-id"], name="progress_action_latest"),
            models.Index(fields=["-date", "-id"], name="progress_newest"),
        ]

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"


class StatusChange(models.Model):
    """Who changed an action's status, when, from what to what, and why."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="status_changes")
    old = models.CharField(max_length=8, choices=Status.choices, blank=True)
    new = models.CharField(max_length=8, choices=Status.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        # The plan's newest status changes: the dashboard and the status history.
        indexes = [models.Index(fields=["-at", "-id"], name="status_change_newest")]

    def __str__(self):
        return f"{self.action}: {self.old or '—'} → {self.new}"

    @property
    def old_word(self) -> str:
        return STATUS_WORDS.get(self.old, "—")

    @property
    def new_word(self) -> str:
        return STATUS_WORDS[self.new]
