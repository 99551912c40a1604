"""Copy the private files a portal kept on local disk into the configured file store.

For moving an existing installation to object storage: set the AWS_* variables, run this once with
``--dry-run`` to see what it would copy, then without. A file already in the store under the same name
and size is left alone, so it can be run again (after an interruption, say) at no cost. The local files
are not deleted; remove them once the portal has been checked against the store.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from esafety.storage import private_storage


class Command(BaseCommand):
    help = "Copy private files (evidence, minutes, annual reports) from a local folder into the file store."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            default=str(settings.PRIVATE_MEDIA_ROOT),
            help="The folder the files were kept in (default: PRIVATE_MEDIA_ROOT).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be copied; copy nothing.")

    def handle(self, *, source, dry_run, **options):
        root = Path(source)
        if not root.is_dir():
            raise CommandError(f"There is no folder {root} to copy from. Give it with --from.")
        target = private_storage()
        if isinstance(target, FileSystemStorage) and Path(target.location).resolve() == root.resolve():
            raise CommandError(
                "The file store is this same folder. Set AWS_STORAGE_BUCKET_NAME (and the other AWS_* "
                "variables) to the object store first."
            )
        local = FileSystemStorage(location=root)
        copied = present = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if target.exists(name) and target.size(name) == path.stat().st_size:
                present += 1
                continue
            copied += 1
            if dry_run:
                self.stdout.write(f"would copy {name}")
                continue
            with local.open(name, "rb") as handle:
                stored = target.save(name, handle)
            if stored != name:
                raise CommandError(f"The store already holds a different {name}; it was kept as {stored}. Check it.")
            self.stdout.write(f"copied {name}")
        verb = "would be copied" if dry_run else "copied"
        self.stdout.write(f"{copied} file{'s' if copied != 1 else ''} {verb}, {present} already in the store.")
