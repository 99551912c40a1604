"""Reads of the action plan shared by views, the home page and the agency page.

The plan is not restricted data, so nothing here scopes by agency: who may *change* what is
decided in ``actionplan.access``. Every function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, Status, StatusChange
from esafety import figures


def _current(plans):
    """The plan marked current, or else the first active one."""
    return plans.active().order_by("-is_current", "-period", "name")


def current_plan() -> Plan | None:
    return _current(Plan.objects).first()


def current_plan_with_overdue_count() -> Plan | None:
    """The current plan with ``overdue_count``, how many of its actions are overdue: one query."""
    overdue = (
        Action.objects.active().overdue().filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk"))
    )
    return _current(Plan.objects.annotate(overdue_count=Coalesce(Subquery(overdue.values("n")), 0))).first()


def current_plan_actions_led_by(user, agency_ids, *, limit: int) -> list[Action]:
    """Actions of the current plan the user or one of the agencies leads, overdue first: one query."""
    led = Q(lead_person=user) | Q(lead_agency__in=agency_ids)
    return list(
        _listed(Action.objects.active().with_overdue())
        .filter(led, plan=Subquery(_current(Plan.objects).values("pk")[:1]))
        .order_by("-is_overdue", "timescale", "ref")[:limit]
    )


# What a short list of actions shows: reference, wording, lead, timescale and status.
LIST_FIELDS = (
    "ref",
    "action",
    "lead_agency_id",
    "lead_person_id",
    "lead_text",
    "due_on",
    "ongoing",
    "review_on",
    "status",
)


def _listed(actions, fields=LIST_FIELDS):
    """Only the given columns of each action, and its lead agency's or person's name."""
    return actions.select_related("lead_agency", "lead_person").only(
        *fields, "lead_agency__name", "lead_person__full_name"
    )


def plan_actions(plan: Plan | None = None, *, today: datetime.date | None = None):
    """Active actions with ``timescale``, ``is_overdue`` and their latest update: one query."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    queryset = (
        Action.objects.active()
        .with_overdue(today)
        .select_related("objective__priority", "lead_agency", "lead_person")
        .annotate(latest_update_text=Subquery(latest.values("text")[:1]))
        .annotate(latest_update_date=Subquery(latest.values("date")[:1]))
    )
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    return queryset


def _status_counts(prefix: str = "") -> dict:
    counts = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    counts["overdue"] = Count("pk", filter=Q(is_overdue=True))
    counts["total"] = Count("pk")
    return {f"{prefix}{k}": v for k, v in counts.items()}


def rag_by_priority(plan: Plan) -> list[dict]:
    """Each priority with its counts of red, amber, green, blue, overdue and total: two queries."""
    priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
    rows = (
        Action.objects.active()
        .filter(plan=plan)
        .with_overdue()
        .values("objective__priority")
        .order_by()
        .annotate(**_status_counts())
    )
    by_priority = {row["objective__priority"]: row for row in rows}
    empty = dict.fromkeys([*Status.values, "overdue", "total"], 0)
    return [{"priority": p, **{k: by_priority.get(p.pk, empty)[k] for k in empty}} for p in priorities]


def plan_totals(plan: Plan) -> dict:
    """The plan's counts of red, amber, green, blue, overdue and total actions: one query."""
    return Action.objects.active().filter(plan=plan).with_overdue().aggregate(**_status_counts())


def totals(rows: list[dict]) -> dict:
    keys = [*Status.values, "overdue", "total"]
    return {k: sum(row[k] for row in rows) for k in keys}


@dataclass
class PlanTable:
    """One page of the plan as a table: the priorities and objectives on it, each objective with
    ``page_actions``, each priority with ``page_objectives``."""

    priorities: list[Priority]
    page: Page


# The columns of an action the plan table shows.
PLAN_TABLE_FIELDS = (*LIST_FIELDS, "objective_id", "method", "success_measure")


def plan_table(plan: Plan, *, page_number=None, per_page: int) -> PlanTable:
    """Priorities → objectives → actions (with latest update), a page of actions at a time: 4 queries.

    Headings repeat on every page their actions reach. An objective or priority with nothing
    under it shows on the page where it falls in the plan's order.
    """
    priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
    in_plan = Q(actions__plan=plan, actions__archived_at__isnull=True)
    objectives = (
        Objective.objects.filter(priority__plan=plan)
        .annotate(action_count=Count("actions", filter=in_plan))
        .order_by(Length("number"), "number")
    )
    by_priority: dict[int, list[Objective]] = {p.pk: [] for p in priorities}
    for objective in objectives:
        by_priority[objective.priority_id].append(objective)
    total = sum(o.action_count for objectives in by_priority.values() for o in objectives)
    page = Paginator(range(total), per_page).get_page(page_number)
    first, last = page.start_index() - 1 if total else 0, page.end_index()

    def on_this_page(position: int, count: int) -> bool:
        if count:
            return position < last and position + count > first
        # Nothing under it: the page its position falls on, or the last page.
        return first <= position < last or (position >= last and not page.has_next())

    # Shorter numbers first so that 1.2 comes before 1.10. Objectives and priorities are loaded above,
    # so each action brings only what its row shows.
    actions = _listed(plan_actions(plan).select_related(None), PLAN_TABLE_FIELDS).order_by(
        "objective__priority__number", Length("objective__number"), "objective__number", Length("ref"), "ref", "pk"
    )
    page_actions: dict[int, list[Action]] = {}
    for action in actions[first:last]:
        page_actions.setdefault(action.objective_id, []).append(action)

    shown, position = [], 0
    for priority in priorities:
        priority.page_objectives = []
        start = position
        for objective in by_priority[priority.pk]:
            if on_this_page(position, objective.action_count):
                objective.page_actions = page_actions.get(objective.pk, [])
                priority.page_objectives.append(objective)
            position += objective.action_count
        if priority.page_objectives or (not by_priority[priority.pk] and on_this_page(start, 0)):
            shown.append(priority)
    return PlanTable(shown, page)


def overdue_actions(plan: Plan, *, limit: int) -> list[Action]:
    """The plan's first ``limit`` overdue actions, the longest overdue first, with their leads: one query."""
    return list(_listed(Action.objects.active().filter(plan=plan).overdue()).order_by("timescale", "ref")[:limit])


def _since_start(since: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())


def status_changes(plan: Plan, since: datetime.date | None = None):
    """The plan's status changes, newest first; with ``since``, only changes of an existing action's
    status (not new actions) on or after that date, on actions still in the plan."""
    queryset = StatusChange.objects.filter(action__plan=plan).select_related("action", "by").order_by("-at", "-pk")
    if since is not None:
        queryset = queryset.filter(action__archived_at__isnull=True, at__gte=_since_start(since)).exclude(old="")
    return queryset


def progress_updates(plan: Plan, since: datetime.date | None = None):
    """Progress updates on the plan's actions still in it, newest first, on or after ``since`` if given."""
    queryset = (
        ProgressUpdate.objects.filter(action__plan=plan, action__archived_at__isnull=True)
        .select_related("action", "by")
        .order_by("-date", "-pk")
    )
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    return queryset


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("action__plan").annotate(n=Count("pk")).values("n")), 0)


def changes_since(plan: Plan, since: datetime.date, *, limit: int) -> dict:
    """The newest ``limit`` status changes and progress updates on or after ``since`` (e.g. the last
    board meeting), and how many there are of each in all: 3 queries."""
    changes, updates = status_changes(plan, since), progress_updates(plan, since)
    counts = (
        Plan.objects.filter(pk=plan.pk)
        .order_by()
        .values(status_change_count=_count(changes), update_count=_count(updates))
        .get()
    )
    # Each change names its action by reference and wording, and who made it: nothing more of either.
    about = ("action__ref", "action__action", "by__full_name")
    return {
        "status_changes": list(changes.only("old", "new", "reason", "at", "action_id", "by_id", *about)[:limit]),
        "updates": list(updates.only("date", "text", "action_id", "by_id", *about)[:limit]),
        **counts,
    }


def actions_led_by_agency(agency_id: int):
    return plan_actions().in_open_plans().filter(lead_agency_id=agency_id)


DASHBOARD_FIGURES = ("rows", "totals", "overdue", "changes")


def dashboard_figures(plan: Plan, since: datetime.date, *, limit: int) -> dict:
    """The dashboard's RAG rows by priority, overdue actions and changes since ``since``: worked out once
    per version of the plan and the register (names of leads and people) and per day (what is overdue)."""

    def compute():
        rows = rag_by_priority(plan)
        return {
            "rows": rows,
            "totals": totals(rows),
            "overdue": overdue_actions(plan, limit=limit),
            "changes": changes_since(plan, since, limit=limit),
        }

    return figures.cached(
        "actionplan:dashboard",
        compute,
        areas=(figures.PLAN, figures.REGISTER),
        scope=(plan.pk, since, limit, timezone.localdate()),
    )
