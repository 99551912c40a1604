"""Measure the portal at the scale of a large partnership: ``python manage.py bench``.

It runs on a PostgreSQL database of its own (``--database-url``, created when missing and
filled with ``seed_demo --scale large`` the first time), serves the portal the production
way (gunicorn, DEBUG off, whitenoise) and drives it from a separate process with Locust as
logged-in users of each role. See the README's "Performance" section for what it measures.
It prints a short table and one JSON document, and exits with status 1 when a budget is broken.

``--growth`` measures instead how the pages a crowd opens grow with the partnership's history: the
large set with its ordinary history (the same database as a plain run) and with four times as much
(a database of its own, ``<name>_4x``), each page's p95 at one client on both, side by side.
"""

import argparse
import datetime
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import import_module
from pathlib import Path

import environ
import psycopg2
import redis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from accounts import two_factor
from accounts.models import Role, User
from actionplan.models import Plan
from agencies.models import Agency, Membership
from audits.models import EDITABLE_STATUSES, AuditReturn, Cycle, QuestionKind
from benchmark import budgets
from benchmark.scenarios import incident_pages, plan_spreadsheet
from esafety.storage import private_storage
from imports.models import PendingImport
from incidents.models import Incident
from reminders.services import reminders_sweep
from reports.models import AnnualReport
from reports.pdf import html_to_pdf, report_html
from reports.sections import ReportPeriod, gather
from reports.services import annual_report_generate, report_key

CHILD = "ESAFETY_BENCH_SERVER_SIDE"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/esafety_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/13"
CSRF = "b" * 32  # our own token: Django accepts the same secret in the cookie and the header
LARGE_AGENCIES = 300

PERSONAS = {
    "champion": "champion@example.org",
    "staff": "staff@example.org",
    "secretariat": "secretariat@example.org",
    "board": "board@example.org",
    "safeguarding_lead": "safeguarding.lead@example.org",
    "admin": "admin@example.org",
}

WRITERS = 8
IMPORT_ROWS = 2000  # the import's limit
IMPORT_PREVIEWS = 5
THINK_TIME = (0.5, 1.5)


class Command(BaseCommand):
    help = "Measure page speed, SQL queries, the annual report and the reminder sweep against the budgets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
            help="PostgreSQL database to measure on (created and seeded when missing).",
        )
        parser.add_argument("--scale", choices=["large", "demo"], default="large", help="Data set to seed.")
        parser.add_argument("--seconds", type=float, default=5.0, help="Measured seconds per page and client count.")
        parser.add_argument("--write-seconds", type=float, default=30.0, help="Measured seconds per write phase.")
        parser.add_argument(
            "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (2 × cores + 1)."
        )
        parser.add_argument("--output", type=Path, default=Path("bench-results.json"), help="Where to write the JSON.")
        parser.add_argument("--reseed", action="store_true", help="Seed again even when the data is there.")
        parser.add_argument(
            "--growth",
            action="store_true",
            help=f"Compare the crowd's pages with 1× and {budgets.GROWTH_FACTOR}× the history (p95 at one client).",
        )
        parser.add_argument("--history", type=int, default=1, help=argparse.SUPPRESS)
        parser.add_argument("--probe", choices=["report", "layout"], help=argparse.SUPPRESS)
        parser.add_argument("--year", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if os.environ.get(CHILD) != "1":
            if options["growth"]:
                self.growth(options)
            else:
                self.relaunch(options)
        elif options["probe"] == "report":
            self.stdout.write(json.dumps(probe_report(options["year"], options["html"])))
        elif options["probe"] == "layout":
            self.stdout.write(json.dumps(probe_layout(options["html"])))
        elif options["growth"]:
            self.run(options, measure=self.measure_growth_part)
        else:
            self.run(options)

    # --- the outer process: a database of its own, production settings -------------------------

    def relaunch(self, options, *, extra=()):
        url = options["database_url"]
        if not url.startswith("postgres"):
            raise CommandError("The benchmark runs on PostgreSQL: give a postgres:// --database-url.")
        create_database_if_missing(url)
        argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench"]
        for name in ("scale", "seconds", "write_seconds", "workers", "output"):
            argv += [f"--{name.replace('_', '-')}", str(options[name])]
        if options["reseed"]:
            argv.append("--reseed")
        argv += extra
        result = subprocess.run(argv, env=server_environment(url), check=False)  # noqa: S603 - our own command
        if result.returncode:
            sys.exit(result.returncode)

    def growth(self, options):
        """Each history in turn on its own database, then the two side by side against the budget."""
        if options["scale"] != "large":
            raise CommandError("--growth compares histories of the large data set.")
        parts = {1: [], budgets.GROWTH_FACTOR: []}
        with tempfile.TemporaryDirectory() as tmp:
            # The histories in turn, more than once: a busy spell of the machine during one run weighs
            # on one history's figures only, and each page keeps its best run of each history.
            for run in range(1, budgets.GROWTH_RUNS + 1):
                for factor in parts:
                    url = options["database_url"] if factor == 1 else f"{options['database_url']}_{factor}x"
                    part = Path(tmp) / f"growth-{factor}-{run}.json"
                    self.say(f"History ×{factor} on {_database_name(url)} (run {run} of {budgets.GROWTH_RUNS})")
                    self.relaunch(
                        {**options, "database_url": url, "output": part},
                        extra=["--growth", "--history", str(factor)],
                    )
                    parts[factor].append(json.loads(part.read_text()))
        figures = growth_figures(best_run(parts[1]), best_run(parts[budgets.GROWTH_FACTOR]))
        checks = budgets.growth_checks(figures["pages"])
        figures["budgets"] = [check.as_dict() for check in checks]
        figures["all_budgets_met"] = all(check.ok for check in checks)
        options["output"].write_text(json.dumps(figures, indent=2))
        out = self.stdout
        factor = budgets.GROWTH_FACTOR
        out.write(f"\n{'page (p95 at 1 client, ms)':<34}{'1×':>8}{f'{factor}×':>8}{'ratio':>8}")
        for name, page in figures["pages"].items():
            out.write(f"{name:<34}{page['p95_ms_1x']:>8}{page[f'p95_ms_{factor}x']:>8}{page['ratio']:>8}")
        out.write(f"rows 1×: {figures['rows'][1]}\nrows {factor}×: {figures['rows'][factor]}")
        broken = [check for check in checks if not check.ok]
        out.write(f"\n{len(checks) - len(broken)} of {len(checks)} budgets met.")
        for check in broken:
            out.write(self.style.ERROR(f"  BROKEN {check.what}: {check.value} (limit {check.limit})"))
        out.write(json.dumps(figures, indent=2))
        if broken:
            sys.exit(1)

    # --- the inner process: on the benchmark database -------------------------------------------

    def run(self, options, measure=None):
        broker = redis.Redis.from_url(settings.REDIS_URL)
        try:
            broker.ping()
        except redis.RedisError as error:
            raise CommandError(f"The benchmark needs Redis at {settings.REDIS_URL} ({error}).") from error
        try:
            (measure or self.measure)(options)
        finally:
            broker.flushdb()  # the e-mails and tasks the run queued: nobody is to receive them
            cache.clear()

    def measure(self, options):
        figures = {"scale": options["scale"], "gunicorn_workers": options["workers"], "cores": os.cpu_count()}
        figures["seed_seconds"] = self.prepare(options)
        figures["rows"] = row_counts()
        sessions = Sessions()
        pages = main_pages()
        self.say("Counting SQL queries per page")
        # By address and person: every home page is "/", and each role's is a different page.
        counts = {
            (target["url"], target["as"]): count_queries(target["url"], sessions.client(target["as"]))
            for target in all_targets(pages)
        }
        self.say("One reminder sweep over the whole data set")
        figures["reminder_sweep"] = measure_sweep()
        self.say(f"Previewing a {IMPORT_ROWS:,}-row plan spreadsheet")
        figures["import_preview"] = measure_import_preview(sessions.client("secretariat"))
        year = largest_year()
        self.say(f"Annual report for {year}")
        figures["annual_report"] = measure_report(year)
        self.say(f"Serving with gunicorn ({options['workers']} workers) and driving it with Locust")
        load = self.drive(pages, sessions, options)
        figures["floor"] = {**load[("floor", 1)], "queries": counts[(FLOOR["url"], FLOOR["as"])], "url": FLOOR["url"]}
        figures["pages"] = page_figures(pages, load, counts)
        figures["writes"] = {name: load[(name, WRITERS)] for name in write_names(load)}
        figures["write_phase"] = {"clients": WRITERS, "think_time_seconds": list(THINK_TIME)}
        checks = budgets.checks_for(figures)
        figures["budgets"] = [check.as_dict() for check in checks]
        figures["all_budgets_met"] = all(check.ok for check in checks)
        options["output"].write_text(json.dumps(figures, indent=2))
        self.print_table(figures, checks)
        self.stdout.write(json.dumps(figures, indent=2))
        if not figures["all_budgets_met"]:
            sys.exit(1)

    def measure_growth_part(self, options):
        """One history: the crowd's pages at one client, each in turn (written to ``--output``)."""
        figures = {"history": options["history"], "gunicorn_workers": options["workers"]}
        figures["seed_seconds"] = self.prepare(options)
        figures["rows"] = row_counts()
        cache.clear()  # what a run before this one left is not this history's
        sessions = Sessions()
        pages = [page for page in main_pages() if budgets.grows_flat(page["name"])]
        phases = [
            {
                "label": f"{page['name']} at 1 (history ×{options['history']})",
                "kind": "page",
                "name": page["name"],
                "url": page["url"],
                "as": page["as"],
                "users": 1,
                "warmup": 0.5,
                "seconds": options["seconds"],
            }
            for page in pages
        ]
        results = self.run_load(pages, sessions, options, phases)
        figures["pages"] = {
            phase["name"]: {"url": phase["url"], **phase["results"].get(phase["name"], empty_result())}
            for phase in results
        }
        options["output"].write_text(json.dumps(figures, indent=2))

    def say(self, text):
        self.stderr.write(f"bench: {text}")

    def run_load(self, targets, sessions, options, phases, extra_sessions=None) -> list:
        """Serve the portal with gunicorn and run the phases with Locust: each phase's results."""
        plan = {
            "host": "",
            "sessions": {role: [sessions.cookie(role)] for role in {t["as"] for t in targets}},
            "phases": phases,
            "warm": [{"url": t["url"], "as": t["as"]} for t in targets],
            "warm_requests": 3 * options["workers"],
        }
        plan["sessions"].update(extra_sessions or {})
        with tempfile.TemporaryDirectory() as tmp, Gunicorn(options["workers"], Path(tmp)) as server:
            plan["host"] = server.host
            plan_path, results_path = Path(tmp) / "plan.json", Path(tmp) / "results.json"
            plan_path.write_text(json.dumps(plan))
            subprocess.run(  # noqa: S603 - our own load generator
                [sys.executable, "-m", "benchmark.load", str(plan_path), str(results_path)],
                cwd=settings.BASE_DIR,
                check=True,
            )
            return json.loads(results_path.read_text())

    def prepare(self, options) -> float:
        call_command("migrate", verbosity=0)
        # Before seeding: the demo builds last year's annual report, whose PDF reads the collected styles.
        call_command("collectstatic", interactive=False, verbosity=0)
        seeded = Agency.objects.count() >= LARGE_AGENCIES if options["scale"] == "large" else User.objects.exists()
        took = 0.0
        if options["reseed"] or not seeded:
            self.say(f"Seeding the {options['scale']} data set (once per database)")
            started = time.monotonic()
            call_command(
                "seed_demo",
                scale=options["scale"],
                history=options["history"],
                stdout=open(os.devnull, "w"),  # noqa: SIM115
            )
            took = round(time.monotonic() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics as a running database keeps them
        return took

    def drive(self, pages, sessions, options) -> dict:
        writers = write_sessions(sessions)
        phases = []
        admin_person = sessions.cookie("admin")
        for page in pages:
            # At one client, each page is measured in turn with its admin changelist (twice the time,
            # half of it each), so a slower or busier spell of the machine weighs on both alike.
            phases.append(
                {
                    "label": f"{page['name']} beside admin {page['admin']} at 1",
                    "kind": "pair",
                    "name": page["name"],
                    "url": page["url"],
                    "as": page["as"],
                    "admin_name": paired_admin_name(page),
                    "admin_url": page["admin"],
                    "admin_person": admin_person,
                    "users": 1,
                    "warmup": 0.5,
                    "seconds": 2 * options["seconds"],
                }
            )
        for target in all_targets(pages):
            for users in (1, WRITERS) if target is FLOOR else (WRITERS,):
                phases.append(
                    {
                        "label": f"{target['name']} at {users}",
                        "kind": "page",
                        "name": target["name"],
                        "url": target["url"],
                        "as": target["as"],
                        "users": users,
                        "warmup": 0.5,
                        "seconds": options["seconds"],
                    }
                )
        for kind, sessions_key in (("incident", "incident_writers"), ("answers", "answer_writers")):
            phases.append(
                {
                    "label": f"{kind} writes at {WRITERS}",
                    "kind": kind,
                    "as": sessions_key,
                    "users": WRITERS,
                    "warmup": 2,
                    "seconds": options["write_seconds"],
                    "think_time": list(THINK_TIME),
                    "pages": incident_pages(),
                }
            )
        results = self.run_load(
            all_targets(pages),
            sessions,
            options,
            phases,
            extra_sessions={"incident_writers": writers["incident"], "answer_writers": writers["answers"]},
        )
        load = {}
        for phase in results:
            if phase["kind"] == "page":
                load[(phase["name"], phase["users"])] = phase["results"].get(phase["name"], empty_result())
            elif phase["kind"] == "pair":
                for name in (phase["name"], phase["admin_name"]):
                    load[(name, 1)] = phase["results"].get(name, empty_result())
            else:
                for name, figures in phase["results"].items():
                    load[(name, phase["users"])] = figures
        return load

    def print_table(self, figures, checks):
        out = self.stdout
        out.write(
            f"\n{'page':<34}{'queries':>8}{'p50@1':>8}{'p95@1':>8}{'rps@8':>8}{'p95@8':>8}{'×admin':>8}{'×floor':>8}"
        )
        for key, page in figures["pages"].items():
            one, eight = page["one_client"], page["eight_clients"]
            out.write(
                f"{key:<34}{page['queries']:>8}{one['median_ms']:>8}{one['p95_ms']:>8}"
                f"{eight['requests_per_second']:>8}{eight['p95_ms']:>8}"
                f"{page['ratio_to_admin_p95']:>8}{page['ratio_to_floor_p95']:>8}"
            )
        floor = figures["floor"]
        out.write(f"{'(floor: a bare view)':<34}{floor['queries']:>8}{floor['median_ms']:>8}{floor['p95_ms']:>8}")
        for name, write in figures["writes"].items():
            out.write(
                f"{name:<34}{'':>8}{write['median_ms']:>8}{'':>8}{write['requests_per_second']:>8}{write['p95_ms']:>8}"
            )
        report, sweep, preview = figures["annual_report"], figures["reminder_sweep"], figures["import_preview"]
        out.write(
            f"\nimport preview of {preview['rows']:,} rows: {preview['median_seconds']} s median, "
            f"{preview['max_seconds']} s slowest of {preview['runs']} (upload {preview['upload_seconds']} s)"
        )
        out.write(
            f"\nannual report {report['year']}: {report['total_seconds']} s, {report['peak_memory_mb']} MB peak, "
            f"layout alone {report['layout_seconds']} s (gathering {report['gathering_share']:.0%}), "
            f"{report['pages']} pages"
        )
        out.write(
            f"reminder sweep on {sweep['day']}: {sweep['seconds']} s, {sweep['queries']} queries, {sweep['due']} due"
        )
        broken = [check for check in checks if not check.ok]
        out.write(f"\n{len(checks) - len(broken)} of {len(checks)} budgets met.")
        for check in broken:
            out.write(
                self.style.ERROR(f"  BROKEN {check.what}: {check.value}{check.unit} (limit {check.limit}{check.unit})")
            )
        out.write("")


# --- the data and the people ------------------------------------------------------------------


def server_environment(database_url: str) -> dict:
    return {
        **os.environ,
        CHILD: "1",
        "DJANGO_SETTINGS_MODULE": "esafety.settings_bench",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # As in production, the web tier only queues background work (e-mails, reports) on the broker;
        # no worker runs, and the queue is emptied when the run ends.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        # The cache the web workers share, as in docker-compose.yml (emptied when the run ends too).
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
        "PRIVATE_MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "esafety-bench-media"),
        # Static files collected for the measured server, apart from the checkout's own staticfiles/
        # (which a running portal or test may be reading while the benchmark collects).
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / f"esafety-bench-static-{_database_name(database_url)}"),
        "LOG_LEVEL": "WARNING",
    }


def _database_name(url: str) -> str:
    return environ.Env.db_url_config(url)["NAME"]


def create_database_if_missing(url: str) -> None:
    config = environ.Env.db_url_config(url)
    dsn = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config.get("PASSWORD"):
        dsn["password"] = config["PASSWORD"]
    admin = psycopg2.connect(dbname="postgres", **{k: v for k, v in dsn.items() if v})
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    finally:
        admin.close()


def row_counts() -> dict:
    from actionplan.models import Action, ProgressUpdate
    from audits.models import Answer
    from reminders.models import Reminder

    models = {
        "agencies": Agency,
        "users": User,
        "audit_cycles": Cycle,
        "audit_returns": AuditReturn,
        "audit_answers": Answer,
        "incidents": Incident,
        "actions": Action,
        "progress_updates": ProgressUpdate,
        "reminders": Reminder,
    }
    return {name: model.objects.count() for name, model in models.items()}


class Sessions:
    """Logged-in sessions made on the server side, with the second factor already proved."""

    def __init__(self):
        self.users = {role: User.objects.get(email=email) for role, email in PERSONAS.items()}
        self.keys = {}

    def key_for(self, user) -> str:
        if user.pk not in self.keys:
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[two_factor.SESSION_KEY] = two_factor.State.VERIFIED
            store.create()
            self.keys[user.pk] = store.session_key
        return self.keys[user.pk]

    def cookie(self, role: str, **extra) -> dict:
        return {"session": self.key_for(self.users[role]), "csrf": CSRF, **extra}

    def client(self, role: str) -> Client:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.key_for(self.users[role])
        return client


# What each role's home page would be in the admin: the changelist of what that person comes to see.
HOME_COUNTERPARTS = {
    "champion": "audits/auditreturn/",
    "staff": "incidents/incident/",
    "secretariat": "audits/auditreturn/",
    "board": "actionplan/action/",
    "safeguarding_lead": "incidents/incident/",
    "admin": "accounts/user/",
}
FLOOR = {"name": "floor", "url": "/bench/floor/", "as": "champion"}


def main_pages() -> list[dict]:
    """Each main page, who looks at it, and the admin changelist of the same model."""
    cycle = Cycle.objects.annotate(n=Count("returns")).order_by("-n", "-year").first()
    plan = Plan.objects.annotate(n=Count("actions")).order_by("-n").first()
    if cycle is None or plan is None:
        raise CommandError("The data set has no audit cycle or action plan: run seed_demo first.")
    admin_index = "/bench/admin/"
    pages = [
        {"name": f"home: {role}", "url": "/", "as": role, "admin": changelist}
        for role, changelist in HOME_COUNTERPARTS.items()
    ]
    pages += [
        {"name": "agency list", "url": "/agencies/", "as": "secretariat", "admin": "agencies/agency/"},
        {"name": "champions list", "url": "/champions/", "as": "secretariat", "admin": "champions/nomination/"},
        {
            "name": "audit collation",
            "url": f"/audits/cycles/{cycle.pk}/collation/",
            "as": "secretariat",
            "admin": "audits/answer/",
        },
        {"name": "incident list", "url": "/incidents/", "as": "safeguarding_lead", "admin": "incidents/incident/"},
        {
            "name": "incident monitoring",
            "url": "/incidents/monitoring/",
            "as": "secretariat",
            "admin": "incidents/incident/",
        },
        {
            "name": "action-plan dashboard",
            "url": f"/action-plan/plans/{plan.pk}/",
            "as": "secretariat",
            "admin": "actionplan/action/",
        },
        {
            "name": "action-plan table",
            "url": f"/action-plan/plans/{plan.pk}/table/",
            "as": "board",
            "admin": "actionplan/action/",
        },
        {"name": "report list", "url": "/reports/", "as": "board", "admin": "reports/annualreport/"},
    ]
    for page in pages:
        if not page["admin"].startswith("/"):
            page["admin"] = admin_index + page["admin"]
    return pages


def admin_targets(pages) -> list[dict]:
    urls = sorted({page["admin"] for page in pages})
    return [{"name": f"admin {url}", "url": url, "as": "admin"} for url in urls]


def all_targets(pages) -> list[dict]:
    return [*pages, *admin_targets(pages), FLOOR]


def count_queries(url: str, client: Client) -> int:
    """The page's queries when it works out its figures (the most it makes: asked again with nothing
    changed, a page reads its figures from the cache)."""
    client.get(url)  # the first request fills per-process caches, as a running server has
    cache.clear()  # but not the figures: they are counted, as after a write
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}, not 200.")
    return len(queries)


def paired_admin_name(page) -> str:
    return f"admin {page['admin']} beside {page['name']}"


def page_figures(pages, load, counts) -> dict:
    figures = {}
    floor = load[("floor", 1)]
    for page in pages:
        one, eight = load[(page["name"], 1)], load[(page["name"], WRITERS)]
        admin = {
            "url": page["admin"],
            "queries": counts[(page["admin"], "admin")],
            "one_client": load[(paired_admin_name(page), 1)],
            "eight_clients": load[(f"admin {page['admin']}", WRITERS)],
        }
        figures[page["name"]] = {
            "url": page["url"],
            "role": page["as"],
            "queries": counts[(page["url"], page["as"])],
            "one_client": one,
            "eight_clients": eight,
            "admin": admin,
            "ratio_to_admin_p95": ratio(one["p95_ms"], admin["one_client"]["p95_ms"]),
            "ratio_to_admin_rps": ratio(eight["requests_per_second"], admin["eight_clients"]["requests_per_second"]),
            "ratio_to_floor_p95": ratio(one["p95_ms"], floor["p95_ms"]),
            "ratio_to_floor_rps": ratio(eight["requests_per_second"], load[("floor", WRITERS)]["requests_per_second"]),
        }
    return figures


def ratio(value, base) -> float | None:
    return round(value / base, 2) if base else None


def empty_result() -> dict:
    return {"requests": 0, "failures": 0, "median_ms": 0, "p95_ms": 0, "requests_per_second": 0}


def write_names(load) -> list[str]:
    return sorted({name for (name, users) in load if name.startswith(("incident:", "audit:"))})


def write_sessions(sessions: Sessions) -> dict:
    """Eight members of staff of different agencies, and eight champions with a return to fill in."""
    staff = (
        Membership.objects.filter(ended_at__isnull=True, user__is_active=True, agency__archived_at__isnull=True)
        .order_by("agency_id", "pk")
        .distinct("agency_id")
        .select_related("user")[:WRITERS]
    )
    incident_writers = [{"session": sessions.key_for(m.user), "csrf": CSRF, "agency": m.agency_id} for m in staff]
    answer_writers = []
    returns = (
        AuditReturn.objects.filter(status__in=EDITABLE_STATUSES)
        .select_related("agency", "cycle__template_version")
        .order_by("-cycle__year", "pk")
    )
    for audit_return in returns:
        champion = audit_return.agency.nominations.filter(ended_on__isnull=True, user__is_active=True).first()
        if champion is None or not audit_return.is_open_for_answers:
            continue
        section = audit_return.cycle.template_version.sections.order_by("order").first()
        answers = {}
        for question in section.questions.all():
            answers[f"q_{question.pk}"] = answer_value(question)
            answers[f"c_{question.pk}"] = "Checked during the benchmark."
        answer_writers.append(
            {
                "session": sessions.key_for(champion.user),
                "csrf": CSRF,
                "version": audit_return.version,
                "section_url": f"/audits/returns/{audit_return.pk}/sections/{section.key}/",
                "answers": answers,
            }
        )
        if len(answer_writers) == WRITERS:
            break
    if not incident_writers or not answer_writers:
        raise CommandError("The data set has no staff to log incidents or no open audit return to fill in.")
    return {"incident": incident_writers, "answers": answer_writers}


def answer_value(question) -> str:
    return {
        QuestionKind.YES_NO: "yes",
        QuestionKind.DATE: timezone.localdate().isoformat(),
        QuestionKind.PERSON: "A named manager",
        QuestionKind.LEVEL: "3",
    }.get(question.kind, "Reviewed this year.")


# --- the annual report and the reminder sweep ---------------------------------------------------


def largest_year() -> int:
    by_year = (
        Incident.objects.filter(occurred_on__year__lt=timezone.localdate().year + 1)
        .annotate(year=ExtractYear("occurred_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    return by_year["year"] if by_year else timezone.localdate().year


def best_run(runs: list[dict]) -> dict:
    """One history's runs as one: each page's figures from the run where its p95 was lowest."""
    best = {**runs[0], "pages": {}}
    for name in runs[0]["pages"]:
        measured = [run["pages"][name] for run in runs if run["pages"].get(name, {}).get("p95_ms") is not None]
        best["pages"][name] = min(measured, key=lambda page: page["p95_ms"]) if measured else runs[0]["pages"][name]
    return best


def growth_figures(one: dict, grown: dict) -> dict:
    """The two histories' p95 at one client side by side, page by page."""
    factor = budgets.GROWTH_FACTOR
    pages = {}
    for name, page in one["pages"].items():
        before, after = page["p95_ms"], grown["pages"].get(name, empty_result())["p95_ms"]
        pages[name] = {
            "url": page["url"],
            "p95_ms_1x": before,
            f"p95_ms_{factor}x": after,
            "ratio": ratio(after, before),
        }
    return {"factor": factor, "rows": {1: one["rows"], factor: grown["rows"]}, "pages": pages}


def measure_report(year: int) -> dict:
    """Generate the year's report in a process of its own (for a true peak), then lay out its HTML alone."""
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        full = run_probe(["--probe", "report", "--year", str(year), "--html", str(html)])
        layout = run_probe(["--probe", "layout", "--html", str(html)])
    return {
        "year": year,
        **full,
        "layout_seconds": layout["seconds"],
        "layout_peak_memory_mb": layout["peak_memory_mb"],
        "gathering_share": round(1 - layout["seconds"] / full["total_seconds"], 3),
    }


def run_probe(args) -> dict:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise CommandError(f"The report probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def probe_report(year: int, html_path: Path) -> dict:
    """The real task body (gather, render, lay out, store), timed; the row and file removed after."""
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
    latest = AnnualReport.objects.filter(year=year).order_by("-version").values_list("version", flat=True).first()
    report = AnnualReport.objects.create(year=year, version=(latest or 0) + 1, generated_by=secretariat)
    started = time.perf_counter()
    report = annual_report_generate(report_id=report.pk)
    total = time.perf_counter() - started
    figures = {
        "total_seconds": round(total, 2),
        "peak_memory_mb": peak_memory_mb(),
        "pages": report.pages,
        "bytes": report.size,
    }
    html_path.write_text(report_html({**gather(ReportPeriod(year)), "report": report}))
    private_storage().delete(report_key(report))
    report.delete()
    return figures


def probe_layout(html_path: Path) -> dict:
    html = html_path.read_text()
    started = time.perf_counter()
    html_to_pdf(html)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_memory_mb": peak_memory_mb()}


def measure_sweep() -> dict:
    """One sweep of every reminder rule a week from today, in a transaction rolled back after.

    The data set's reminder log already holds today's reminders, so a sweep today would find
    nothing new; a week on, every weekly chaser (overdue actions and returns) falls due again,
    so the sweep records and renders real reminders, and each run measures the same work.
    """
    day = timezone.localdate() + datetime.timedelta(days=7)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            pending = reminders_sweep(today=day)
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"day": day.isoformat(), "seconds": round(seconds, 3), "queries": len(queries), "due": len(pending)}


def measure_import_preview(client: Client) -> dict:
    """The secretariat uploads a plan spreadsheet of the import's limit and opens its preview.

    The preview reads the whole file, matches every row and works out what would change without
    writing: that request is what a person waits for before confirming. Nothing is imported; the
    uploaded file is removed after.
    """
    plan = Plan.objects.annotate(n=Count("actions")).order_by("-n").first()
    data = plan_spreadsheet(IMPORT_ROWS)
    upload = SimpleUploadedFile("plan-of-2000-rows.csv", data, content_type="text/csv")
    started = time.perf_counter()
    response = client.post(reverse("imports:upload", args=["actionplan", plan.pk]), {"file": upload})
    upload_seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise CommandError(f"The plan spreadsheet was not taken ({response.status_code}).")
    pending = PendingImport.objects.get(pk=resolve(response["Location"]).kwargs["pk"])  # its columns page
    seconds = []
    try:
        for _ in range(IMPORT_PREVIEWS):
            started = time.perf_counter()
            response = client.get(reverse("imports:preview", args=[pending.pk]))
            seconds.append(time.perf_counter() - started)
            if response.status_code != 200 or f"<strong>{IMPORT_ROWS:,}</strong>" not in response.content.decode():
                raise CommandError(f"The preview did not count {IMPORT_ROWS:,} new actions.")
    finally:
        pending.delete()
    return {
        "rows": IMPORT_ROWS,
        "runs": IMPORT_PREVIEWS,
        "upload_seconds": round(upload_seconds, 2),
        "median_seconds": round(statistics.median(seconds), 2),
        "max_seconds": round(max(seconds), 2),
    }


# --- the server ----------------------------------------------------------------------------------


class Gunicorn:
    """The portal served as in production, on a free port, for as long as the block lasts."""

    def __init__(self, workers: int, tmp: Path):
        self.workers = workers
        self.log = tmp / "gunicorn.log"

    def __enter__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.host = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our own environment
            [
                sys.executable,
                "-m",
                "gunicorn",
                "esafety.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
            ],
            cwd=settings.BASE_DIR,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.host}/health/", timeout=2) as response:  # noqa: S310 - localhost
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}") from None
                time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        errors = re.findall(r"^.*(?:Traceback|Internal Server Error).*$", self.log.read_text(), re.MULTILINE)
        if errors:
            sys.stderr.write("bench: the server logged errors:\n" + "\n".join(errors[:10]) + "\n")
