"""Import and export of a plan as CSV or XLSX, in the shape of the seeds' tables.

The column mapping is documented in docs/actionplan-import.md. Import reads every row first and
reports every error with its row number; only when no row fails are the rows written, in one
transaction. Re-importing the same file changes nothing: a row matches an existing action on its
reference (within the plan) or, without one, on its objective and action text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.models import User
from actionplan import services
from actionplan.models import Action, Objective, Plan, Priority, ProgressUpdate, Status
from agencies.models import Agency
from audits.exports import FORMULA_STARTS, safe_cell

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


def normalise_heading(text) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


# Our own export headings, in order. Import accepts these and the seeds' headings (ALIASES).
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

# Normalised heading → field. Wandsworth: Objective/Method/Action/Lead responsibility/Timescale/Update.
# Telford & Wrekin: Target/Activity/Responsible/Action identified/Success/milestones and timescale.
ALIASES = {
    "ref": "ref",
    "reference": "ref",
    "no": "ref",
    "number": "ref",
    "priority": "priority",
    "strategic priority": "priority",
    "objective": "objective",
    "target": "objective",
    "method": "method",
    "activity": "method",
    "action": "action",
    "wscb action": "action",
    "lscb action": "action",
    "action identified": "action",
    "lead responsibility": "lead",
    "lead": "lead",
    "responsible": "lead",
    "responsibility": "lead",
    "timescale": "timescale",
    "timeline": "timescale",
    "due date": "timescale",
    "success measure": "success_measure",
    "success measures": "success_measure",
    "success milestones and timescale": "success_measure",
    "success milestones": "success_measure",
    "milestones": "success_measure",
    "status": "status",
    "rag": "status",
    "rag status": "status",
    "update": "update",
    "progress update": "update",
    "progress": "update",
    "latest update": "update",
}

STATUS_WORDS = {
    "red": Status.RED,
    "r": Status.RED,
    "not achieved": Status.RED,
    "amber": Status.AMBER,
    "gold": Status.AMBER,
    "a": Status.AMBER,
    "in progress": Status.AMBER,
    "green": Status.GREEN,
    "g": Status.GREEN,
    "completed": Status.GREEN,
    "complete": Status.GREEN,
    "blue": Status.BLUE,
    "b": Status.BLUE,
    "achieved but continuously evolving": Status.BLUE,
    "achieved continuously evolving": Status.BLUE,
}
for _status in Status:
    STATUS_WORDS[_status.label] = _status.value

STATUS_KEYS = {normalise_heading(k): v for k, v in STATUS_WORDS.items()}

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}


class ImportRefused(Exception):
    """The whole file is refused (too big, unreadable, no usable headings)."""


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Row:
    number: int
    ref: str = ""
    priority: tuple[int, str] | None = None
    objective: tuple[str, str] = ("", "")
    method: str = ""
    action: str = ""
    lead: str = ""
    due_on: datetime.date | None = None
    ongoing: bool = False
    review_on: datetime.date | None = None
    success_measure: str = ""
    status: str | None = None
    update: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    # Undo the quote our export puts before a cell that would look like a formula.
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


# --- reading files --------------------------------------------------------------


def read_rows(uploaded) -> list[list]:
    """The file's rows as lists of cells, header first. Refuses huge or unreadable files."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportRefused(f"The file is {size // 1024} KB; the limit is {MAX_BYTES // 1024 // 1024} MB.")
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    name = (getattr(uploaded, "name", "") or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith(".xls"):
        raise ImportRefused("Old .xls files cannot be read: save the sheet as .xlsx or CSV and try again.")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused("The Excel file could not be read. Save it again as .xlsx or CSV.") from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(list(values))
        if len(rows) > MAX_ROWS + 1:
            workbook.close()
            raise ImportRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportRefused("The CSV file's text encoding could not be read: save it as UTF-8.")
    if "\x00" in text:
        raise ImportRefused("This does not look like a CSV file.")
    rows = []
    try:
        # newline="" lets the csv module see line endings itself (a lone carriage return included).
        for values in csv.reader(io.StringIO(text, newline="")):
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
    except csv.Error as error:
        raise ImportRefused(f"The CSV file could not be read (line {len(rows) + 1}): {error}.") from error
    return rows


# --- parsing cells -------------------------------------------------------------------


def parse_status(value) -> str | None:
    text = normalise_heading(value)
    if not text:
        return None
    if text in STATUS_KEYS:
        return STATUS_KEYS[text]
    raise ValueError(f"status {value!r} is not one of Red, Amber (Gold), Green or Blue")


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def parse_date(value) -> datetime.date:
    """A date as 2026-03-31, 31/03/2026, 31 March 2026 or March 2026 (the month's last day)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().rstrip(".")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})", text):
            return datetime.date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
        if m := re.fullmatch(r"([A-Za-z]+),? (\d{4})", text):
            return _month_end(int(m[2]), MONTHS[m[1].lower()])
    except (KeyError, ValueError):
        pass
    raise ValueError(f"{text!r} is not a date (write 31 March 2026, 31/03/2026, 2026-03-31 or March 2026)")


def parse_timescale(value) -> tuple[datetime.date | None, bool, datetime.date | None]:
    """(due_on, ongoing, review_on) from a Timescale cell: a date, or "Ongoing — review <date>"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False, None
    if isinstance(value, datetime.date | datetime.datetime):
        return parse_date(value), False, None
    text = str(value).strip()
    if m := re.fullmatch(r"(?i)ongoing\s*(?:[-—–,;(]\s*)?(?:review(?:ed)?\s*(?:by|on)?\s*(.+?))?\)?", text):
        return None, True, parse_date(m[1]) if m[1] else None
    return parse_date(text), False, None


def format_timescale(action: Action) -> str:
    if action.ongoing:
        return f"Ongoing — review {action.review_on:%-d %B %Y}" if action.review_on else "Ongoing"
    return f"{action.due_on:%-d %B %Y}" if action.due_on else ""


def parse_priority(value) -> tuple[int, str] | None:
    text = _text(value)
    if not text:
        return None
    if m := re.fullmatch(r"(?:priority\s*)?(\d{1,3})[.:)]?\s*(.*)", text, flags=re.IGNORECASE | re.DOTALL):
        return int(m[1]), m[2].strip()
    raise ValueError(f"priority {text!r} does not start with its number (e.g. '1. Leadership')")


def parse_objective(value) -> tuple[str, str]:
    text = _text(value)
    if m := re.fullmatch(r"(\d+(?:\.\d+)*)\.?\s+(.+)", text, flags=re.DOTALL):
        return m[1], m[2].strip()
    return "", text


# --- import ------------------------------------------------------------------------------


def _map_headings(header: list) -> dict[int, str]:
    mapping = {}
    for index, heading in enumerate(header):
        name = ALIASES.get(normalise_heading(heading))
        if name and name not in mapping.values():
            mapping[index] = name
    return mapping


def _parse_row(number: int, values: list, mapping: dict[int, str]) -> tuple[Row, list[str]]:
    cells = {name: values[i] if i < len(values) else None for i, name in mapping.items()}
    row, errors = Row(number=number), []
    row.ref = _text(cells.get("ref"))
    row.method = _text(cells.get("method"))
    row.action = _text(cells.get("action"))
    row.lead = _text(cells.get("lead"))[:200]
    row.success_measure = _text(cells.get("success_measure"))
    row.update = _text(cells.get("update"))
    row.objective = parse_objective(cells.get("objective"))
    if not row.action:
        errors.append("the Action cell is empty")
    if not row.objective[1] and not row.objective[0]:
        errors.append("the Objective cell is empty")
    for name, parse in (("priority", parse_priority), ("status", parse_status)):
        try:
            setattr(row, name, parse(cells.get(name)))
        except ValueError as error:
            errors.append(str(error))
    try:
        row.due_on, row.ongoing, row.review_on = parse_timescale(cells.get("timescale"))
    except ValueError as error:
        errors.append(f"timescale: {error}")
    if len(row.ref) > 20:
        errors.append("the Ref is longer than 20 characters")
    return row, errors


def import_plan(*, plan: Plan, uploaded, by, filename: str = "") -> ImportResult:
    """Read the whole file, then write it in one transaction only if every row is good."""
    result = ImportResult()
    rows = read_rows(uploaded)
    while rows and not any(_text(v) for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportRefused("The file is empty.")
    mapping = _map_headings(rows[0])
    missing = {"action", "objective"} - set(mapping.values())
    if missing:
        raise ImportRefused(
            "The first row must hold the column headings; none was recognised for "
            + " and ".join(sorted(missing))
            + ". See the column mapping below."
        )
    parsed: list[Row] = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in values):
            continue
        row, errors = _parse_row(number, list(values), mapping)
        result.errors.extend(f"Row {number}: {e}." for e in errors)
        parsed.append(row)
    seen_refs: dict[str, int] = {}
    for row in parsed:
        if row.ref and row.ref in seen_refs:
            result.errors.append(f"Row {row.number}: the Ref {row.ref} is also used on row {seen_refs[row.ref]}.")
        elif row.ref:
            seen_refs[row.ref] = row.number
    result.rows = len(parsed)
    if not parsed and not result.errors:
        result.errors.append("The file has headings but no rows of actions.")
    if result.errors:
        return result
    with transaction.atomic():
        _write_rows(plan=plan, rows=parsed, by=by, filename=filename, result=result)
    return result


def _lead_for(text: str, agencies: dict, people: dict) -> dict:
    key = text.lower()
    if key in agencies:
        return {"lead_agency": agencies[key], "lead_person": None, "lead_text": ""}
    if key in people:
        return {"lead_agency": None, "lead_person": people[key], "lead_text": ""}
    return {"lead_agency": None, "lead_person": None, "lead_text": text}


def _write_rows(*, plan: Plan, rows: list[Row], by, filename: str, result: ImportResult) -> None:
    agencies = {a.name.lower(): a for a in Agency.objects.all()}
    people: dict[str, User] = {}
    for user in User.objects.filter(is_active=True).only("pk", "full_name"):
        # Only names that belong to exactly one person can be matched to a person.
        people[user.full_name.lower()] = None if user.full_name.lower() in people else user
    people = {k: v for k, v in people.items() if v is not None}
    reason = f"Imported from {filename}" if filename else "Imported from a file"
    default_priority = None
    for row in rows:
        if row.priority:
            priority = services.priority_get_or_create(plan=plan, number=row.priority[0], title=row.priority[1])
        else:
            if default_priority is None:
                existing = Priority.objects.filter(plan=plan).order_by("number").last()
                default_priority = services.priority_get_or_create(
                    plan=plan, number=existing.number if existing else 1, title="" if existing else "Imported actions"
                )
            priority = default_priority
        objective = _objective_for(priority, row.objective)
        action = _existing_action(plan, objective, row)
        fields = {
            "method": row.method,
            "success_measure": row.success_measure,
            "due_on": row.due_on,
            "ongoing": row.ongoing,
            "review_on": row.review_on,
            **_lead_for(row.lead, agencies, people),
        }
        if action is None:
            action = services.action_create(
                objective=objective,
                ref=row.ref,
                action=row.action,
                by=by,
                status=row.status or Status.RED,
                source_label=reason,
                **fields,
            )
            result.created += 1
        else:
            changed = {k: v for k, v in fields.items() if getattr(action, k) != v}
            if objective.pk != action.objective_id:
                changed["objective"] = objective
            if row.action != action.action:
                changed["action"] = row.action
            status_changed = bool(row.status) and row.status != action.status
            if changed:
                services.action_update(action=action, by=by, changes=changed)
            if status_changed:
                services.action_set_status(action=action, status=row.status, reason=reason, by=by)
            if changed or status_changed:
                result.updated += 1
            else:
                result.unchanged += 1
        if row.update and not ProgressUpdate.objects.filter(action=action, text=row.update).exists():
            services.progress_update_add(action=action, text=row.update, by=by, date=timezone.localdate())


def _objective_for(priority: Priority, objective: tuple[str, str]) -> Objective:
    number, title = objective
    if number:
        return services.objective_get_or_create(priority=priority, number=number, title=title)
    found = Objective.objects.filter(priority=priority, title__iexact=title).first()
    if found:
        return found
    count = Objective.objects.filter(priority=priority).count() + 1
    while Objective.objects.filter(priority=priority, number=f"{priority.number}.{count}").exists():
        count += 1
    return services.objective_get_or_create(priority=priority, number=f"{priority.number}.{count}", title=title)


def _existing_action(plan: Plan, objective: Objective, row: Row) -> Action | None:
    if row.ref:
        return Action.objects.filter(plan=plan, ref=row.ref).first()
    return Action.objects.filter(plan=plan, objective=objective, action__iexact=row.action).first()


# --- export ----------------------------------------------------------------------------------


def export_rows(plan: Plan) -> list[list[str]]:
    """The plan in the import's shape: one row per active action, with its latest update."""
    from actionplan.selectors import plan_actions

    rows = [EXPORT_HEADINGS]
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


def export_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in export_rows(plan):
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(plan: Plan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    for row in export_rows(plan):
        # Text cells only: openpyxl would otherwise store "=..." as a formula.
        sheet.append([safe_cell(v) for v in row])
    for column, width in zip("ABCDEFGHIJ", (8, 30, 35, 35, 50, 25, 22, 35, 28, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
