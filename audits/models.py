"""Annual e-safety self-assessment audits.

Templates are data: ``Template`` → ``TemplateVersion`` → ``Section`` → ``Question`` (level
statements are data on the question). A cycle asks agencies for one ``AuditReturn`` each,
against one template version; a return's ``Answer`` rows point at that version's questions,
so a later version never changes what an old return answered.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from esafety.storage import private_storage


class TemplateKind(models.TextChoices):
    CHECKLIST = "checklist", "Checklist (yes/no questions)"
    MATURITY = "maturity", "Maturity review (levels 1 to 5)"


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    DATE = "date", "Date"
    PERSON = "person", "Named person"
    TEXT = "text", "Free text"
    LEVEL = "level", "Maturity level (1 highest, 5 lowest)"


LEVELS = (1, 2, 3, 4, 5)
DEFAULT_LEVEL_LABELS = {1: "Leading", 2: "Established", 3: "Developing", 4: "Emerging", 5: "Not in place"}


class Template(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=TemplateKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateVersion(models.Model):
    """One fixed set of questions. Never edited once a return has been submitted against it."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    levels = models.JSONField(default=dict, blank=True, help_text="Level number → label (maturity only).")
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template__name", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_template_version_number")]

    def __str__(self):
        return f"{self.name} (version {self.number})"

    def get_absolute_url(self):
        return reverse("audits:template_version", args=[self.pk])

    @property
    def is_maturity(self) -> bool:
        return self.template.kind == TemplateKind.MATURITY

    def level_label(self, level) -> str:
        if level in (None, ""):
            return ""
        label = self.levels.get(str(level)) or DEFAULT_LEVEL_LABELS.get(int(level), "")
        return label.split(":", 1)[0].strip()


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    element = models.CharField(max_length=100, blank=True, help_text="The PIES element (maturity reviews).")
    guidance = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_section_key_per_version")]

    def __str__(self):
        return self.title


class Question(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    text = models.TextField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    gap_when = models.CharField(
        max_length=8, blank=True, help_text="For yes/no questions: the answer that is a gap ('no' or 'yes')."
    )
    guidance = models.TextField(blank=True)
    benchmark = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For levels: the board's benchmark; a weaker (higher) level is a gap."
    )
    level_statements = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_question_key_per_version")]

    def __str__(self):
        return self.text

    def statement(self, level) -> str:
        return self.level_statements.get(str(level), "")

    def is_gap(self, value: str) -> bool:
        """Whether an answer shows a gap: the gap answer of a yes/no, or a level weaker than the benchmark."""
        if not value:
            return False
        if self.kind == QuestionKind.YES_NO:
            return bool(self.gap_when) and value == self.gap_when
        if self.kind == QuestionKind.LEVEL and self.benchmark:
            return int(value) > self.benchmark
        return False

    def display(self, value: str) -> str:
        """An answer as people read it."""
        if not value:
            return ""
        if self.kind == QuestionKind.YES_NO:
            return {"yes": "Yes", "no": "No"}.get(value, value)
        if self.kind == QuestionKind.DATE:
            import datetime

            from django.utils.dateformat import format as date_format

            try:
                return date_format(datetime.date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        if self.kind == QuestionKind.LEVEL:
            label = self.version.level_label(value)
            return f"Level {value}" + (f" ({label})" if label else "")
        return value


class Cycle(models.Model):
    """One year's request to agencies to complete one audit template."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="cycles")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveIntegerField()
    opens_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField()
    lock_at_due = models.BooleanField(
        "lock returns at the due date", default=False, help_text="Champions cannot change a draft after the due date."
    )
    prefilled = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "template__name"]
        constraints = [models.UniqueConstraint(fields=["template", "year"], name="one_cycle_per_template_year")]

    def __str__(self):
        return f"{self.template.name} {self.year}"

    def get_absolute_url(self):
        return reverse("audits:cycle_detail", args=[self.pk])

    @property
    def is_past_due(self) -> bool:
        return timezone.localdate() > self.due_on


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for amendment"
    ACCEPTED = "accepted", "Accepted"


EDITABLE_STATUSES = {ReturnStatus.DRAFT, ReturnStatus.RETURNED}


class AuditReturn(models.Model):
    """One agency's return in a cycle. ``version`` goes up on every save (optimistic locking)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="returns")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="audit_returns")
    status = models.CharField(max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_saved_at = models.DateTimeField(null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "agency"], name="one_return_per_agency_per_cycle")]

    def __str__(self):
        return f"{self.agency} — {self.cycle}"

    def get_absolute_url(self):
        return reverse("audits:return_detail", args=[self.pk])

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        """Past the due date of a cycle that locks: only a return for amendment reopens it."""
        return self.cycle.lock_at_due and self.cycle.is_past_due and self.status == ReturnStatus.DRAFT

    @property
    def is_open_for_answers(self) -> bool:
        return self.is_editable_status and not self.is_locked

    @property
    def is_overdue(self) -> bool:
        return self.status in EDITABLE_STATUSES and self.cycle.is_past_due

    @property
    def status_text(self) -> str:
        text = self.get_status_display()
        return f"{text}, overdue" if self.is_overdue else text


class Answer(models.Model):
    """An agency's answer to one question. ``value`` is normalised: yes/no, ISO date, level number or text."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="Copied from last year's return: the champion should check it."
    )
    board_value = models.CharField("board's rating", max_length=16, blank=True)
    board_note = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit_return", "question"], name="one_answer_per_question")]
        # The few answers the board has rated, for the collation's "board rating differs" counts.
        indexes = [
            models.Index(fields=["audit_return"], condition=~models.Q(board_value=""), name="answer_board_rated")
        ]

    def __str__(self):
        return f"{self.question.key}: {self.value}"

    @property
    def is_gap(self) -> bool:
        return self.question.is_gap(self.value)

    @property
    def display(self) -> str:
        return self.question.display(self.value)

    @property
    def board_display(self) -> str:
        return self.question.display(self.board_value)


class StatusChange(models.Model):
    """Every change of a return's state: who, when, why."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ReturnStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReturnStatus.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.audit_return}: {self.from_status or 'new'} → {self.to_status}"


def evidence_path(instance, filename):
    # The stored name never comes from the user; the original name is kept in the row.
    return f"audits/evidence/{instance.audit_return_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file an agency attaches to its return. Served only by a view that checks who is asking."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.PROTECT, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("audits:evidence_download", args=[self.pk])


class GapAction(models.Model):
    """A gap in a return (an answer) turned into an action of the action plan."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="action_links")
    action = models.ForeignKey("actionplan.Action", on_delete=models.PROTECT, related_name="audit_gap_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "action"], name="one_link_per_gap_and_action")]

    def __str__(self):
        return f"{self.answer} → {self.action}"
