import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activity.integrity import TrailNotWhole, trail_prune
from esafety.db import owner_alias


class Command(BaseCommand):
    help = (
        "Remove audit-trail events older than the trail's retention period (AUDIT_TRAIL_RETENTION_DAYS). "
        "Run as the database owner (DATABASE_MIGRATE_URL). A signed checkpoint is written first, to the "
        "database and the private file store, so verify_trail still passes afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=None, help="Connection to use (default: the owner's).")
        parser.add_argument(
            "--before",
            type=datetime.date.fromisoformat,
            help="Remove events written before this day (YYYY-MM-DD); it may not be inside the retention period.",
        )

    def handle(self, *args, database, before, **options):
        earliest_allowed = timezone.localdate() - datetime.timedelta(days=settings.AUDIT_TRAIL_RETENTION_DAYS)
        before = before or earliest_allowed
        if before > earliest_allowed:
            raise CommandError(
                f"Events are kept for {settings.AUDIT_TRAIL_RETENTION_DAYS} days: "
                f"nothing written on or after {earliest_allowed:%d/%m/%Y} may be removed."
            )
        cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        try:
            checkpoint = trail_prune(before=cutoff, using=database or owner_alias())
        except TrailNotWhole as broken:
            raise CommandError(f"Nothing was removed: the audit trail is not whole. {broken}") from broken
        if checkpoint is None:
            self.stdout.write(f"No events written before {before:%d/%m/%Y}: nothing removed.")
        else:
            self.stdout.write(
                f"{checkpoint.removed:,} events written before {before:%d/%m/%Y} removed; "
                f"the trail now starts at event #{checkpoint.first_kept_id}, after a signed checkpoint."
            )
