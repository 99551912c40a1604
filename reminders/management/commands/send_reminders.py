from django.core.management.base import BaseCommand

from reminders import services


class Command(BaseCommand):
    help = "Record the reminders due today and send them (the same sweep Celery beat runs daily)."

    def add_arguments(self, parser):
        parser.add_argument("--digests", action="store_true", help="Also send the weekly digests now.")

    def handle(self, *args, **options):
        ids = services.reminders_sweep()
        sent = sum(services.reminder_deliver(reminder_id=pk) for pk in ids)
        self.stdout.write(f"{len(ids)} reminder(s) due, {sent} sent.")
        if options["digests"]:
            self.stdout.write(f"{services.digests_send()} digest(s) sent.")
