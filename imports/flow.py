"""The one import flow every app uses: upload → map columns → preview → confirm.

An app describes its import as an ``Importer`` (its fields with the headings that suggest them,
who may use it, how rows become changes) and registers it; the views in ``imports.views`` walk
the user through the steps. The preview is computed without writing; confirming computes it
again inside one transaction and writes only if no row has a problem, so an import is all or
nothing, and matching rows against what exists makes a re-import add nothing.

Two people confirming imports into the same plan or agency at the same moment are taken one
after the other (a PostgreSQL advisory lock held until the transaction ends): the second walks
the rows again after the first has committed, finds them there, and is told who imported them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from esafety import figures
from imports import tabular
from imports.models import CompletedImport, PendingImport, RememberedMapping

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    # Normalised headings that suggest this field, each with a weight: the strongest match wins.
    aliases: dict[str, int]
    help: str = ""
    required: bool = False


@dataclass
class ValueChoice:
    """A field whose words the partnership chooses (e.g. its RAG words): known words and the choices."""

    field: str
    choices: list[tuple[str, str]]
    known: dict[str, str]
    # How the import reads a cell with the known words, when it does more than look the whole cell up
    # (e.g. "Online Safety > Cyberbullying" read from its last part).
    read: Callable[[str, dict[str, str]], str | None] | None = None
    # The closest meaning of a word the import does not know, pre-selected on the columns page
    # (None: nothing plausible, the word stays "— choose —").
    suggest: Callable[[str], str | None] | None = None

    def understood(self, text: str) -> bool:
        if self.read is not None:
            return self.read(text, self.known) is not None
        return tabular.normalise(text) in self.known

    def suggestion(self, text: str) -> str:
        return (self.suggest(text) if self.suggest is not None else None) or ""


@dataclass
class Change:
    row: int
    outcome: str  # created / updated / unchanged
    summary: str
    # For a row left alone: what it matches, imported or made before ("INC-00042, imported 3 March 2025").
    matches: str = ""


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.changes if c.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.changes)

    @property
    def already_there(self) -> list[Change]:
        return [c for c in self.changes if c.outcome == UNCHANGED]


@dataclass
class Table:
    """The data rows below the heading row, as {field: raw cell} with their spreadsheet row numbers."""

    headings: list[str]
    rows: list[tuple[int, dict]]


class Importer:
    kind = ""
    title = ""
    nouns = ("row", "rows")  # what one row of the file adds, singular and plural

    def noun(self, count: int) -> str:
        return self.nouns[0] if count == 1 else self.nouns[1]

    fields: list[Field] = []
    value_choices: list[ValueChoice] = []

    # --- who and where -------------------------------------------------------------------
    def get_target(self, user, target_id):
        """The object imported into, checked for this user (404 / 403 as everywhere)."""
        raise NotImplementedError

    def target_url(self, target) -> str:
        raise NotImplementedError

    def target_name(self, target) -> str:
        return str(target)

    # --- rows --------------------------------------------------------------------------------
    def preview(self, table: Table, values: dict, target, by) -> Preview:
        raise NotImplementedError

    def apply(self, table: Table, values: dict, target, by, filename: str) -> Preview:
        raise NotImplementedError

    def field_labels(self) -> dict[str, str]:
        return {f.key: f.label for f in self.fields}

    def lock_key(self, target) -> str:
        """What two confirmations must not write at once: by default this import into this target."""
        return f"{self.kind}:{target.pk if target is not None else ''}"


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    from django.http import Http404

    if kind not in REGISTRY:
        raise Http404
    return REGISTRY[kind]


# --- suggestions and remembered mappings -------------------------------------------------------


def known_headings(importer: Importer) -> set[str]:
    return {alias for f in importer.fields for alias in f.aliases}


def suggest(importer: Importer, headings: list[str]) -> dict[str, str]:
    """{column index: field key} from the headings' words; each field goes to its best column."""
    candidates = []
    for index, heading in enumerate(headings):
        words = tabular.normalise(heading)
        if not words:
            continue
        for f in importer.fields:
            for alias, weight in f.aliases.items():
                if words == alias:
                    score = weight * 100 + len(alias.split())
                elif set(alias.split()) <= set(words.split()):
                    # A longer heading containing the alias's words ("Action identified as from January 2009").
                    score = weight * 10 + len(alias.split())
                else:
                    continue
                candidates.append((score, -index, str(index), f.key))
    mapping: dict[str, str] = {}
    for _score, _order, column, key in sorted(candidates, reverse=True):
        if column not in mapping and key not in mapping.values():
            mapping[column] = key
    return {str(i): mapping.get(str(i), "") for i in range(len(headings))}


def headings_key(headings: list[str]) -> str:
    return hashlib.sha256("|".join(tabular.normalise(h) for h in headings).encode()).hexdigest()


def remembered(kind: str, headings: list[str]) -> RememberedMapping | None:
    return RememberedMapping.objects.filter(kind=kind, headings_key=headings_key(headings)).first()


def remember(pending: PendingImport, headings: list[str]) -> None:
    RememberedMapping.objects.update_or_create(
        kind=pending.kind,
        headings_key=headings_key(headings),
        defaults={"columns": pending.columns, "values": pending.values},
    )


def unknown_words(pending: PendingImport, importer: Importer, sheet: tabular.Sheet) -> dict[str, list[str]]:
    """Words in a value field's column (e.g. status) that neither the portal nor this mapping knows."""
    words: dict[str, list[str]] = {}
    columns = {key: int(i) for i, key in pending.columns.items() if key}
    for choice in importer.value_choices:
        if choice.field not in columns:
            continue
        seen = []
        for values in sheet.rows[pending.heading_row :]:
            index = columns[choice.field]
            text = tabular.cell_text(values[index]) if index < len(values) else ""
            if text and not choice.understood(text) and text not in seen:
                seen.append(text)
        words[choice.field] = seen
    return words


def suggested_words(importer: Importer, unknown: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """{field: {normalised word: value}} for the unknown words that have a plausible meaning."""
    suggested: dict[str, dict[str, str]] = {}
    for choice in importer.value_choices:
        for word in unknown.get(choice.field, []):
            if value := choice.suggestion(word):
                suggested.setdefault(choice.field, {})[tabular.normalise(word)] = value
    return suggested


# --- reading the pending file -------------------------------------------------------------------


def read(pending: PendingImport, importer: Importer) -> tuple[tabular.Sheet, list[str]]:
    """The pending file's sheet and its headings (from the chosen heading row)."""
    sheet = tabular.read_sheet(pending.filename, bytes(pending.data), pending.sheet)
    index = max(pending.heading_row - 1, 0)
    headings = [tabular.cell_text(v) for v in sheet.rows[index]] if index < len(sheet.rows) else []
    return sheet, headings


def table(pending: PendingImport, importer: Importer) -> tuple[Table, list[str]]:
    """The mapped rows below the heading row, and the file-level problems (formulas, too many rows)."""
    sheet, headings = read(pending, importer)
    columns = {int(i): key for i, key in pending.columns.items() if key}
    problems = []
    rows = []
    labels = importer.field_labels()
    heading_words = [tabular.normalise(h) for h in headings]
    body = list(enumerate(sheet.rows[pending.heading_row :], start=pending.heading_row + 1))
    repeated = any([tabular.normalise(v) for v in values] == heading_words for _, values in body)
    above = sheet.rows[pending.heading_row - 2] if pending.heading_row >= 2 else []
    if repeated and sum(1 for v in above if tabular.cell_text(v)) == 1:
        # A table pasted section by section (a heading row under each section's title): the row
        # just above the first heading row is the first section's title, not a title of the file.
        body.insert(0, (pending.heading_row - 1, above))
    for number, values in body:
        if not any(tabular.cell_text(v) for v in values):
            continue
        if [tabular.normalise(v) for v in values] == heading_words[: len(values)]:
            continue  # the heading row repeated (a table pasted in sections)
        cells = {}
        for index, key in columns.items():
            cells[key] = values[index] if index < len(values) else None
        formulas = [key for key, raw in cells.items() if tabular.is_formula(raw)]
        for key in formulas:
            problems.append(
                f"Row {number}: the {labels.get(key, key)} cell holds a spreadsheet formula; "
                "replace it with its value and try again."
            )
        if not formulas:  # a row with a formula is not read further: it is a problem already
            rows.append((number, cells))
    if len(rows) > tabular.MAX_ROWS:
        raise tabular.FileRefused(f"The file has more than {tabular.MAX_ROWS:,} rows; split it into smaller files.")
    return Table(headings=headings, rows=rows), problems


def missing_required(importer: Importer, columns: dict) -> list[Field]:
    chosen = set(columns.values())
    return [f for f in importer.fields if f.required and f.key not in chosen]


def run_preview(pending: PendingImport, importer: Importer, target, by) -> Preview:
    data, problems = table(pending, importer)
    result = importer.preview(data, pending.values, target, by)
    result.problems = problems + result.problems
    return result


def lock(importer: Importer, target) -> None:
    """Hold this import's lock until the transaction ends (PostgreSQL; SQLite writes one at a time anyway)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(importer.lock_key(target).encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@dataclass
class Confirmed:
    result: Preview
    # Imports into the same target confirmed by someone after this one was uploaded (newest first).
    overtaken_by: list[CompletedImport] = field(default_factory=list)

    @property
    def nothing_more(self) -> bool:
        """Someone else imported these rows a moment ago, and this confirmation added nothing."""
        return bool(self.overtaken_by) and not (self.result.created or self.result.updated)


def confirm(pending: PendingImport, importer: Importer, target, by, request=None) -> Confirmed:
    """Import the pending file: all or nothing, one confirmation into a target at a time.

    The rows are read and matched again once the lock is held, so a confirmation that waited for
    another finds that one's rows already there and adds nothing twice.
    """
    since = pending.created_at or timezone.now()
    with transaction.atomic():
        lock(importer, target)
        rows, problems = table(pending, importer)
        if problems:
            return Confirmed(Preview(problems=problems))
        result = importer.apply(rows, pending.values, target, by, pending.filename)
        if not result.ok:
            transaction.set_rollback(True)
            return Confirmed(result)
        target_id = target.pk if target is not None else None
        overtaken = list(
            CompletedImport.objects.filter(kind=pending.kind, target_id=target_id, created_at__gte=since)
            .select_related("created_by")
            .order_by("-created_at")
        )
        CompletedImport.objects.create(
            kind=pending.kind,
            target_id=target_id,
            filename=pending.filename,
            created_by=by,
            added=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        import_record(importer, target=target, filename=pending.filename, result=result, by=by, request=request)
        # Imports write in bulk, past the services: every cached figure counts again.
        figures.bump(*figures.AREAS)
    return Confirmed(result, overtaken)


def discard_stale() -> None:
    PendingImport.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()


def import_record(importer: Importer, *, target, filename: str, result: Preview, by, request=None) -> None:
    """An import confirmed, in the audit trail: which import, into what, from which file, and how much."""
    from activity.models import Action
    from activity.services import activity_record

    activity_record(
        Action.IMPORTED,
        request=request,
        actor=by,
        obj=target,
        summary=f"{importer.title} from {filename}: {result.created:,} added, {result.updated:,} updated, "
        f"{result.unchanged:,} unchanged",
    )


def import_file(importer: Importer, *, target, name: str, data: bytes, by, sheet: str = "", values=None) -> Preview:
    """The whole flow without the pages: the suggested (or remembered) columns, all or nothing.

    For scripts and tests; raises ``tabular.FileRefused`` for a file that cannot be read. Words
    the import does not know take their suggested meaning, unless ``values`` gives one.
    """
    read = tabular.read_sheet(name, data, sheet)
    index = read.heading_row(known_headings(importer))
    headings = [tabular.cell_text(v) for v in read.rows[index]] if index < len(read.rows) else []
    known = remembered(importer.kind, headings)
    pending = PendingImport(
        kind=importer.kind,
        filename=name,
        data=data,
        sheet=read.sheet,
        heading_row=index + 1,
        columns=known.columns if known else suggest(importer, headings),
        values={**(known.values if known else {}), **(values or {})},
    )
    missing = missing_required(importer, {k: v for k, v in pending.columns.items() if v})
    if missing:
        raise tabular.FileRefused(
            "No column was recognised for "
            + " and ".join(f.label for f in missing)
            + "; choose it on the columns page."
        )
    suggested = suggested_words(importer, unknown_words(pending, importer, read))
    pending.values = {
        key: {**suggested.get(key, {}), **pending.values.get(key, {})} for key in {*suggested, *pending.values}
    }
    return confirm(pending, importer, target, by).result
