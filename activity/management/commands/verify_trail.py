import time

from django.core.management.base import BaseCommand, CommandError

from activity.integrity import trail_verify


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and report the first event that no longer matches "
        "(changed, deleted, inserted or reordered). Exits with status 1 when the trail is not whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to check (default: default).")

    def handle(self, *args, database, **options):
        started = time.perf_counter()
        report = trail_verify(using=database)
        seconds = time.perf_counter() - started
        if not report.ok:
            raise CommandError(
                f"The audit trail is not whole. {report.problem} "
                f"({report.checked:,} events before it checked and matched, in {seconds:.1f} seconds.)"
            )
        self.stdout.write(f"The audit trail is whole: {report.checked:,} events checked in {seconds:.1f} seconds.")
