"""Build the demo partnership: ``python manage.py seed_demo``.

Safe to run again: every step finds what it made before rather than adding it twice.
Each part of the work adds its own step to ``DEMO_STEPS``.

``--scale large`` then adds ten years of a big partnership's work on top (``LARGE_STEPS``, one
``large.py`` per app, sizes in ``accounts.large.LargeSizes``): once there are that many agencies
the large steps are skipped, so running it again adds nothing.
"""

import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.large import LargeSizes
from agencies.models import Agency
from esafety import figures

DEMO_PASSWORD = "Exampleshire-demo-2026"  # noqa: S105 - the published demo login

DEMO_STEPS = [
    "accounts.demo.seed",
    "agencies.demo.seed",
    "champions.demo.seed",
    "actionplan.demo.seed",
    "audits.demo.seed",
    "incidents.demo.seed",
    "esig.demo.seed",
    "locations.demo.seed",
    "reports.demo.seed",
]

# Bulk steps of ``--scale large``, in order: each reads what the ones before it made.
LARGE_STEPS = [
    "agencies.large.seed",
    "champions.large.seed",
    "audits.large.seed",
    "incidents.large.seed",
    "reports.large.seed",
    "actionplan.large.seed",
    "locations.large.seed",
    "reminders.large.seed",
]


@dataclass
class DemoContext:
    """Shared between steps: the demo people and agencies by key, a seeded random source."""

    today: object
    password: str
    scale: str = "demo"
    sizes: LargeSizes = field(default_factory=LargeSizes)
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))  # noqa: S311 - demo data only
    users: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    log: list = field(default_factory=list)
    password_hash: str = ""  # the demo password hashed once, for the large scale's people
    user_serial: int = 0  # keeps the large scale's e-mail addresses unique


class Command(BaseCommand):
    help = "Create (or top up) the demo partnership with one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help="large: also ten years of a 300-agency partnership (a few minutes on PostgreSQL).",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=1,
            help="With --scale large: this many times the years of work (e.g. 4: forty years, 200,000 incidents).",
        )

    def handle(self, *args, **options):
        if options["history"] < 1:
            raise CommandError("--history is a whole number of times the history, 1 or more.")
        ctx = DemoContext(
            today=timezone.localdate(),
            password=DEMO_PASSWORD,
            scale=options["scale"],
            sizes=LargeSizes().with_history(options["history"]),
        )
        build(ctx)
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("\nDemo data ready. Log in at http://127.0.0.1:8000 with:"))
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<32} {email:<40} password: {DEMO_PASSWORD}")


def build(ctx: DemoContext) -> None:
    """The demo steps, then (large scale) the bulk steps in one transaction: all of them or none."""
    for dotted in DEMO_STEPS:
        with transaction.atomic():
            import_string(dotted)(ctx)
    # The steps insert rows in bulk, as no service would: every cached figure counts again.
    figures.bump(*figures.AREAS)
    if ctx.scale != "large":
        return
    agencies = Agency.objects.count()
    if agencies >= ctx.sizes.agencies:
        ctx.log.append(f"Large data set already there ({agencies} agencies): nothing added.")
        return
    started, took = time.monotonic(), []
    with transaction.atomic():
        for dotted in LARGE_STEPS:
            step_started = time.monotonic()
            import_string(dotted)(ctx)
            took.append(f"{dotted.split('.')[0]} {time.monotonic() - step_started:.0f} s")
        figures.bump(*figures.AREAS)
    if connection.vendor == "postgresql":
        # Fresh statistics for the query planner: without them it plans for the empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.log.append(f"Large data set built in {time.monotonic() - started:.0f} s ({', '.join(took)}).")


DEMO_LOGINS = [
    ("Champion (Northfield Academy)", "champion@example.org"),
    ("Staff (Northfield Academy)", "staff@example.org"),
    ("Board secretariat", "secretariat@example.org"),
    ("Board member", "board@example.org"),
    ("Partnership safeguarding lead", "safeguarding.lead@example.org"),
    ("Administrator", "admin@example.org"),
]
