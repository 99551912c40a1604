"""Build the demo partnership: ``python manage.py seed_demo``.

Safe to run again: every step finds what it made before rather than adding it twice.
Each part of the work adds its own step to ``DEMO_STEPS``.
"""

import random
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

DEMO_PASSWORD = "Exampleshire-demo-2026"  # noqa: S105 - the published demo login

DEMO_STEPS = [
    "accounts.demo.seed",
    "agencies.demo.seed",
    "champions.demo.seed",
    "audits.demo.seed",
    "actionplan.demo.seed",
    "incidents.demo.seed",
    "esig.demo.seed",
    "locations.demo.seed",
]


@dataclass
class DemoContext:
    """Shared between steps: the demo people and agencies by key, a seeded random source."""

    today: object
    password: str
    scale: str = "demo"
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))  # noqa: S311 - demo data only
    users: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    log: list = field(default_factory=list)


class Command(BaseCommand):
    help = "Create (or top up) the demo partnership with one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo"], default="demo")

    def handle(self, *args, **options):
        ctx = DemoContext(today=timezone.localdate(), password=DEMO_PASSWORD, scale=options["scale"])
        for dotted in DEMO_STEPS:
            with transaction.atomic():
                import_string(dotted)(ctx)
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("\nDemo data ready. Log in at http://127.0.0.1:8000 with:"))
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<32} {email:<40} password: {DEMO_PASSWORD}")


DEMO_LOGINS = [
    ("Champion (Northfield Academy)", "champion@example.org"),
    ("Staff (Northfield Academy)", "staff@example.org"),
    ("Board secretariat", "secretariat@example.org"),
    ("Board member", "board@example.org"),
    ("Partnership safeguarding lead", "safeguarding.lead@example.org"),
    ("Administrator", "admin@example.org"),
]
