"""The large data set (``seed_demo --scale large``): its sizes and the bulk helpers each app's ``large.py`` uses.

The large scale builds the ordinary demo first and then adds years of partnership work on top,
so the demo logins see a busy portal. Rows go in with ``bulk_create`` in batches; whatever a
service would have worked out (status histories, versions, flow-chart urgency and referrals,
retention) is set directly by each step.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, User

BATCH_SIZE = 2_000


@dataclass(frozen=True)
class LargeSizes:
    """How much the large scale builds. ``agencies``, ``users`` and ``actions`` are totals; the rest are added."""

    agencies: int = 300
    users: int = 1_500
    years: int = 10  # of annual audit cycles, and of incidents
    incidents: int = 50_000
    actions: int = 1_000  # in the current plan
    progress_updates: int = 10_000
    reminders: int = 5_000

    def with_history(self, factor: int) -> "LargeSizes":
        """``factor`` times the years of work (incidents, audit cycles, progress updates, reminders) of
        the same partnership: the same agencies, people and current plan."""
        return replace(
            self,
            years=self.years * factor,
            incidents=self.incidents * factor,
            progress_updates=self.progress_updates * factor,
            reminders=self.reminders * factor,
        )

    def scaled(self, factor: float, **exact) -> "LargeSizes":
        """Smaller (or larger) sizes, e.g. for a quick check; ``years`` stays as it is."""
        sized = {f.name: max(1, round(getattr(self, f.name) * factor)) for f in fields(self) if f.name != "years"}
        return replace(self, **{**sized, **exact})


FIRST = [
    "Aaliyah",
    "Abdul",
    "Adam",
    "Aisha",
    "Alfie",
    "Alice",
    "Amelia",
    "Amir",
    "Anna",
    "Arjun",
    "Beth",
    "Bilal",
    "Callum",
    "Charlotte",
    "Chloe",
    "Connor",
    "Daisy",
    "Daniel",
    "David",
    "Deborah",
    "Dylan",
    "Eleanor",
    "Elliot",
    "Emily",
    "Erin",
    "Ethan",
    "Faisal",
    "Fatima",
    "Finley",
    "Freya",
    "George",
    "Grace",
    "Hannah",
    "Harriet",
    "Harvey",
    "Hassan",
    "Holly",
    "Imogen",
    "Isaac",
    "Isabel",
    "Jack",
    "Jade",
    "Jasmine",
    "Joel",
    "Jonathan",
    "Joseph",
    "Josh",
    "Kamal",
    "Karen",
    "Kieran",
    "Laura",
    "Leah",
    "Leon",
    "Lewis",
    "Lily",
    "Lucy",
    "Luke",
    "Madison",
    "Mark",
    "Martha",
    "Matthew",
    "Megan",
    "Mia",
    "Mohammed",
    "Molly",
    "Naomi",
    "Nadia",
    "Noah",
    "Oliver",
    "Oscar",
    "Paul",
    "Phoebe",
    "Rachel",
    "Rebecca",
    "Reece",
    "Rhys",
    "Rosie",
    "Ryan",
    "Sadia",
    "Samuel",
    "Sarah",
    "Scarlett",
    "Sean",
    "Sophie",
    "Stephen",
    "Theo",
    "Thomas",
    "Toby",
    "Victoria",
    "Yasmin",
    "Zara",
    "Zoe",
]
LAST = [
    "Abbott",
    "Akhtar",
    "Allen",
    "Atkinson",
    "Bailey",
    "Baker",
    "Barnes",
    "Begum",
    "Bell",
    "Bennett",
    "Bibi",
    "Booth",
    "Bradley",
    "Brown",
    "Burton",
    "Campbell",
    "Carter",
    "Chapman",
    "Clarke",
    "Collins",
    "Cooper",
    "Cox",
    "Davies",
    "Dawson",
    "Edwards",
    "Ellis",
    "Fisher",
    "Fleming",
    "Fox",
    "Graham",
    "Green",
    "Hall",
    "Harris",
    "Hart",
    "Hill",
    "Holmes",
    "Hunt",
    "Hussain",
    "Jackson",
    "Jenkins",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Kennedy",
    "Knight",
    "Lane",
    "Lee",
    "Lewis",
    "Marsh",
    "Marshall",
    "Mason",
    "Matthews",
    "Miah",
    "Mitchell",
    "Moore",
    "Morris",
    "Murphy",
    "Murray",
    "Newton",
    "Osborne",
    "Parker",
    "Patel",
    "Pearson",
    "Phillips",
    "Poole",
    "Powell",
    "Rahman",
    "Reynolds",
    "Richards",
    "Roberts",
    "Robinson",
    "Rose",
    "Shaw",
    "Simpson",
    "Smith",
    "Spencer",
    "Stevens",
    "Taylor",
    "Thomas",
    "Thompson",
    "Townsend",
    "Walker",
    "Ward",
    "Watson",
    "Webb",
    "Wells",
    "White",
    "Wilkinson",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
]


def password_hash(ctx) -> str:
    """The demo password, hashed once for every bulk-made person (hashing is slow on purpose)."""
    if not ctx.password_hash:
        ctx.password_hash = make_password(ctx.password)
    return ctx.password_hash


def person_name(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def new_user(ctx, *, full_name: str, domain: str, job_title: str, joined: datetime.datetime, phone: str = "") -> User:
    """An agency member who logs in with the demo password; the e-mail is made unique with a running number."""
    ctx.user_serial += 1
    local = "".join(c for c in full_name.lower().replace(" ", ".") if c.isalnum() or c == ".")
    return User(
        email=f"{local}.{ctx.user_serial}@{domain}",
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        role=Role.MEMBER,
        password=password_hash(ctx),
        is_active=True,
        date_joined=joined,
    )


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@contextmanager
def given_timestamps(model):
    """Keep the creation and change times set on each row, so history can be dated in the past.

    ``auto_now``/``auto_now_add`` fields would otherwise all become "now" in ``bulk_create``.
    """
    stamped = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk_insert(model, rows: list) -> list:
    """Insert in batches, keeping the timestamps set on the rows; returns the rows with their keys."""
    if not rows:
        return rows
    with given_timestamps(model):
        return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def secretariat(ctx) -> User:
    return ctx.users.get("secretariat") or User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
