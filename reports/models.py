from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being generated"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class AnnualReport(models.Model):
    """One generation of the annual report to the Board. Its file never changes afterwards."""

    year = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The executive summary as the PDF has it (plain text), shown on the board member's home page.
    summary = models.JSONField(default=dict, blank=True)
    # Agencies that took part in the year (asked for an audit, incidents, ESIG) while the register said they were
    # not in the partnership, as the report was built: such a report contradicts itself and is not the Board's copy.
    outside_membership = models.JSONField(default=list, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    is_board_version = models.BooleanField("presented to the Board", default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="one_report_per_year_version"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(is_board_version=True), name="one_board_version_per_year"
            ),
        ]

    def __str__(self):
        return f"Annual report {self.year} (version {self.version})"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def download_name(self) -> str:
        return f"esafety-annual-report-{self.year}-v{self.version}.pdf"


class OpenDataSwitch(models.Model):
    """Each time the secretariat switches the open-data feed on or off: append-only, the latest row decides."""

    enabled = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"Open data {'on' if self.enabled else 'off'} ({self.at:%Y-%m-%d %H:%M})"

    @classmethod
    def is_on(cls) -> bool:
        """Off until the secretariat switches it on: one query."""
        return bool(cls.objects.order_by("-at", "-pk").values_list("enabled", flat=True).first())
