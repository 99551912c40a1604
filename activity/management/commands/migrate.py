"""``migrate`` runs as the role that owns the tables (DATABASE_MIGRATE_URL) when one is configured,
then grants the portal's own role what it needs (activity/privileges.py)."""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from esafety.db import owner_alias


class Command(MigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=owner_alias())

    def handle(self, *args, **options):
        if options["database"] == "owner":
            # Data migrations query through the default connection: it must be the owner's too, in the
            # same transaction, or they would wait on the owner's own uncommitted changes.
            connections["default"] = connections["owner"]
        return super().handle(*args, **options)
