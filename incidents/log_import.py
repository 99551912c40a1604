"""Agencies' incident logs (CPOMS, MyConcern or a spreadsheet) brought in for the monitoring figures.

A champion imports their own agency's log, the secretariat any agency's. Each row becomes a
closed incident marked with its source, holding only what the figures need — the day, the
category, the outcome — and the narrative only when the agency maps that column. Categories and
outcomes in the source system's words are matched to the portal's; words it does not know are
chosen on the columns page. Nobody is notified. A row is matched on its reference in the source
system (or, without one, on its day, category and outcome), so importing the same export again
adds nothing. The column lists the samples follow are described in docs/incident-log-import.md.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import permissions
from agencies.models import Agency
from imports import flow, tabular
from imports.flow import CREATED, UNCHANGED, UPDATED, Change, Field, Preview, ValueChoice
from incidents import access, services
from incidents.models import Category, ImportSource, Incident, Outcome


def _words(pairs: dict[str, str], choices) -> dict[str, str]:
    known = {tabular.normalise(label): value for value, label in choices}
    known |= {tabular.normalise(value): value for value, _ in choices}
    return known | {tabular.normalise(word): value for word, value in pairs.items()}


CATEGORY_WORDS = _words(
    {
        "cyber bullying": Category.CYBERBULLYING,
        "online bullying": Category.CYBERBULLYING,
        "bullying online": Category.CYBERBULLYING,
        "sexting": Category.NUDES,
        "nudes": Category.NUDES,
        "youth produced sexual imagery": Category.NUDES,
        "sharing nudes and semi nudes": Category.NUDES,
        "self generated images": Category.NUDES,
        "online grooming": Category.GROOMING,
        "cse": Category.GROOMING,
        "child sexual exploitation": Category.GROOMING,
        "inappropriate content": Category.INAPPROPRIATE,
        "harmful content": Category.INAPPROPRIATE,
        "pornography": Category.INAPPROPRIATE,
        "illegal content": Category.ILLEGAL,
        "sextortion": Category.SEXTORTION,
        "prevent": Category.RADICALISATION,
        "extremism": Category.RADICALISATION,
        "radicalisation": Category.RADICALISATION,
        "fraud": Category.IDENTITY,
        "identity theft": Category.IDENTITY,
        "allegation against staff": Category.STAFF_MISUSE,
        "staff misuse": Category.STAFF_MISUSE,
    },
    Category.choices,
)
OUTCOME_WORDS = _words(
    {
        "resolved": Outcome.RESOLVED,
        "resolved in school": Outcome.RESOLVED,
        "closed": Outcome.RESOLVED,
        "sanction": Outcome.SANCTION,
        "detention": Outcome.SANCTION,
        "exclusion": Outcome.SANCTION,
        "early help": Outcome.SUPPORT,
        "pastoral support": Outcome.SUPPORT,
        "support": Outcome.SUPPORT,
        "no further action": Outcome.REFERRED_NFA,
        "nfa": Outcome.REFERRED_NFA,
        "referred to social care": Outcome.CHILD_PROTECTION,
        "referral to children s social care": Outcome.CHILD_PROTECTION,
        "mash referral": Outcome.CHILD_PROTECTION,
        "child protection": Outcome.CHILD_PROTECTION,
        "referred to police": Outcome.CRIMINAL,
        "police": Outcome.CRIMINAL,
        "lado": Outcome.STAFF_PROCESS,
        "disciplinary": Outcome.STAFF_PROCESS,
    },
    Outcome.choices,
)

FIELDS = [
    Field(
        "reference",
        "Reference in the source system",
        {
            "incident id": 3,
            "concern id": 3,
            "record id": 3,
            "incident number": 3,
            "concern number": 3,
            "reference": 3,
            "ref": 3,
            "id": 2,
        },
        "Matches the row when the same log is imported again (without one: its day, category and outcome).",
    ),
    Field(
        "date",
        "Date",
        {
            "date": 3,
            "date of incident": 3,
            "incident date": 3,
            "date of concern": 3,
            "concern date": 3,
            "date time": 3,
            "date added": 2,
            "date recorded": 2,
            "occurred": 2,
        },
        "When it happened: 12/03/2025 (day first), 2025-03-12, 12 March 2025 or an Excel date.",
        required=True,
    ),
    Field(
        "category",
        "Category",
        {"category": 3, "categories": 3, "concern type": 3, "incident type": 3, "main category": 3, "type": 2},
        "In the source system's words (“Online Safety > Cyberbullying” reads its last part first).",
        required=True,
    ),
    Field(
        "outcome",
        "Outcome",
        {"outcome": 3, "outcome of concern": 3, "resolution": 2, "final outcome": 3},
        "In the source system's words; blank: Other.",
    ),
    Field(
        "narrative",
        "Narrative (kept only if you choose this)",
        {},
        "Never matched for you: choose it for a column only if your agency wants the portal to keep what happened.",
    ),
]


@dataclass
class Row:
    number: int
    reference: str
    occurred_on: datetime.date
    category: str
    outcome: str
    narrative: str


def _lookup(text: str, known: dict[str, str]) -> str | None:
    """The portal's value for a word, trying "Parent > Sub-category" from its last part."""
    parts = [text, *reversed([p for p in re.split(r"\s+[-–]\s+|[>/:]", text) if p.strip()])]
    for part in parts:
        value = known.get(tabular.normalise(part))
        if value:
            return value
    return None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    found = tabular.find_date(tabular.cell_text(value))
    return found[0] if found else None


def read_rows(table: flow.Table, values: dict) -> tuple[list[Row], list[str]]:
    rows, problems = [], []
    categories = {**CATEGORY_WORDS, **values.get("category", {})}
    outcomes = {**OUTCOME_WORDS, **values.get("outcome", {})}
    today = timezone.localdate()
    for number, cells in table.rows:
        text = {key: tabular.cell_text(value) for key, value in cells.items()}
        occurred_on = _date(cells.get("date"))
        if occurred_on is None:
            problems.append(f"Row {number}: the date “{text.get('date', '')}” cannot be read (write 12/03/2025).")
        elif occurred_on > today:
            problems.append(f"Row {number}: the date {occurred_on:%-d %B %Y} is in the future.")
        category = _lookup(text.get("category", ""), categories) if text.get("category") else None
        if not text.get("category"):
            problems.append(f"Row {number}: the Category cell is empty.")
        elif category is None:
            problems.append(
                f"Row {number}: the category “{text['category']}” is not one the portal knows; "
                "say which it is on the columns page."
            )
        outcome = _lookup(text["outcome"], outcomes) if text.get("outcome") else Outcome.OTHER
        if outcome is None:
            problems.append(
                f"Row {number}: the outcome “{text['outcome']}” is not one the portal knows; "
                "say which it is on the columns page."
            )
        if occurred_on and category and outcome:
            rows.append(
                Row(
                    number=number,
                    reference=text.get("reference", "")[:80],
                    occurred_on=occurred_on,
                    category=category,
                    outcome=outcome,
                    narrative=text.get("narrative", ""),
                )
            )
    return rows, problems


def _reference(row: Row) -> str:
    if row.reference:
        return row.reference
    # Without the source system's reference, the row is known by what it holds.
    key = f"{row.occurred_on}|{row.category}|{row.outcome}|{row.narrative}"
    return "row:" + hashlib.sha256(key.encode()).hexdigest()[:24]


class IncidentLogImporter(flow.Importer):
    nouns = ("incident", "incidents")
    fields = FIELDS

    def __init__(self, source: str, title: str):
        self.source = source
        self.kind = f"incidents-{source}"
        self.title = title
        self.value_choices = [
            ValueChoice("category", list(Category.choices), CATEGORY_WORDS, read=_lookup),
            ValueChoice("outcome", list(Outcome.choices), OUTCOME_WORDS, read=_lookup),
        ]

    def get_target(self, user, target_id):
        agency = get_object_or_404(Agency.objects.active(), pk=target_id)
        if permissions.manages_register(user) or agency.pk in access.champion_agency_ids(user):
            return agency
        if access.champion_agency_ids(user):
            raise Http404  # a champion of another agency: not theirs to see
        raise PermissionDenied

    def target_url(self, target) -> str:
        return target.get_absolute_url()

    def target_name(self, target) -> str:
        return target.name

    def _walk(self, table, values, agency, by, *, write, filename="") -> Preview:
        rows, problems = read_rows(table, values)
        result = Preview(problems=problems, rows=len(rows))
        if problems:
            return result
        existing = {i.source_reference: i for i in Incident.objects.filter(agency=agency, imported_from=self.source)}
        # The narrative is kept only when the agency chose a column for it.
        keep_narrative = any("narrative" in cells for _, cells in table.rows)
        for row in rows:
            reference = _reference(row)
            fields = {"occurred_on": row.occurred_on, "category": row.category, "outcome": row.outcome}
            if keep_narrative:
                fields["description"] = row.narrative
            incident = existing.get(reference)
            label = f"{row.occurred_on:%-d %B %Y}: {Category(row.category).label} — {Outcome(row.outcome).label}"
            if incident is None:
                if write:
                    incident = services.incident_import(
                        agency=agency,
                        source=self.source,
                        reference=reference,
                        description=fields.get("description", ""),
                        filename=filename,
                        by=by,
                        **{k: v for k, v in fields.items() if k != "description"},
                    )
                existing[reference] = incident or Incident(source_reference=reference, **fields)
                result.changes.append(Change(row.number, CREATED, label))
                continue
            changed = {k: v for k, v in fields.items() if getattr(incident, k) != v}
            if changed and write:
                services.incident_import_update(incident=incident, fields=changed, filename=filename, by=by)
            result.changes.append(Change(row.number, UPDATED if changed else UNCHANGED, label))
        return result

    def preview(self, table, values, target, by) -> Preview:
        return self._walk(table, values, target, by, write=False)

    def apply(self, table, values, target, by, filename) -> Preview:
        return self._walk(table, values, target, by, write=True, filename=filename)


IMPORTERS = {
    source: flow.register(IncidentLogImporter(source, title))
    for source, title in (
        (ImportSource.CPOMS, "Import a CPOMS export"),
        (ImportSource.MYCONCERN, "Import a MyConcern export"),
        (ImportSource.SPREADSHEET, "Import an incident spreadsheet"),
    )
}
