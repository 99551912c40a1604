from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activity.integrity import trail_verify
from esafety.backup import BackupError, backup_restore
from esafety.db import owner_alias


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (run as its owner) and the private "
        "file store, then check the audit trail from end to end. `make restore FROM=backups/<date-time>` runs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database", default=None, help="Connection to restore into (default: the owner's).")

    def handle(self, *args, directory, database, **options):
        using = database or owner_alias()
        try:
            manifest = backup_restore(Path(directory), using=using)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup made at {manifest['made_at']} ({manifest['files']:,} private files).")
        report = trail_verify(using=using)
        if not report.ok:
            raise CommandError(f"The restored audit trail is not whole. {report.problem}")
        head = manifest["audit_trail_head"]
        if head and not report.checked:
            raise CommandError(f"The restored audit trail is empty, but the backup's ended at event #{head['pk']}.")
        self.stdout.write(f"The restored audit trail is whole: {report.checked:,} events checked.")
