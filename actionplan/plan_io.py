"""Bringing a plan in from a partnership's own spreadsheet, and taking it out again.

The import runs through the portal's one import flow (``imports.flow``): upload, match the
columns, preview, confirm. It is forgiving, as the seeds' tables need: a blank priority, objective
or method continues the one above (merged cells in the Word original); a row without an action
continues the action above (a cell split over two rows, or a second lead and progress note);
priorities come with or without numbers; a timescale is kept as written and its date read where
it can be ("By end of June 2010" → 30 June 2010); status words are the partnership's own, with the
Telford & Wrekin key built in and unknown words mapped on the columns page. Re-importing the same
file changes nothing: a row matches an existing action on its reference (within the plan) or,
without one, on its objective and action text. The mapping is documented in
docs/actionplan-import.md.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import User
from actionplan import access, services
from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, Status
from agencies.models import Agency
from imports import flow, tabular
from imports.flow import CREATED, UNCHANGED, UPDATED, Change, Field, Preview, ValueChoice
from imports.tabular import find_date

# Our own export headings, in order; the import suggests its fields from these and the seeds' headings.
EXPORT_HEADINGS = [
    "Ref",
    "Priority",
    "Objective",
    "Method",
    "Action",
    "Lead responsibility",
    "Timescale",
    "Success measure",
    "Status",
    "Update",
]

STATUS_WORDS = {
    "red": Status.RED,
    "r": Status.RED,
    "not achieved": Status.RED,
    "not started": Status.RED,
    "amber": Status.AMBER,
    "gold": Status.AMBER,
    "a": Status.AMBER,
    "in progress": Status.AMBER,
    "green": Status.GREEN,
    "g": Status.GREEN,
    "completed": Status.GREEN,
    "complete": Status.GREEN,
    "achieved": Status.GREEN,
    "blue": Status.BLUE,
    "b": Status.BLUE,
    "achieved but continuously evolving": Status.BLUE,
    "achieved continuously evolving": Status.BLUE,
}
for _status in Status:
    STATUS_WORDS[_status.label] = _status.value
STATUS_KEYS = {tabular.normalise(k): v for k, v in STATUS_WORDS.items()}

FIELDS = [
    Field(
        "ref",
        "Ref",
        {"ref": 3, "reference": 3, "ref no": 3, "no": 2, "number": 2},
        "Optional, e.g. 1.2.3; unique in the plan (at most 20 characters).",
    ),
    Field(
        "priority",
        "Priority",
        {"priority": 3, "strategic priority": 3, "priority area": 3, "priorities": 3},
        "“1. Leadership” or just “Leadership”. A blank cell continues the priority above.",
    ),
    Field(
        "objective",
        "Objective",
        {"objective": 3, "objectives": 3, "target": 3, "aim": 2},
        "“1.2 Title” keeps the number 1.2. A blank cell continues the objective above.",
        required=True,
    ),
    Field(
        "method",
        "Method",
        {"method": 3, "activity": 1, "how": 1},
        "How the objective will be met. A blank cell continues the method above.",
    ),
    Field(
        "action",
        "Action",
        {"action": 3, "actions": 3, "wscb action": 3, "lscb action": 3, "scb action": 3, "activity": 2, "task": 2},
        "What will be done. A row with a blank action continues the action above (its lead, note and milestones are added to it).",
        required=True,
    ),
    Field(
        "lead",
        "Lead",
        {"lead responsibility": 3, "lead": 3, "responsible": 3, "responsibility": 3, "owner": 2, "who": 1},
        "An agency's name in the register, a person's full name, or a group such as “All agencies”.",
    ),
    Field(
        "timescale",
        "Timescale",
        {"timescale": 3, "timescales": 3, "timeline": 3, "due date": 3, "deadline": 3, "by when": 3, "due": 2},
        "Kept as written; the date is read where it can be (“By end of June 2010” is 30 June 2010, “Ongoing” is ongoing).",
    ),
    Field(
        "success_measure",
        "Success measure",
        {
            "success measure": 3,
            "success measures": 3,
            "success milestones and timescale": 3,
            "success milestones and timescales": 3,
            "success milestones": 3,
            "milestones": 2,
            "success": 2,
        },
        "Optional.",
    ),
    Field(
        "status",
        "Status",
        {"status": 3, "rag": 3, "rag status": 3, "rating": 2},
        "Red, Amber, Gold, Green, Blue, the Telford & Wrekin key (Not achieved, In progress, Completed, "
        "Achieved but continuously evolving) or your own words, matched on the next page.",
    ),
    Field(
        "update",
        "Progress update",
        {
            "update": 3,
            "progress update": 3,
            "progress": 3,
            "latest update": 3,
            "action identified": 2,
            "comments": 1,
            "notes": 1,
        },
        "Added as a progress update dated today, unless the action already has one with the same text.",
    ),
]


# --- parsing cells -------------------------------------------------------------------


# What may surround the date for the words to add nothing to it: "Ongoing — review 31 March 2026".
_PLAIN = re.compile(r"\W*(?:on\s*-?\s*going)?\W*(?:review(?:ed)?\s*(?:by|on)?)?\W*", flags=re.IGNORECASE)


@dataclass(frozen=True)
class Timescale:
    due_on: datetime.date | None = None
    ongoing: bool = False
    review_on: datetime.date | None = None
    text: str = ""  # as written, when it says more than the dates


def parse_timescale(value) -> Timescale:
    """Never refuses: the words are kept, the date read where it can be.

    "Ongoing" (anywhere in the cell) makes the action ongoing, its date the review date; otherwise
    the date is the due date.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return Timescale(due_on=value)
    text = " ".join(tabular.cell_text(value).split())
    if not text:
        return Timescale()
    found = find_date(text)
    date, rest = (found[0], text[: found[1][0]] + text[found[1][1] :]) if found else (None, text)
    ongoing = bool(re.search(r"\bon\s*-?\s*going\b", text, flags=re.IGNORECASE))
    plain = bool(_PLAIN.fullmatch(rest))
    return Timescale(
        due_on=None if ongoing else date,
        ongoing=ongoing,
        review_on=date if ongoing else None,
        text="" if plain else text[:200],
    )


def format_dates(timescale) -> str:
    if timescale.ongoing:
        return f"Ongoing — review {timescale.review_on:%-d %B %Y}" if timescale.review_on else "Ongoing"
    return f"{timescale.due_on:%-d %B %Y}" if timescale.due_on else ""


def format_timescale(action: Action) -> str:
    return action.timescale_text or format_dates(action)


def parse_priority(text: str) -> tuple[int | None, str] | None:
    """(number, title); the number is None for a priority written without one."""
    if not text:
        return None
    if m := re.fullmatch(r"(?:priority\s*)?(\d{1,3})[.:)]?\s*(.*)", text, flags=re.IGNORECASE | re.DOTALL):
        return int(m[1]), m[2].strip()
    return None, text


def _numbered(text: str) -> bool:
    return bool(re.match(r"\d", text))


def parse_objective(text: str) -> tuple[str, str]:
    if m := re.fullmatch(r"(\d+(?:\.\d+)*)\.?(?:\s+(.+))?", text, flags=re.DOTALL):
        return m[1], (m[2] or "").strip()
    return "", text


# --- rows of the file ---------------------------------------------------------------------


@dataclass
class Row:
    number: int
    ref: str = ""
    priority: tuple[int | None, str] | None = None
    objective: tuple[str, str] = ("", "")
    method: str = ""
    action: str = ""
    lead: str = ""
    timescale: Timescale = field(default_factory=Timescale)
    success_measure: str = ""
    status: str | None = None
    updates: list[str] = field(default_factory=list)


def _join(first: str, more: str, sep: str) -> str:
    return f"{first}{sep}{more}" if first and more else first or more


def read_rows(table: flow.Table, values: dict) -> tuple[list[Row], list[str]]:
    """The file's actions, grouping cells filled down and continuation rows folded in; and its problems."""
    words = {**STATUS_KEYS, **values.get("status", {})}
    rows: list[Row] = []
    problems: list[str] = []
    priority = objective = None
    method = ""
    has_priority_column = any("priority" in cells for _, cells in table.rows[:1])
    for number, cells in table.rows:
        text = {key: tabular.cell_text(value) for key, value in cells.items()}
        filled = [key for key, value in text.items() if value]
        if not has_priority_column and filled == ["objective"] and not _numbered(text["objective"]):
            # A heading row inside the table (the Word original's priority rows): the priority.
            priority, objective, method = parse_priority(text["objective"]), None, ""
            continue
        if text.get("priority"):
            new = parse_priority(text["priority"])
            if new != priority:
                priority, objective, method = new, None, ""
        if text.get("objective"):
            new = parse_objective(text["objective"])
            if new != objective:
                objective, method = new, ""
        if text.get("method"):
            method = text["method"]
        status_word = tabular.normalise(text.get("status"))
        status = words.get(status_word) if status_word else None
        if status_word and status is None:
            problems.append(
                f"Row {number}: the status “{text['status']}” is not one the portal knows; "
                "say what it means (Red, Amber, Green or Blue) on the columns page."
            )
        if not text.get("action"):
            starts_group = bool(text.get("priority") or text.get("objective"))
            if rows and not starts_group:
                above = rows[-1]  # a continuation of the action above
                above.lead = _join(above.lead, text.get("lead", ""), "; ")[:200]
                above.success_measure = _join(above.success_measure, text.get("success_measure", ""), "\n")
                if text.get("update"):
                    above.updates.append(text["update"])
                if not (above.timescale.due_on or above.timescale.ongoing or above.timescale.text):
                    above.timescale = parse_timescale(cells.get("timescale"))
                above.status = above.status or status
            elif any(text.values()):
                problems.append(f"Row {number}: the Action cell is empty.")
            continue
        if objective is None or not (objective[0] or objective[1]):
            problems.append(f"Row {number}: the Objective cell is empty and no row above gives one.")
        ref = text.get("ref", "")
        if len(ref) > 20:
            problems.append(f"Row {number}: the Ref is longer than 20 characters.")
        rows.append(
            Row(
                number=number,
                ref=ref[:20],
                priority=priority,
                objective=objective or ("", ""),
                method=method,
                action=text["action"],
                lead=text.get("lead", "")[:200],
                timescale=parse_timescale(cells.get("timescale")),
                success_measure=text.get("success_measure", ""),
                status=status,
                updates=[text["update"]] if text.get("update") else [],
            )
        )
    seen: dict[str, int] = {}
    for row in rows:
        if row.ref and row.ref in seen:
            problems.append(f"Row {row.number}: the Ref {row.ref} is also used on row {seen[row.ref]}.")
        elif row.ref:
            seen[row.ref] = row.number
    return rows, problems


# --- matching rows against the plan, and writing them --------------------------------------------


def _key(obj) -> object:
    return obj.pk if obj.pk else ("new", id(obj))


class PlanWriter:
    """Walks the rows against what the plan already holds; with ``write`` it also saves them.

    The preview and the import share this walk, so the preview's counts are what the import does.
    Everything is loaded up front (a fixed number of queries, whatever the number of rows).
    """

    def __init__(self, plan: Plan, *, by, write: bool, reason: str = ""):
        self.plan, self.by, self.write, self.reason = plan, by, write, reason
        self.priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
        self.objectives = list(Objective.objects.filter(priority__plan=plan))
        self.actions = list(Action.objects.filter(plan=plan).select_related("objective").order_by("pk"))
        self.by_ref = {a.ref: a for a in self.actions if a.ref}
        # Actions without a Ref are matched on their objective and text, and on their place among the
        # file's rows with the same (the second identical row matches the second such action), so
        # identical rows are as many actions, and importing the file again adds none.
        self.by_text: dict[tuple, list[Action]] = {}
        for a in self.actions:
            self.by_text.setdefault((a.objective_id, a.action.lower()), []).append(a)
        self.text_rows: Counter[tuple] = Counter()
        self.updates = set(ProgressUpdate.objects.filter(action__plan=plan).values_list("action_id", "text"))
        self.agencies = {a.name.lower(): a for a in Agency.objects.only("pk", "name")}
        people: dict[str, User | None] = {}
        for user in User.objects.filter(is_active=True).only("pk", "full_name"):
            # Only names that belong to exactly one person can be matched to a person.
            people[user.full_name.lower()] = None if user.full_name.lower() in people else user
        self.people = {k: v for k, v in people.items() if v is not None}
        self.default_priority = None

    # priorities and objectives
    def priority_for(self, wanted) -> Priority:
        if wanted is None:
            if self.default_priority is None:
                last = self.priorities[-1] if self.priorities else None
                self.default_priority = last or self._new_priority(1, "Imported actions")
            return self.default_priority
        number, title = wanted
        for priority in self.priorities:
            if (number is not None and priority.number == number) or (
                number is None and priority.title.lower() == title.lower()
            ):
                if number is not None and title and priority.title != title and self.write:
                    priority = services.priority_get_or_create(plan=self.plan, number=number, title=title)
                return priority
        if number is None:
            number = max((p.number for p in self.priorities), default=0) + 1
        return self._new_priority(number, title)

    def _new_priority(self, number: int, title: str) -> Priority:
        if self.write:
            priority = services.priority_get_or_create(plan=self.plan, number=number, title=title)
        else:
            priority = Priority(plan=self.plan, number=number, title=title)
        self.priorities.append(priority)
        self.priorities.sort(key=lambda p: p.number)
        return priority

    def objective_for(self, priority: Priority, wanted: tuple[str, str]) -> Objective:
        number, title = wanted
        if number and "." not in number:
            number = f"{priority.number}.{number}"  # objectives numbered 1, 2, ... within each priority
        mine = [o for o in self.objectives if _key_of(o, "priority") == _key(priority)]
        for objective in mine:
            if (number and objective.number == number) or (not number and objective.title.lower() == title.lower()):
                if number and title and objective.title != title and self.write:
                    objective = services.objective_get_or_create(priority=priority, number=number, title=title)
                return objective
        if not number:
            taken = {o.number for o in mine}
            count = len(mine) + 1
            while f"{priority.number}.{count}" in taken:
                count += 1
            number = f"{priority.number}.{count}"
        if self.write:
            objective = services.objective_get_or_create(priority=priority, number=number, title=title)
        else:
            objective = Objective(priority=priority, number=number, title=title)
        self.objectives.append(objective)
        return objective

    def lead_for(self, text: str) -> dict:
        key = text.lower()
        if key in self.agencies:
            return {"lead_agency": self.agencies[key], "lead_person": None, "lead_text": ""}
        if key in self.people:
            return {"lead_agency": None, "lead_person": self.people[key], "lead_text": ""}
        return {"lead_agency": None, "lead_person": None, "lead_text": text}

    # actions
    def row(self, row: Row) -> Change:
        objective = self.objective_for(self.priority_for(row.priority), row.objective)
        if row.ref:
            action = self.by_ref.get(row.ref)
        else:
            key = (_key(objective), row.action.lower())
            self.text_rows[key] += 1
            same = self.by_text.get(key, [])
            action = same[self.text_rows[key] - 1] if self.text_rows[key] <= len(same) else None
        fields = {
            "method": row.method,
            "success_measure": row.success_measure,
            "due_on": row.timescale.due_on,
            "ongoing": row.timescale.ongoing,
            "review_on": row.timescale.review_on,
            "timescale_text": row.timescale.text,
            **self.lead_for(row.lead),
        }
        if action is None:
            action = self._create(row, objective, fields)
            self._add_updates(action, row.updates)
            where = f"objective {objective.number} {objective.title}".strip()
            return Change(row.number, CREATED, f"{Truncator(row.action).chars(120)} ({Truncator(where).chars(80)})")
        changed = {k: v for k, v in fields.items() if getattr(action, k) != v}
        if _key(objective) != _key_of(action, "objective"):
            changed["objective"] = objective
        if row.action != action.action:
            changed["action"] = row.action
        status_changed = bool(row.status) and row.status != action.status
        added = self._add_updates(action, row.updates)
        if self.write and changed:
            services.action_update(action=action, by=self.by, changes=changed)
        if self.write and status_changed:
            services.action_set_status(action=action, status=row.status, reason=self.reason, by=self.by)
        if not (changed or status_changed or added):
            where = f"objective {action.objective.number}" if action.objective_id else "the plan"
            added_on = f", added {action.created_at:%-d %B %Y}" if action.created_at else ""
            matches = f"{action.ref or 'the action'} in {where}{added_on}"
            return Change(row.number, UNCHANGED, Truncator(row.action).chars(120), matches)
        what = [Action._meta.get_field(k).verbose_name for k in changed if k not in ("lead_person", "lead_text")]
        what += ["status"] * status_changed + [f"{added} progress update{'s' if added > 1 else ''}"] * bool(added)
        return Change(
            row.number, UPDATED, f"{action.ref or Truncator(row.action).chars(60)}: {', '.join(dict.fromkeys(what))}"
        )

    def _create(self, row: Row, objective: Objective, fields: dict) -> Action:
        if self.write:
            action = services.action_create(
                objective=objective,
                ref=row.ref,
                action=row.action,
                by=self.by,
                status=row.status or Status.RED,
                source_label=self.reason,
                **fields,
            )
        else:
            action = Action(
                objective=objective, ref=row.ref, action=row.action, status=row.status or Status.RED, **fields
            )
        if row.ref:
            self.by_ref[row.ref] = action
        else:
            self.by_text.setdefault((_key(objective), row.action.lower()), []).append(action)
        return action

    def _add_updates(self, action: Action, texts: list[str]) -> int:
        added = 0
        for text in texts:
            if (_key(action), text) in self.updates:
                continue
            if self.write:
                services.progress_update_add(action=action, text=text, by=self.by, date=timezone.localdate())
            self.updates.add((_key(action), text))
            added += 1
        return added


def _key_of(obj, relation: str) -> object:
    """The key of ``obj``'s related object (saved or not), without a query."""
    related_id = getattr(obj, f"{relation}_id")
    if related_id:
        return related_id
    return _key(getattr(obj, relation))


class PlanImporter(flow.Importer):
    kind = "actionplan"
    title = "Import actions"
    nouns = ("action", "actions")
    fields = FIELDS
    value_choices = [
        ValueChoice(field="status", choices=list(Status.choices), known=STATUS_KEYS),
    ]

    def get_target(self, user, target_id):
        if not access.edits_plan(user):
            raise PermissionDenied
        return get_object_or_404(Plan.objects.active(), pk=target_id)

    def target_url(self, target) -> str:
        from django.urls import reverse

        return reverse("actionplan:plan_table", args=[target.pk])

    def target_name(self, target) -> str:
        return f"{target.name} {target.period}"

    def _walk(self, table, values, target, by, *, write, reason="") -> Preview:
        rows, problems = read_rows(table, values)
        result = Preview(problems=problems, rows=len(rows))
        if problems:
            return result
        writer = PlanWriter(target, by=by, write=write, reason=reason)
        result.changes = [writer.row(row) for row in rows]
        return result

    def preview(self, table, values, target, by) -> Preview:
        return self._walk(table, values, target, by, write=False)

    def apply(self, table, values, target, by, filename) -> Preview:
        reason = f"Imported from {filename}" if filename else "Imported from a file"
        return self._walk(table, values, target, by, write=True, reason=reason)


IMPORTER = flow.register(PlanImporter())


# --- export ----------------------------------------------------------------------------------


def export_rows(plan: Plan) -> list[list[str]]:
    """The plan in the import's shape: one row per active action, with its latest update."""
    from actionplan.selectors import plan_actions

    rows = []
    for action in plan_actions(plan).order_by("objective__priority__number", "objective__number", "ref", "pk"):
        priority, objective = action.objective.priority, action.objective
        rows.append(
            [
                action.ref,
                f"{priority.number}. {priority.title}",
                f"{objective.number} {objective.title}",
                action.method,
                action.action,
                action.lead_display,
                format_timescale(action),
                action.success_measure,
                action.get_status_display(),
                action.latest_update_text or "",
            ]
        )
    return rows


def _export(plan: Plan):
    return tabular.dataset(EXPORT_HEADINGS, export_rows(plan), title="Action plan")


def export_csv(plan: Plan) -> bytes:
    return tabular.to_csv(_export(plan))


def export_xlsx(plan: Plan) -> bytes:
    return tabular.to_xlsx(_export(plan))


def import_plan(*, plan: Plan, uploaded, by, filename: str = "") -> Preview:
    """Import a file into ``plan`` with the suggested columns (scripts and tests; people use the pages)."""
    return flow.import_file(IMPORTER, target=plan, name=filename or uploaded.name, data=uploaded.read(), by=by)
