"""Reads of the action plan shared by views, the home page and the agency page.

The plan is not restricted data, so nothing here scopes by agency: who may *change* what is
decided in ``actionplan.access``. Every function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length
from django.utils import timezone

from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, Status, StatusChange


def current_plan() -> Plan | None:
    return Plan.objects.active().filter(is_current=True).first() or Plan.objects.active().first()


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


def totals(rows: list[dict]) -> dict:
    keys = [*Status.values, "overdue", "total"]
    return {k: sum(row[k] for row in rows) for k in keys}


def plan_table(plan: Plan) -> list[Priority]:
    """Priorities → objectives → actions (with latest update), for the familiar table: 3 queries."""
    # Shorter numbers first so that 1.2 comes before 1.10.
    actions = plan_actions(plan).order_by(Length("ref"), "ref", "pk")
    objectives = Objective.objects.order_by(Length("number"), "number").prefetch_related(
        Prefetch("actions", queryset=actions)
    )
    return list(
        Priority.objects.filter(plan=plan)
        .order_by("number")
        .prefetch_related(Prefetch("objectives", queryset=objectives))
    )


def changes_since(plan: Plan, since: datetime.date) -> dict:
    """Status changes and progress updates on or after ``since`` (e.g. the last board meeting): 2 queries."""
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
    status_changes = (
        StatusChange.objects.filter(action__plan=plan, action__archived_at__isnull=True, at__gte=start)
        .exclude(old="")
        .select_related("action", "by")
        .order_by("-at")
    )
    updates = (
        ProgressUpdate.objects.filter(action__plan=plan, action__archived_at__isnull=True, date__gte=since)
        .select_related("action", "by")
        .order_by("-date", "-pk")
    )
    return {"status_changes": list(status_changes[:200]), "updates": list(updates[:200])}


def actions_led_by_agency(agency_id: int):
    return plan_actions().filter(lead_agency_id=agency_id, plan__archived_at__isnull=True)
