"""The partnership picture: is what the partnership does making children safer?

For one audit template and year it joins three things no single page shows:

- each question with gaps last year, the actions raised from those gaps, their status, and the same
  agencies' answer this year ("did the action close the gap?");
- each agency's self-assessment this year beside the incidents it reported in the year (the register
  holds no sizes for agencies, so counts are shown, protected as in the monitoring figures: 1 to 4 as
  "<5", and the others rounded to 5 when any is);
- the aspects where the partnership moved most and least over up to three years (the share of
  agencies answering without a gap).

Self-assessment means the agency's own answer in a submitted or accepted return (not the board's
moderated rating). Seven queries whatever the number of agencies, questions or years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from actionplan.models import Status as ActionStatus
from agencies.models import Agency
from audits.models import Answer, Cycle, GapAction, Question, ReturnStatus, Template
from incidents import access as incident_access
from incidents.models import Incident
from incidents.selectors import SMALL, THRESHOLD, Cell, protect_together

RETURNED = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
MOVED_SHOWN = 5


@dataclass
class GapRow:
    key: str
    text: str
    section: str
    gaps: int = 0
    with_action: int = 0
    actions: dict = field(default_factory=lambda: dict.fromkeys(ActionStatus.values, 0))
    answered_next: int = 0
    closed_with_action: int = 0
    closed_without_action: int = 0
    still_gap_with_action: int = 0

    @property
    def actions_total(self) -> int:
        return sum(self.actions.values())


def templates_with_cycles():
    return Template.objects.filter(cycles__isnull=False).distinct().order_by("name")


def years_of(template) -> list[int]:
    return sorted(Cycle.objects.filter(template=template).values_list("year", flat=True), reverse=True)


def default_template(templates=None):
    """The maturity review where it has been run, else the first audit run (alphabetically)."""
    templates = list(templates_with_cycles()) if templates is None else templates
    return next((t for t in templates if t.slug == "maturity-review"), templates[0] if templates else None)


def _incident_cells(counts: list[int]) -> list[Cell]:
    """Each agency's count of incidents, protected as the monitoring figures are: 1 to 4 shown as "<5", and
    when any is, the others rounded to 5 (so no exact count undoes a suppressed one elsewhere)."""
    cells = [Cell(n, SMALL if 0 < n < THRESHOLD else str(n)) for n in counts]
    protect_together(cells)
    return cells


def _per_thousand(cell: Cell, people: int | None) -> str:
    """Incidents per 1,000 children, young people and staff, from the published (protected) count: none where
    the agency's size is not known or the count is suppressed, so a rate never undoes a suppressed figure."""
    if not people or cell.suppressed:
        return "—"
    return f"{1000 * cell.published / people:.1f}"


def picture(*, template: Template, year: int) -> dict:
    cycles = {c.year: c for c in Cycle.objects.filter(template=template, year__in=(year - 2, year - 1, year))}
    questions = {
        q.pk: q
        for q in Question.objects.filter(version__in={c.template_version_id for c in cycles.values()}).select_related(
            "section", "version"
        )
    }
    # (year, question key, agency id) -> (answer id, value)
    answers: dict[tuple, tuple] = {}
    for row in Answer.objects.filter(
        audit_return__cycle__in=cycles.values(), audit_return__status__in=RETURNED
    ).values_list("pk", "audit_return__cycle__year", "audit_return__agency_id", "question_id", "value"):
        pk, cycle_year, agency_id, question_id, value = row
        if value:
            answers[(cycle_year, questions[question_id].key, agency_id)] = (pk, value, questions[question_id])
    links = defaultdict(list)  # answer id -> [action status]
    if year - 1 in cycles:
        for answer_id, status in GapAction.objects.filter(
            answer__audit_return__cycle=cycles[year - 1], action__archived_at__isnull=True
        ).values_list("answer_id", "action__status"):
            links[answer_id].append(status)

    # The latest version's questions give the order and the wording.
    latest = cycles.get(year) or cycles.get(year - 1)
    ordered = sorted(
        (q for q in questions.values() if latest and q.version_id == latest.template_version_id),
        key=lambda q: (q.section.order, q.order),
    )

    by_year_key = defaultdict(list)  # (year, key) -> [(agency id, answer id, value, question)]
    for (answer_year, key, agency_id), (pk, value, question) in answers.items():
        by_year_key[(answer_year, key)].append((agency_id, pk, value, question))
    follow_up = _follow_up(ordered, answers, by_year_key, links, year)
    agencies, incident_counts = _agencies_beside_incidents(answers, year)
    moved = _moved(ordered, by_year_key, cycles, year)
    return {
        "template": template,
        "year": year,
        "cycles": cycles,
        "previous_cycle": cycles.get(year - 1),
        "previous_returned": len({agency_id for (y, _key, agency_id) in answers if y == year - 1}),
        "follow_up": follow_up,
        "agencies": agencies,
        "incidents_total": sum(incident_counts.values()),
        "moved": moved,
        "threshold": THRESHOLD,
    }


def _follow_up(ordered, answers, by_year_key, links, year) -> list[GapRow]:
    rows = []
    for question in ordered:
        key = question.key
        row = GapRow(key, question.text, question.section.title)
        for agency_id, answer_id, value, asked in by_year_key.get((year - 1, key), []):
            if not asked.is_gap(value):
                continue
            row.gaps += 1
            statuses = links.get(answer_id, [])
            for status in statuses:
                row.actions[status] += 1
            next_answer = answers.get((year, key, agency_id))
            if statuses:
                row.with_action += 1
            if next_answer is None:
                continue
            row.answered_next += 1
            closed = not next_answer[2].is_gap(next_answer[1])
            if statuses and closed:
                row.closed_with_action += 1
            elif statuses:
                row.still_gap_with_action += 1
            elif closed:
                row.closed_without_action += 1
        if row.gaps:
            rows.append(row)
    return sorted(rows, key=lambda r: (-r.gaps, r.section, r.text))


def _agencies_beside_incidents(answers, year) -> tuple[list[dict], dict]:
    answered = defaultdict(int)
    gaps = defaultdict(int)
    for (answer_year, _key, agency_id), (_pk, value, question) in answers.items():
        if answer_year == year:
            answered[agency_id] += 1
            gaps[agency_id] += question.is_gap(value)
    incident_counts = dict(
        Incident.objects.filter(status__in=incident_access.SUBMITTED, reported_at__year=year, agency__in=answered)
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("agency", "n")
    )
    agencies = {
        pk: (name, size)
        for pk, name, size in Agency.objects.filter(pk__in=answered).values_list("pk", "name", "people_served")
    }
    rows = [
        {
            "agency_id": agency_id,
            "name": agencies[agency_id][0],
            "people_served": agencies[agency_id][1],
            "answered": answered[agency_id],
            "gaps": gaps[agency_id],
            "without_gap": round(100 * (answered[agency_id] - gaps[agency_id]) / answered[agency_id]),
            "incidents": incident_counts.get(agency_id, 0),
        }
        for agency_id in answered
    ]
    for row, cell in zip(rows, _incident_cells([row["incidents"] for row in rows]), strict=True):
        row["incidents_shown"] = cell.shown
        row["per_thousand"] = _per_thousand(cell, row["people_served"])
    return sorted(rows, key=lambda r: (r["without_gap"], r["name"])), incident_counts


def _share_without_gap(by_year_key, year, key) -> tuple[int, int]:
    """(answered, without a gap) for one question in one year."""
    rows = by_year_key.get((year, key), [])
    return len(rows), sum(not question.is_gap(value) for _agency, _pk, value, question in rows)


def _moved(ordered, by_year_key, cycles, year) -> dict:
    first = min((y for y in cycles if y < year), default=None)
    if first is None or year not in cycles:
        return {"first": first, "last": year, "most": [], "least": []}
    rows = []
    for question in ordered:
        before_n, before_ok = _share_without_gap(by_year_key, first, question.key)
        after_n, after_ok = _share_without_gap(by_year_key, year, question.key)
        if not before_n or not after_n:
            continue
        before, after = round(100 * before_ok / before_n), round(100 * after_ok / after_n)
        rows.append(
            {
                "key": question.key,
                "text": question.text,
                "section": question.section.title,
                "before": before,
                "after": after,
                "change": after - before,
                "before_n": before_n,
                "after_n": after_n,
            }
        )
    by_change = sorted(rows, key=lambda r: (-r["change"], r["text"]))
    most = by_change[:MOVED_SHOWN]
    least = [r for r in reversed(by_change) if r not in most][:MOVED_SHOWN]
    return {"first": first, "last": year, "most": most, "least": least}
