from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    LOGOUT = "logout", "Logged out"
    LOCKED_OUT = "locked_out", "Account locked after failed log-ins"
    ACCOUNT_UNLOCKED = "account_unlocked", "Account unlocked"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor authentication set up"
    TWO_FACTOR_PASSED = "two_factor_passed", "Two-factor code accepted at log-in"
    TWO_FACTOR_FAILED = "two_factor_failed", "Wrong two-factor code"
    BACKUP_CODES_REPLACED = "backup_codes_replaced", "New two-factor backup codes made"
    ROLE_CHANGED = "role_changed", "Role or permissions changed"
    INCIDENT_VIEWED = "incident_viewed", "Incident details viewed"
    INCIDENT_CHANGED = "incident_changed", "Incident changed"
    RETURN_STATE_CHANGED = "return_state_changed", "Audit return state changed"
    REPORT_DOWNLOADED = "report_downloaded", "Annual report downloaded"
    EXPORTED = "exported", "Data exported"
    FILE_DOWNLOADED = "file_downloaded", "File downloaded"
    IMPORTED = "imported", "Import confirmed"
    ARCHIVED = "archived", "Record archived"
    MEMBERSHIP_DATES_CHANGED = "membership_dates", "Joining or leaving date changed"
    TRAIL_PRUNED = "trail_pruned", "Audit trail entries past retention removed"


class ActivityEvent(models.Model):
    """One sensitive event. Append-only: the database refuses to change or delete a row, and each
    row carries the hash of the one before it (activity/chain.py), so a change made anyway is found."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("who", max_length=254, blank=True, help_text="As known at the time.")
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "action"], name="activity_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"


class TrailCheckpoint(models.Model):
    """Events before ``first_kept_id`` were removed past the trail's retention period; the first
    kept event links to ``prev_hash``. Signed with the portal's secret key, so it cannot be forged
    by someone holding only the database."""

    made_at = models.DateTimeField()
    first_kept_id = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    removed = models.PositiveIntegerField()
    removed_before = models.DateTimeField()
    signature = models.CharField(max_length=200)

    class Meta:
        ordering = ["-first_kept_id"]
        get_latest_by = "first_kept_id"

    def __str__(self):
        return f"Checkpoint at event #{self.first_kept_id}"
