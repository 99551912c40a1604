"""The open-data feed of the incident monitoring figures the partnership publishes.

Version 1 of the feed: for every complete calendar quarter, and every complete calendar year, the
figures of the monitoring page (incidents by area of risk, category, agency sector, age band of the
children involved, referral and outcome), suppressed exactly as the page suppresses them. The
figures of a year and of its quarters are published side by side, so they protect each other: when
any of them is suppressed, every other count of 5 or more among them is rounded to 5.

Five aggregate queries whatever the number of incidents or periods. The shape of version 1 never
changes: new fields mean a version 2 at a new address, and ``FIELDS`` documents every field.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractQuarter, ExtractYear

from incidents import access, areas
from incidents.models import Incident, PersonInvolved, PersonRole, Referral
from incidents.selectors import (
    HIDDEN,
    SMALL,
    THRESHOLD,
    day_starts,
    figure_cells,
    figures_from_counts,
    protect_together,
    quarter_of,
)

VERSION = "1"
NAME = "incident-figures"

# (field, meaning) for every column of the CSV and every key of the JSON's rows.
FIELDS = [
    ("feed_version", "The version of the feed's format: always 1 at this address."),
    ("period_type", "quarter or year."),
    ("period", "The calendar period: 2025-Q3 for July to September 2025, 2025 for the whole year."),
    ("period_start", "The first day of the period (ISO 8601 date)."),
    ("period_end", "The last day of the period (ISO 8601 date)."),
    (
        "measure",
        "What the rows count: incidents (all incidents reported), area (KCSIE area of risk), category, sector "
        "(of the reporting agency), age_band (children and young people involved, one per child), referral "
        "(incidents referred to each agency; an incident may go to more than one) or outcome.",
    ),
    ("code", "The stable code of the row within its measure (for example grooming); 'total' for the measure's total."),
    ("label", "The row's name as the portal shows it."),
    ("area", "For a category: the code of its area of risk (content, contact, conduct or commerce); else empty."),
    (
        "value",
        "The number to use: the count when it is exact, the count rounded to the nearest 5 when it is rounded; "
        "empty when it is suppressed.",
    ),
    ("shown", "The figure exactly as the monitoring page shows it: a number, 'about 15', '<5' or 'hidden'."),
    (
        "status",
        "exact; rounded (to the nearest 5, because something published with it is suppressed); fewer_than_5 "
        "(a count from 1 to 4); or hidden (a second count suppressed so that a small one cannot be worked out).",
    ),
]
COLUMNS = [name for name, _meaning in FIELDS]
SUPPRESSION = (
    f"Counts from 1 to {THRESHOLD - 1} are shown as '<5'. Where a table has a single such count, its next smallest "
    "count is hidden too. Totals over suppressed counts, and every other count published with a suppressed one "
    "(a year and its quarters are published together), are rounded to the nearest 5."
)


def _status(cell) -> tuple[int | None, str]:
    if cell.shown == SMALL:
        return None, "fewer_than_5"
    if cell.shown == HIDDEN:
        return None, "hidden"
    return cell.published, "rounded" if cell.shown.startswith("about ") else "exact"


def _cell(cell) -> dict:
    value, status = _status(cell)
    return {"value": value, "shown": cell.shown, "status": status}


def _grouped(queryset, field: str, *, prefix: str = "", distinct: str | None = None) -> dict:
    """(year, quarter) -> {code: count}, in one query."""
    aggregate = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = (
        queryset.annotate(y=ExtractYear(f"{prefix}reported_at"), q=ExtractQuarter(f"{prefix}reported_at"))
        .values("y", "q", field)
        .annotate(n=aggregate)
        .order_by()
    )
    found: dict = defaultdict(dict)
    for row in rows:
        found[(row["y"], row["q"])][row[field]] = row["n"]
    return found


def _quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    return quarter_of(datetime.date(year, 3 * quarter - 2, 1))


def _add(into: dict, counts: dict) -> None:
    for code, n in counts.items():
        into[code] = into.get(code, 0) + n


def published_periods(*, today: datetime.date) -> list[dict]:
    """Every complete quarter and year since the first incident, oldest first, each with its figures."""
    current_quarter_start, _ = quarter_of(today)
    submitted = Incident.objects.filter(
        status__in=access.SUBMITTED, reported_at__lt=day_starts(current_quarter_start)
    ).order_by()
    counts = {
        "by_category": _grouped(submitted, "category"),
        "by_sector": _grouped(submitted, "agency__sector"),
        "by_outcome": _grouped(submitted, "outcome"),
        "by_age": _grouped(
            PersonInvolved.objects.filter(incident__in=submitted, role=PersonRole.CHILD, removed_at__isnull=True),
            "age_band",
            prefix="incident__",
        ),
        "by_referral": _grouped(
            Referral.objects.filter(incident__in=submitted, referred_on__isnull=False),
            "agency_type",
            prefix="incident__",
            distinct="incident",
        ),
    }
    seen = {key for found in counts.values() for key in found}
    if not seen:
        return []
    first_year = min(year for year, _q in seen)
    periods = []
    for year in range(first_year, current_quarter_start.year + 1):
        quarters = [q for q in (1, 2, 3, 4) if _quarter_dates(year, q)[1] < current_quarter_start]
        year_counts: dict = {name: {} for name in counts}
        unit = []
        for quarter in quarters:
            start, end = _quarter_dates(year, quarter)
            these = {name: found.get((year, quarter), {}) for name, found in counts.items()}
            for name, found in these.items():
                _add(year_counts[name], found)
            figures = figures_from_counts(start=start, end=end, **these)
            unit.append({"type": "quarter", "period": f"{year}-Q{quarter}", "figures": figures})
        if len(quarters) == 4:
            figures = figures_from_counts(
                start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), **year_counts
            )
            unit.append({"type": "year", "period": str(year), "figures": figures})
        protect_together([cell for period in unit for cell in figure_cells(period["figures"])])
        periods.extend(unit)
    return periods


def rows(periods: list[dict]):
    """The feed as flat rows (dicts keyed by ``COLUMNS``), for the CSV."""
    for period in periods:
        figures = period["figures"]
        base = {
            "feed_version": VERSION,
            "period_type": period["type"],
            "period": period["period"],
            "period_start": figures["start"].isoformat(),
            "period_end": figures["end"].isoformat(),
        }
        total = figures["total"]
        yield {
            **base,
            "measure": "incidents",
            "code": "total",
            "label": "Incidents reported",
            "area": "",
            **_cell(total),
        }
        for breakdown in figures["breakdowns"]:
            measure = breakdown.key
            for code, (label, cell) in zip(breakdown.codes, breakdown.rows, strict=True):
                area = areas.area_of(code) if breakdown.key == "category" else ""
                yield {
                    **base,
                    "measure": measure,
                    "code": code or "not_closed",
                    "label": label,
                    "area": area,
                    **_cell(cell),
                }
            yield {
                **base,
                "measure": measure,
                "code": "total",
                "label": breakdown.total_label,
                "area": "",
                **_cell(breakdown.total),
            }


def as_json(periods: list[dict], *, publisher: str, documentation: str, today: datetime.date) -> dict:
    """The feed as one JSON document: the periods, each with its measures and their rows."""
    return {
        "feed": NAME,
        "version": VERSION,
        "publisher": publisher,
        "generated_on": today.isoformat(),
        "documentation": documentation,
        "suppression": SUPPRESSION,
        "areas_of_risk_source": areas.SOURCE,
        "periods": [
            {
                "period_type": period["type"],
                "period": period["period"],
                "period_start": period["figures"]["start"].isoformat(),
                "period_end": period["figures"]["end"].isoformat(),
                "incidents": _cell(period["figures"]["total"]),
                "measures": [
                    {
                        "measure": breakdown.key,
                        "title": breakdown.title,
                        "rows": [
                            {
                                "code": code or "not_closed",
                                "label": label,
                                **({"area": areas.area_of(code)} if breakdown.key == "category" else {}),
                                **_cell(cell),
                            }
                            for code, (label, cell) in zip(breakdown.codes, breakdown.rows, strict=True)
                        ],
                        "total": {"label": breakdown.total_label, **_cell(breakdown.total)},
                    }
                    for breakdown in period["figures"]["breakdowns"]
                ],
            }
            for period in periods
        ],
    }
