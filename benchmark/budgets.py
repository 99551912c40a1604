"""The performance budgets ``manage.py bench`` checks (2-core machine, large data set)."""

from dataclasses import dataclass

PAGE_MAX_QUERIES = 15
PAGE_P95_MS = 100  # at one client
# Throughput at eight clients as a share of the bare view's (ratio_to_floor_rps): the crowd of a Board
# meeting or an audit deadline is served without the two cores saturating early.
PAGE_MIN_RATIO_TO_FLOOR_RPS = 0.25
WRITE_P95_MS = 150  # logging an incident, saving a page of audit answers, at eight clients
REPORT_MAX_SECONDS = 10
REPORT_MAX_MB = 700
REPORT_MAX_GATHERING_SHARE = 0.30
SWEEP_MAX_SECONDS = 3
SWEEP_MAX_QUERIES = 25
IMPORT_PREVIEW_MAX_SECONDS = 5  # a plan spreadsheet of 2,000 rows, the import's limit

# ``bench --growth``: the large set seeded with four times the history (incidents, audit cycles,
# progress updates, reminders; the same agencies and people), and each of these pages' p95 at one
# client there at most this many times its p95 with the ordinary history: flat as the data grows.
GROWTH_FACTOR = 4
GROWTH_RUNS = 2  # each history measured this many times, alternately; each page keeps its best run
GROWTH_MAX_RATIO = 1.25
GROWTH_PAGES = ("incident monitoring", "audit collation", "action-plan dashboard")  # and every home page


def grows_flat(name: str) -> bool:
    return name in GROWTH_PAGES or name.startswith("home: ")


@dataclass
class Check:
    what: str
    value: float
    limit: float
    unit: str = ""
    # "max": value must not exceed limit; "below": value must be strictly below limit; "min": value
    # must be at least limit.
    rule: str = "max"

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        if self.rule == "below":
            return self.value < self.limit
        if self.rule == "min":
            return self.value >= self.limit
        return self.value <= self.limit

    def as_dict(self) -> dict:
        return {"what": self.what, "value": self.value, "limit": self.limit, "unit": self.unit, "ok": self.ok}


def checks_for(figures: dict) -> list[Check]:
    checks = []
    for key, page in figures["pages"].items():
        checks.append(Check(f"{key}: SQL queries", page["queries"], PAGE_MAX_QUERIES))
        checks.append(Check(f"{key}: p95 at 1 client", page["one_client"]["p95_ms"], PAGE_P95_MS, "ms"))
        checks.append(
            Check(
                f"{key}: p95 at 1 client below the admin changelist's",
                page["one_client"]["p95_ms"],
                page["admin"]["one_client"]["p95_ms"],
                "ms",
                rule="below",
            )
        )
        checks.append(
            Check(
                f"{key}: throughput at 8 clients as a share of the bare view's",
                page["ratio_to_floor_rps"],
                PAGE_MIN_RATIO_TO_FLOOR_RPS,
                rule="min",
            )
        )
    for name, write in figures["writes"].items():
        checks.append(Check(f"{name}: p95 at 8 clients", write["p95_ms"], WRITE_P95_MS, "ms"))
        checks.append(Check(f"{name}: failed requests", write["failures"], 0))
    report = figures["annual_report"]
    checks.append(Check("annual report: time", report["total_seconds"], REPORT_MAX_SECONDS, "s"))
    checks.append(Check("annual report: peak memory", report["peak_memory_mb"], REPORT_MAX_MB, "MB"))
    checks.append(
        Check("annual report: share spent gathering data", report["gathering_share"], REPORT_MAX_GATHERING_SHARE)
    )
    sweep = figures["reminder_sweep"]
    checks.append(Check("reminder sweep: time", sweep["seconds"], SWEEP_MAX_SECONDS, "s"))
    checks.append(Check("reminder sweep: SQL queries", sweep["queries"], SWEEP_MAX_QUERIES))
    preview = figures["import_preview"]
    checks.append(
        Check("import preview of 2,000 rows: slowest", preview["max_seconds"], IMPORT_PREVIEW_MAX_SECONDS, "s")
    )
    return checks


def growth_checks(pages: dict) -> list[Check]:
    """``pages`` maps each page to its p95 at one client with the ordinary and the grown history."""
    return [
        Check(
            f"{name}: p95 at 1 client with {GROWTH_FACTOR}× the history, as a share of it with 1×",
            page["ratio"],
            GROWTH_MAX_RATIO,
        )
        for name, page in pages.items()
    ]
