"""Reads about incidents: lists, the incident page, and the anonymised monitoring figures."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Case, Count, F, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, ExtractQuarter
from django.utils import timezone

from activity.models import Action, ActivityEvent
from agencies.models import Sector
from esafety import figures as figure_cache
from incidents import access, areas
from incidents.models import (
    AgeBand,
    Incident,
    Outcome,
    PersonInvolved,
    PersonRole,
    Referral,
    ReferralAgency,
    Status,
)


def outstanding_referrals():
    """How many of an incident's required referrals are not made or have no outcome yet.

    A subquery, so that a list computes it only for the rows it shows (a join and GROUP BY would
    count the referrals of every incident before taking a page, and again to count the pages).
    """
    referrals = (
        Referral.objects.filter(incident=OuterRef("pk"), required=True)
        .filter(Q(referred_on__isnull=True) | Q(outcome=""))
        .order_by()
        .values("incident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(referrals), 0)


# What the incident list shows (incidents.tables): an incident's narrative and answers stay in the database.
LIST_FIELDS = [
    "pk",
    "reported_at",
    "urgent",
    "category",
    "status",
    "concern_level",
    "agency_name",
    "outstanding_referrals",
]


def incident_list(user):
    """The incidents the user may see, as the values the list shows (and only those): one query per page."""
    return (
        access.visible_incidents(user)
        .annotate(agency_name=F("agency__name"), outstanding_referrals=outstanding_referrals())
        .values(*LIST_FIELDS)
    )


def incident_views(incident: Incident):
    """Who opened the incident, read from the audit trail (where views are kept, out of anyone's reach)."""
    return ActivityEvent.objects.filter(
        action=Action.INCIDENT_VIEWED, object_type=Incident._meta.label, object_id=str(incident.pk)
    ).order_by()


def incident_page(*, incident: Incident, user) -> dict:
    """Everything the incident page shows, in a fixed handful of queries."""
    handles = access.handles(user, incident)
    people = list(incident.people.filter(removed_at__isnull=True))
    referrals = list(incident.referrals.select_related("escalated_to"))
    chronology = list(incident.chronology.select_related("by"))
    viewers = (
        list(
            incident_views(incident)
            .values(name=F("actor__full_name"), job_title=F("actor__job_title"))
            .annotate(times=Count("pk"), first=Min("at"), last=Max("at"))
            .order_by("-last")
        )
        if handles
        else []
    )
    assessment = incident.assessment()
    return {
        "incident": incident,
        "assessment": assessment,
        "people": people,
        "referrals": referrals,
        "outstanding": [r for r in referrals if r.required and not r.is_complete],
        "chronology": chronology,
        "viewers": viewers,
        "handles": handles,
        "lead_referrals": [r for r in referrals if r.escalated_to_id == user.pk],
        "is_reporter": incident.reporter_id == user.pk,
    }


def history_page(incident: Incident) -> list:
    return list(incident.history.select_related("by"))


# --- home ----------------------------------------------------------------------------------


def reporter_drafts(user):
    return Incident.objects.filter(reporter=user, status=Status.DRAFT).select_related("agency").order_by("-updated_at")


def reporter_recent(user, limit: int = 5):
    return (
        # Rows a champion brought in from their agency's log are not reports they made.
        Incident.objects.filter(reporter=user, status__in=access.SUBMITTED, imported_from="")
        .select_related("agency")
        .order_by("-reported_at")[:limit]
    )


DRAFTS_ON_HOME = 20


def reporter_home(user) -> tuple[list[Incident], bool, list[Incident]]:
    """The reporter's latest drafts (and whether there are more than shown) and their latest reports: one query."""
    # Each list's ids are a LIMITed subquery and both are read in one query. A UNION of sliced querysets
    # would do the same on PostgreSQL, but SQLite refuses LIMIT inside a compound statement.
    drafts_ids = reporter_drafts(user).values("pk")[: DRAFTS_ON_HOME + 1]
    recent_ids = reporter_recent(user).values("pk")
    rows = list(Incident.objects.filter(Q(pk__in=drafts_ids) | Q(pk__in=recent_ids)).select_related("agency"))
    drafts = sorted((i for i in rows if i.is_draft), key=lambda i: i.updated_at, reverse=True)
    recent = sorted((i for i in rows if not i.is_draft), key=lambda i: i.reported_at, reverse=True)
    return drafts[:DRAFTS_ON_HOME], len(drafts) > DRAFTS_ON_HOME, recent


def champion_queue(user):
    """Incidents of the user's agencies still open: awaiting triage first, then those with referrals outstanding."""
    return (
        Incident.objects.filter(
            agency__in=access.champion_agency_ids(user), status__in=(Status.REPORTED, Status.IN_PROGRESS)
        )
        .select_related("agency")
        .annotate(outstanding_referrals=outstanding_referrals())
        .order_by(Case(When(status=Status.REPORTED, then=0), default=1), "-urgent", "reported_at")
    )


def lead_referrals(user):
    return (
        Referral.objects.filter(escalated_to=user, incident__status__in=(Status.REPORTED, Status.IN_PROGRESS))
        .select_related("incident__agency")
        .order_by("-escalated_at")
    )


# --- monitoring: anonymised figures --------------------------------------------------------

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "hidden"


@dataclass
class Cell:
    count: int
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.shown in (SMALL, HIDDEN)

    @property
    def published(self) -> int | None:
        """The count as published: exact, or rounded to 5 ("about 45"); None when suppressed."""
        if self.suppressed:
            return None
        return int(self.shown.removeprefix("about ")) if self.shown.startswith("about ") else self.count

    @property
    def display(self) -> str:
        """As published, with thousands separated: 'about 6,960', '7,080', '<5'."""
        return re.sub(r"\d+", lambda m: f"{int(m.group()):,}", self.shown)


def _round5(n: int) -> int:
    return 5 * round(n / 5)


def _total(counts: list[int], any_hidden: bool) -> Cell:
    """A total that cannot be used to work a hidden cell out: rounded to 5 when something is hidden."""
    total = sum(counts)
    if 0 < total < THRESHOLD:
        return Cell(total, SMALL)
    if any_hidden:
        return Cell(total, f"about {_round5(total)}")
    return Cell(total, str(total))


def suppress_table(matrix: list[list[int]]) -> tuple[list[list[Cell]], list[Cell], list[Cell], Cell]:
    """Small-number suppression of a table of counts.

    Counts of 1 to 4 are shown as "<5". Where a row or column then has exactly one hidden cell,
    its next smallest non-zero cell is hidden too ("hidden"), so the small one cannot be worked
    out by subtraction; totals of a row or column with hidden cells are rounded to 5.
    Returns (cells, row totals, column totals, grand total).
    """
    rows = len(matrix)
    cols = len(matrix[0]) if rows else 0
    hidden = {(r, c) for r in range(rows) for c in range(cols) if 0 < matrix[r][c] < THRESHOLD}
    small = set(hidden)
    lines = [[(r, c) for c in range(cols)] for r in range(rows)] + [[(r, c) for r in range(rows)] for c in range(cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            in_line = [p for p in line if p in hidden]
            if len(in_line) == 1:
                candidates = sorted(
                    (matrix[r][c], (r, c)) for r, c in line if (r, c) not in hidden and matrix[r][c] > 0
                )
                if candidates:
                    hidden.add(candidates[0][1])
                    changed = True
    cells = [
        [
            Cell(matrix[r][c], SMALL if (r, c) in small else HIDDEN if (r, c) in hidden else str(matrix[r][c]))
            for c in range(cols)
        ]
        for r in range(rows)
    ]
    row_totals = [_total(matrix[r], any((r, c) in hidden for c in range(cols))) for r in range(rows)]
    col_totals = [
        _total([matrix[r][c] for r in range(rows)], any((r, c) in hidden for r in range(rows))) for c in range(cols)
    ]
    grand = _total([n for row in matrix for n in row], bool(hidden))
    return cells, row_totals, col_totals, grand


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[tuple[str, Cell]]
    total: Cell
    total_label: str = "Total"
    # The area of risk of each row, where the rows are categories (the page groups them under it).
    groups: list[str] | None = None
    # The code of each row (the choice's value), for machine-readable output.
    codes: list[str] | None = None

    @property
    def grouped_rows(self) -> list[tuple[str, str, Cell]]:
        return [(group, label, cell) for group, (label, cell) in zip(self.groups or [], self.rows, strict=False)]


def _breakdown(key: str, title: str, choices, counts: dict, total_label: str = "Total") -> Breakdown:
    labels = list(choices)
    values = [counts.get(value, 0) for value, _ in labels]
    cells, _, _, total = suppress_table([[v] for v in values])
    rows = [(label, cells[i][0]) for i, (_, label) in enumerate(labels)]
    return Breakdown(key, title, rows, total, total_label, codes=[value for value, _ in labels])


def _category_breakdown(by_category: dict) -> Breakdown:
    """Categories listed under their area of risk."""
    rows = areas.categories_by_area()
    breakdown = _breakdown("category", "Category", [(code, label) for _area, code, label in rows], by_category)
    breakdown.groups = [areas.AREA_LABELS[area] for area, _code, _label in rows]
    return breakdown


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    next_start = datetime.date(day.year + (first_month == 10), (first_month + 3 - 1) % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def recent_quarters(today: datetime.date, count: int = 8) -> list[tuple[str, datetime.date, datetime.date]]:
    quarters = []
    start, end = quarter_of(today)
    for _ in range(count):
        quarters.append((f"{start:%b}–{end:%b %Y}", start, end))
        start, end = quarter_of(start - datetime.timedelta(days=1))
    return quarters


def day_starts(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def monitoring_figures(*, start: datetime.date, end: datetime.date) -> dict:
    """Counts for the period by category, sector, age band, referral made and outcome, and the year's
    nature-and-range table. Six aggregate queries whatever the number of incidents."""
    # From the start of the first day to the start of the day after the last, in local time: a range
    # the index on ``reported_at`` serves (a filter on the date of each row would read them all).
    period = Incident.objects.filter(
        status__in=access.SUBMITTED,
        reported_at__gte=day_starts(start),
        reported_at__lt=day_starts(end + datetime.timedelta(days=1)),
    ).order_by()

    def counts(queryset, field, distinct=None):
        aggregate = Count(distinct, distinct=True) if distinct else Count("pk")
        return {row[field]: row["n"] for row in queryset.values(field).annotate(n=aggregate).order_by()}

    by_category = counts(period, "category")
    by_sector = counts(period, "agency__sector")
    by_age = counts(
        PersonInvolved.objects.filter(incident__in=period, role=PersonRole.CHILD, removed_at__isnull=True),
        "age_band",
    )
    by_referral = counts(
        Referral.objects.filter(incident__in=period, referred_on__isnull=False), "agency_type", distinct="incident"
    )
    by_outcome = counts(period, "outcome")
    return figures_from_counts(
        start=start,
        end=end,
        by_category=by_category,
        by_sector=by_sector,
        by_age=by_age,
        by_referral=by_referral,
        by_outcome=by_outcome,
    )


def figures_from_counts(
    *,
    start: datetime.date,
    end: datetime.date,
    by_category: dict,
    by_sector: dict,
    by_age: dict,
    by_referral: dict,
    by_outcome: dict,
) -> dict:
    """The period's published figures from its counts (code -> number), each table suppressed."""
    outcome_choices = [*Outcome.choices, ("", "Not yet closed")]
    breakdowns = [
        _breakdown("area", "Area of risk", areas.Area.choices, areas.area_totals(by_category)),
        _category_breakdown(by_category),
        _breakdown("sector", "Agency sector", Sector.choices, by_sector),
        _breakdown("age_band", "Children and young people involved, by age band", AgeBand.choices, by_age, "Children"),
        _breakdown(
            "referral",
            "Incidents referred, by agency referred to",
            ReferralAgency.choices,
            by_referral,
            "Referrals (an incident may go to more than one agency)",
        ),
        _breakdown("outcome", "Outcome", outcome_choices, by_outcome),
    ]
    # The number of incidents is one figure wherever it shows: exact only if nothing anywhere is
    # suppressed, or a total from one table would undo the rounding of another.
    any_hidden = any(cell.suppressed for b in breakdowns for _, cell in b.rows)
    incidents_total = _total([sum(by_category.values())], any_hidden)
    for breakdown in breakdowns:
        if breakdown.key in ("area", "category", "sector", "outcome"):
            breakdown.total = incidents_total
    return {"start": start, "end": end, "breakdowns": breakdowns, "total": incidents_total}


def figure_cells(figures: dict):
    """Every cell a period's figures publish: each breakdown's rows and totals."""
    for breakdown in figures["breakdowns"]:
        yield from (cell for _label, cell in breakdown.rows)
        yield breakdown.total


def _published_cells(figures: dict, nature: dict):
    yield from figure_cells(figures)
    for table in (nature, nature["areas"]):
        for _label, cells, total in table["rows"]:
            yield from cells
            yield total
        yield from table["column_totals"]
        yield table["grand_total"]


def protect_published(figures: dict, nature: dict) -> None:
    """Tables published side by side protect each other.

    Each table hides its own small counts, but an exact count in one table (say, all incidents in
    one sector) can reveal a hidden one in another by subtraction. So when anything on the page is
    hidden, every other count of 5 or more is shown rounded to the nearest 5.
    """
    protect_together(list(_published_cells(figures, nature)))


def protect_together(cells: list[Cell]) -> None:
    """Cells published together: when any is suppressed, every other count of 5 or more is rounded to 5."""
    if any(cell.suppressed for cell in cells):
        for cell in cells:
            if not cell.suppressed and cell.count >= THRESHOLD and not cell.shown.startswith("about"):
                cell.shown = f"about {_round5(cell.count)}"


def monitoring_page(*, start: datetime.date, end: datetime.date) -> tuple[dict, dict]:
    """The period's figures and its year's nature-and-range table, protected together as the page and
    its CSV publish them: worked out once per version of the incidents and of the register (sectors)."""

    def compute():
        period = monitoring_figures(start=start, end=end)
        nature = nature_and_range(end.year)
        protect_published(period, nature)
        return period, nature

    return figure_cache.cached(
        "incidents:monitoring", compute, areas=(figure_cache.INCIDENTS, figure_cache.REGISTER), scope=(start, end)
    )


QUARTERS = ["January–March", "April–June", "July–September", "October–December"]


def nature_and_range(year: int) -> dict:
    """Category × quarter of the calendar year, with the categories under their area of risk, and
    area × quarter (the same counts regrouped), each suppressed: one query."""
    rows = (
        Incident.objects.filter(status__in=access.SUBMITTED, reported_at__year=year)
        .annotate(quarter=ExtractQuarter("reported_at"))
        .values("category", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {(row["category"], row["quarter"]): row["n"] for row in rows}
    categories = areas.categories_by_area()
    matrix = [[found.get((code, q), 0) for q in (1, 2, 3, 4)] for _area, code, _label in categories]
    cells, row_totals, col_totals, grand = suppress_table(matrix)
    by_area = [
        [sum(matrix[i][q] for i, (area, _c, _l) in enumerate(categories) if area == code) for q in range(4)]
        for code in areas.Area.values
    ]
    area_cells, area_row_totals, area_col_totals, area_grand = suppress_table(by_area)
    return {
        "year": year,
        "quarters": QUARTERS,
        "rows": [(label, cells[i], row_totals[i]) for i, (_area, _code, label) in enumerate(categories)],
        # The same rows with their area of risk first: the page and the report group them under it.
        "grouped_rows": [
            (areas.AREA_LABELS[area], label, cells[i], row_totals[i])
            for i, (area, _code, label) in enumerate(categories)
        ],
        "column_totals": col_totals,
        "grand_total": grand,
        "areas": {
            "rows": [(label, area_cells[i], area_row_totals[i]) for i, (_code, label) in enumerate(areas.Area.choices)],
            "column_totals": area_col_totals,
            "grand_total": area_grand,
        },
    }
