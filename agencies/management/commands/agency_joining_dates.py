from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from agencies.joining import joining_dates_apply, joining_dates_proposed


class Command(BaseCommand):
    help = (
        "Date each agency's joining of the partnership from the earliest evidence that it took part (audit "
        "returns, incidents, champions, ESIG meetings, training, filtering reviews). Lists what would change; "
        "--apply changes it. Dates are only ever moved earlier, so it is safe to run again after each import."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Change the dates (without it: only list them).")
        parser.add_argument("--by", default="", help="E-mail address of the person making the change, for the history.")

    def handle(self, *args, apply, by, **options):
        person = None
        if by:
            person = User.objects.filter(email__iexact=by).first()
            if person is None:
                raise CommandError(f"No one in the portal has the e-mail address {by}.")
        if apply:
            changes = joining_dates_apply(by=person, by_label="manage.py agency_joining_dates")
        else:
            changes = joining_dates_proposed()
        for change in changes:
            self.stdout.write(f"{change.agency.name}: {change.summary}")
        if not changes:
            self.stdout.write("Every agency's joining date already matches the evidence: nothing to change.")
        elif apply:
            self.stdout.write(
                f"Changed the joining date of {len(changes):,} agenc{'y' if len(changes) == 1 else 'ies'}."
            )
        else:
            self.stdout.write(
                f"{len(changes):,} agenc{'y' if len(changes) == 1 else 'ies'} would change; run again with --apply "
                "to change them."
            )
