"""A spreadsheet on its way in (between upload and confirm), and the column mappings remembered."""

from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    """An uploaded file waiting for its columns to be mapped and its preview to be confirmed.

    Only the person who uploaded it sees it; it is deleted once imported, and after a day.
    """

    kind = models.CharField(max_length=40)
    target_id = models.PositiveIntegerField(null=True, blank=True, help_text="The plan or agency imported into.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    sheet = models.CharField(max_length=100, blank=True)
    heading_row = models.PositiveIntegerField(default=1, help_text="1-based, as a spreadsheet numbers rows.")
    # {"0": "objective", "3": ""} — column index → field key ("" = ignored).
    columns = models.JSONField(default=dict, blank=True)
    # {"status": {"partly done": "amber"}} — a field's words in the file → the portal's values.
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.kind})"


class RememberedMapping(models.Model):
    """The mapping chosen last time for a file with exactly these headings, offered again next time."""

    kind = models.CharField(max_length=40)
    headings_key = models.CharField(max_length=64, help_text="SHA-256 of the file's normalised headings.")
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "headings_key"], name="one_mapping_per_headings")]

    def __str__(self):
        return f"{self.kind} mapping {self.headings_key[:8]}"


class CompletedImport(models.Model):
    """A file imported into a plan, an agency or the register: who, when, and what it did.

    Read when a confirmation finds its rows already there, to say who imported them a moment ago.
    """

    kind = models.CharField(max_length=40)
    target_id = models.PositiveIntegerField(null=True, blank=True, help_text="The plan or agency imported into.")
    filename = models.CharField(max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kind", "target_id", "created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.kind}) by {self.created_by_id}"
