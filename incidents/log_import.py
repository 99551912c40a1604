"""Agencies' incident logs (CPOMS, MyConcern or a spreadsheet) brought in for the monitoring figures.

A champion imports their own agency's log, the secretariat any agency's. Each row becomes a
closed incident marked with its source, holding only what the figures need — the day, the
category, the outcome — and the narrative only when the agency maps that column. Categories and
outcomes in the source system's words are matched to the portal's; words it does not know are
chosen on the columns page, each with its closest meaning pre-selected. Nobody is notified.

Every data row is its own incident. A row is matched on its reference in the source system; a
row without one on its day, category, outcome (and narrative) and its place among the rows of
the file that hold exactly the same (the second of three identical rows stays the second), so
three identical rows are three incidents and importing the same export again adds nothing. The
column lists the samples follow are described in docs/incident-log-import.md.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import permissions
from agencies.models import Agency
from imports import flow, meaning, tabular
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

# Words close enough to suggest a meaning on the columns page (the champion confirms it), on top
# of the portal's labels and the words above.
CATEGORY_SYNONYMS = {
    "bullying": Category.CYBERBULLYING,
    "trolling": Category.CYBERBULLYING,
    "harassment": Category.CYBERBULLYING,
    "grooming": Category.GROOMING,
    "sexual exploitation": Category.GROOMING,
    "nudes": Category.NUDES,
    "semi nudes": Category.NUDES,
    "nude images": Category.NUDES,
    "indecent images": Category.NUDES,
    "self harm": Category.HARMFUL_CONTENT,
    "suicide": Category.HARMFUL_CONTENT,
    "eating disorders": Category.HARMFUL_CONTENT,
    "mobile phone misuse": Category.OTHER_CONDUCT,
    "phone misuse": Category.OTHER_CONDUCT,
    "device misuse": Category.OTHER_CONDUCT,
    "misuse of technology": Category.OTHER_CONDUCT,
    "acceptable use": Category.OTHER_CONDUCT,
    "violent content": Category.INAPPROPRIATE,
    "adult content": Category.INAPPROPRIATE,
    "blackmail": Category.SEXTORTION,
    "extremist": Category.RADICALISATION,
    "hacking": Category.IDENTITY,
    "scam": Category.SCAMS,
    "phishing": Category.SCAMS,
    "fake news": Category.MISINFORMATION,
    "peer pressure": Category.PEER_PRESSURE,
    "online challenge": Category.PEER_PRESSURE,
    "betting": Category.GAMBLING,
}
OUTCOME_SYNONYMS = {
    "police informed": Outcome.CRIMINAL,
    "ceop": Outcome.CRIMINAL,
    "reported to ceop": Outcome.CRIMINAL,
    "referred to children s social care": Outcome.CHILD_PROTECTION,
    "social care": Outcome.CHILD_PROTECTION,
    "mash": Outcome.CHILD_PROTECTION,
    "section 47": Outcome.CHILD_PROTECTION,
    "parents contacted": Outcome.RESOLVED,
    "parents informed": Outcome.RESOLVED,
    "restorative meeting": Outcome.RESOLVED,
    "talk with pupil": Outcome.RESOLVED,
    "spoke to pupil": Outcome.RESOLVED,
    "filtering checked": Outcome.RESOLVED,
    "advice given": Outcome.RESOLVED,
    "monitoring": Outcome.RESOLVED,
    "pastoral": Outcome.SUPPORT,
    "counselling": Outcome.SUPPORT,
    "mentoring": Outcome.SUPPORT,
    "isolation": Outcome.SANCTION,
    "suspension": Outcome.SANCTION,
    "nfa": Outcome.REFERRED_NFA,
}
# A cell naming several categories counts under the first of these it names: the specific before
# the general (a generic "Online Safety" tag beside a specific one is ignored altogether).
CATEGORY_ORDER = [
    Category.SEXTORTION,
    Category.GROOMING,
    Category.NUDES,
    Category.ILLEGAL,
    Category.RADICALISATION,
    Category.STAFF_MISUSE,
    Category.HARMFUL_CONTENT,
    Category.CYBERBULLYING,
    Category.IDENTITY,
    Category.SCAMS,
    Category.GAMBLING,
    Category.MISINFORMATION,
    Category.PEER_PRESSURE,
    Category.INAPPROPRIATE,
    Category.OTHER_CONTENT,
    Category.OTHER_CONTACT,
    Category.OTHER_CONDUCT,
    Category.OTHER_COMMERCE,
    Category.OTHER,
]
# Several actions in one cell ("Parents contacted; Police informed"): the furthest the concern went.
OUTCOME_ORDER = [
    Outcome.CRIMINAL,
    Outcome.CHILD_PROTECTION,
    Outcome.STAFF_PROCESS,
    Outcome.REFERRED_NFA,
    Outcome.SUPPORT,
    Outcome.SANCTION,
    Outcome.RESOLVED,
    Outcome.OTHER,
]
GENERIC = {"online safety", "e safety", "esafety", "internet safety", "online", "safeguarding", "online safeguarding"}
CATEGORY_MEANINGS = meaning.Meanings({**CATEGORY_WORDS, **CATEGORY_SYNONYMS}, order=CATEGORY_ORDER, generic=GENERIC)
OUTCOME_MEANINGS = meaning.Meanings({**OUTCOME_WORDS, **OUTCOME_SYNONYMS}, order=OUTCOME_ORDER, generic=GENERIC)

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
        "Matches the row when the same log is imported again (without one: its day, category, outcome and "
        "place among identical rows).",
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
        "In the source system's words (“Online Safety > Cyberbullying” reads its last part; a cell naming "
        "several counts once, under the most specific).",
        required=True,
    ),
    Field(
        "outcome",
        "Outcome",
        {
            "outcome": 3,
            "outcome of concern": 3,
            "final outcome": 3,
            "action taken": 3,
            "actions taken": 3,
            "resolution": 2,
            "action": 2,
            "actions": 2,
        },
        "In the source system's words (an action taken, such as “Police informed”, counts as the outcome); "
        "blank: Other.",
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
    # The categories a cell named when it named several ("Cyberbullying, Sextortion"): the preview says which counted.
    categories_named: tuple[str, ...] = ()


def _named(text: str, known: dict[str, str]) -> list[str]:
    """The portal's values a cell names: the whole cell, or its parts ("Parent > Child", "A, B").

    A generic part ("Online Safety") counts only when the cell names nothing more specific.
    """
    whole = known.get(tabular.normalise(text))
    if whole:
        return [whole]
    parts = [part for part in meaning.parts(text) if part in known]
    specific = [part for part in parts if part not in GENERIC] or parts
    return list(dict.fromkeys(known[part] for part in specific))


def _read_category(text: str, known: dict[str, str]) -> str | None:
    return CATEGORY_MEANINGS.most_specific(_named(text, known))


def _read_outcome(text: str, known: dict[str, str]) -> str | None:
    return OUTCOME_MEANINGS.most_specific(_named(text, known))


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
        named = _named(text.get("category", ""), categories) if text.get("category") else []
        category = CATEGORY_MEANINGS.most_specific(named)
        if not text.get("category"):
            problems.append(f"Row {number}: the Category cell is empty.")
        elif category is None:
            problems.append(
                f"Row {number}: the category “{text['category']}” is not one the portal knows; "
                "say which it is on the columns page."
            )
        outcome = _read_outcome(text["outcome"], outcomes) if text.get("outcome") else Outcome.OTHER
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
                    categories_named=tuple(named) if len(named) > 1 else (),
                )
            )
    first_with: dict[str, int] = {}
    for row in rows:
        if row.reference and row.reference in first_with:
            problems.append(
                f"Row {row.number}: the reference {row.reference} is also on row {first_with[row.reference]}; "
                "each incident is one row (remove the repeated row, or choose another column as the reference)."
            )
        first_with.setdefault(row.reference, row.number)
    return rows, problems


def references(rows: list[Row]) -> list[str]:
    """Each row's reference: the source system's, or one made from what the row holds and its place.

    Without the source's reference, a row is known by its day, category, outcome and narrative;
    the second and later of identical rows add their place among them ("|2", "|3"), so identical
    rows stay apart and keep their reference on the next import. The first keeps the reference
    rows have always had, so incidents imported before are matched as they were.
    """
    seen: Counter[str] = Counter()
    made = []
    for row in rows:
        if row.reference:
            made.append(row.reference)
            continue
        key = f"{row.occurred_on}|{row.category}|{row.outcome}|{row.narrative}"
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}|{seen[key]}"
        made.append("row:" + hashlib.sha256(key.encode()).hexdigest()[:24])
    return made


def _category_label(row: Row) -> str:
    label = Category(row.category).label
    if row.categories_named:
        named = " and ".join(Category(c).label for c in row.categories_named)
        return f"{label} (the cell names {named}: counted once, as the most specific)"
    return label


def _suggest_category(text: str) -> str | None:
    return CATEGORY_MEANINGS.closest(text)


def _suggest_outcome(text: str) -> str | None:
    return OUTCOME_MEANINGS.closest(text)


class IncidentLogImporter(flow.Importer):
    nouns = ("incident", "incidents")
    fields = FIELDS

    def __init__(self, source: str, title: str):
        self.source = source
        self.kind = f"incidents-{source}"
        self.title = title
        self.value_choices = [
            ValueChoice(
                "category", list(Category.choices), CATEGORY_WORDS, read=_read_category, suggest=_suggest_category
            ),
            ValueChoice("outcome", list(Outcome.choices), OUTCOME_WORDS, read=_read_outcome, suggest=_suggest_outcome),
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
        existing = {
            i.source_reference: i
            for i in Incident.objects.filter(agency=agency, imported_from=self.source).select_related("reporter")
        }
        # The narrative is kept only when the agency chose a column for it.
        keep_narrative = any("narrative" in cells for _, cells in table.rows)
        for row, reference in zip(rows, references(rows), strict=True):
            fields = {"occurred_on": row.occurred_on, "category": row.category, "outcome": row.outcome}
            if keep_narrative:
                fields["description"] = row.narrative
            incident = existing.get(reference)
            label = f"{row.occurred_on:%-d %B %Y}: {_category_label(row)} — {Outcome(row.outcome).label}"
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
            matches = f"{incident.reference}, imported {incident.created_at:%-d %B %Y} by {incident.reporter}" + (
                f" (reference {row.reference})" if row.reference else ""
            )
            result.changes.append(Change(row.number, UPDATED if changed else UNCHANGED, label, matches))
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
