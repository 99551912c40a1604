from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from esafety.backup import backup_name, backup_write
from esafety.db import owner_alias


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or a copy of the SQLite file) and every private file "
        "(evidence, minutes, reports, the audit trail's daily hashes) into a new directory, with a manifest "
        "of their SHA-256 sums. `make backup` runs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="A new directory (default: backups/<date-time>).")
        parser.add_argument("--database", default=None, help="Connection to back up (default: the owner's).")

    def handle(self, *args, directory, database, **options):
        target = Path(directory) if directory else Path(settings.BASE_DIR) / "backups" / backup_name()
        manifest = backup_write(target, using=database or owner_alias())
        head = manifest["audit_trail_head"]
        self.stdout.write(
            f"Backed up to {target}: the database and {manifest['files']:,} private files"
            + (f"; the audit trail ends at event #{head['pk']}." if head else ".")
        )
