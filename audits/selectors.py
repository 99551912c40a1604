"""Reads for audits: a return with its answers, gaps, changes since last year, the collation."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from audits.models import (
    EDITABLE_STATUSES,
    LEVELS,
    Answer,
    AuditReturn,
    Cycle,
    Evidence,
    Question,
    QuestionKind,
    ReturnStatus,
    Section,
    TemplateKind,
    TemplateVersion,
)
from esafety import figures

COUNTED = {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED}
COLLATION_CACHE_SECONDS = 24 * 60 * 60


def version_structure(version: TemplateVersion) -> tuple[list[Section], dict[int, Question]]:
    """Sections with their questions attached as ``section.question_list``, in one query (a template's
    every section has questions: the import refuses an empty one)."""
    sections: dict[int, Section] = {}
    questions = {}
    for q in Question.objects.filter(version=version).select_related("section").order_by("section__order", "order"):
        section = sections.get(q.section_id)
        if section is None:
            section = sections[q.section_id] = q.section
            section.version = version
            section.question_list = []
        q.version = version
        q.section = section
        section.question_list.append(q)
        questions[q.pk] = q
    return list(sections.values()), questions


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(template_id=cycle.template_id, year__lt=cycle.year)
        .select_related("template_version__template")
        .order_by("-year")
        .first()
    )


@dataclass
class ReturnView:
    audit_return: AuditReturn
    sections: list[Section]
    questions: dict[int, Question]
    answers: dict[int, Answer]
    evidence: list[Evidence] = field(default_factory=list)
    history: list = field(default_factory=list)

    @property
    def answered_count(self) -> int:
        return sum(1 for a in self.answers.values() if a.value)

    @property
    def review_count(self) -> int:
        return sum(1 for a in self.answers.values() if a.needs_review)

    @property
    def gaps(self) -> list[Answer]:
        return [a for a in self.answers.values() if a.is_gap]

    @property
    def resume_section(self) -> Section | None:
        """Where to carry on: the first section with an unanswered question or an answer to check."""
        for section in self.sections:
            for q in section.question_list:
                answer = self.answers.get(q.pk)
                if answer is None or not answer.value or answer.needs_review:
                    return section
        return self.sections[0] if self.sections else None

    def section_progress(self, section: Section) -> tuple[int, int]:
        total = len(section.question_list)
        done = sum(1 for q in section.question_list if (a := self.answers.get(q.pk)) and a.value)
        return done, total


def return_view(audit_return: AuditReturn) -> ReturnView:
    """Everything a return page shows, in a fixed number of queries."""
    version = audit_return.cycle.template_version
    sections, questions = version_structure(version)
    answers = {}
    for a in Answer.objects.filter(audit_return=audit_return).select_related("updated_by", "moderated_by"):
        a.question = questions[a.question_id]
        answers[a.question_id] = a
    for section in sections:
        for q in section.question_list:
            q.answer = answers.get(q.pk)
    evidence = list(
        Evidence.objects.filter(audit_return=audit_return, archived_at__isnull=True).select_related(
            "question", "uploaded_by"
        )
    )
    history = list(audit_return.status_changes.select_related("by"))
    return ReturnView(audit_return, sections, questions, answers, evidence, history)


def returns_by_year(agency_ids) -> list[AuditReturn]:
    return list(
        AuditReturn.objects.filter(agency__in=agency_ids)
        .select_related("agency", "cycle__template")
        .order_by("-cycle__year", "cycle__template__name", "agency__name")
    )


def return_changes(audit_return: AuditReturn) -> tuple[AuditReturn | None, list[dict]]:
    """How this return's answers differ from the same agency's return in the previous cycle."""
    previous = previous_cycle(audit_return.cycle)
    if previous is None:
        return None, []
    old_return = AuditReturn.objects.filter(cycle=previous, agency_id=audit_return.agency_id).first()
    if old_return is None:
        return None, []
    _, questions = version_structure(audit_return.cycle.template_version)
    old_answers = {
        a.question.key: a for a in Answer.objects.filter(audit_return=old_return).select_related("question__version")
    }
    new_answers = {a.question_id: a for a in Answer.objects.filter(audit_return=audit_return)}
    rows = []
    for q in questions.values():
        old = old_answers.get(q.key)
        new = new_answers.get(q.pk)
        old_value = old.value if old else ""
        new_value = new.value if new else ""
        rows.append(
            {
                "question": q,
                "last_year": old.question.display(old_value) if old else "",
                "this_year": q.display(new_value),
                "changed": old_value != new_value,
                "direction": _direction(q, old_value, new_value),
            }
        )
    return old_return, rows


def _direction(question: Question, old: str, new: str) -> str:
    """'better', 'worse' or '' — gaps closed or opened, levels up or down (level 1 is best)."""
    if not old or not new or old == new:
        return ""
    if question.kind == QuestionKind.LEVEL:
        return "better" if int(new) < int(old) else "worse"
    if question.kind == QuestionKind.YES_NO and question.gap_when:
        return "worse" if question.is_gap(new) else "better"
    return ""


# --- gaps ------------------------------------------------------------------------------------


@dataclass
class Gap:
    answer: Answer
    audit_return: AuditReturn
    question: Question

    @property
    def answer_text(self) -> str:
        return self.question.display(self.answer.value)


def gaps_for_cycle(cycle: Cycle, *, agency_ids=None) -> list[Gap]:
    """Gaps in the submitted and accepted returns of a cycle (three queries)."""
    _, questions = version_structure(cycle.template_version)
    returns = AuditReturn.objects.filter(cycle=cycle, status__in=COUNTED).select_related("agency")
    if agency_ids is not None:
        returns = returns.filter(agency__in=agency_ids)
    returns = {r.pk: r for r in returns}
    for r in returns.values():
        r.cycle = cycle
    gaps = []
    answers = Answer.objects.filter(audit_return__in=list(returns)).exclude(value="")
    for answer in answers.prefetch_related("action_links__action"):
        question = questions[answer.question_id]
        answer.question = question
        if question.is_gap(answer.value):
            gaps.append(Gap(answer, returns[answer.audit_return_id], question))
    gaps.sort(key=lambda g: (g.audit_return.agency.name, g.question.section.order, g.question.order))
    return gaps


def gaps_for_return(audit_return: AuditReturn) -> list[Gap]:
    """Gaps of one return, whatever its state, with any actions made from them (five queries)."""
    _, questions = version_structure(audit_return.cycle.template_version)
    gaps = []
    answers = Answer.objects.filter(audit_return=audit_return).exclude(value="")
    for answer in answers.prefetch_related("action_links__action"):
        question = questions[answer.question_id]
        answer.question = question
        if question.is_gap(answer.value):
            gaps.append(Gap(answer, audit_return, question))
    gaps.sort(key=lambda g: (g.question.section.order, g.question.order))
    return gaps


# --- collation -------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    css: str
    score: float | None  # 0 (weakest) to 1 (strongest)


def _level_text(version: TemplateVersion, average: float) -> str:
    return f"{average:.1f} ({version.level_label(round(average))})"


def _band(score: float | None) -> str:
    if score is None:
        return "heat-none"
    if score >= 0.75:
        return "heat-strong"
    if score >= 0.5:
        return "heat-fair"
    return "heat-weak"


def section_cell(version: TemplateVersion, section: Section, values: dict[int, str]) -> Cell:
    """One agency's result for one section: words and a colour band."""
    if version.template.kind == TemplateKind.MATURITY:
        levels = [int(values[q.pk]) for q in section.question_list if q.kind == QuestionKind.LEVEL and values.get(q.pk)]
        if not levels:
            return Cell("Not rated", "heat-none", None)
        average = sum(levels) / len(levels)
        score = (5 - average) / 4
        return Cell(f"Level {_level_text(version, average)}", _band(score), score)
    scored = [q for q in section.question_list if q.kind == QuestionKind.YES_NO and q.gap_when]
    if not scored:
        answered = sum(1 for q in section.question_list if values.get(q.pk))
        return Cell(f"{answered} of {len(section.question_list)} answered", "heat-none", None)
    met = sum(1 for q in scored if values.get(q.pk) and not q.is_gap(values[q.pk]))
    score = met / len(scored)
    return Cell(f"{met} of {len(scored)} in place", _band(score), score)


def benchmark_score(version: TemplateVersion, section: Section) -> float | None:
    if version.template.kind != TemplateKind.MATURITY:
        return 1.0 if any(q.gap_when for q in section.question_list) else None
    marks = [q.benchmark for q in section.question_list if q.benchmark]
    return (5 - sum(marks) / len(marks)) / 4 if marks else None


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """What the collation reads of an answer (far cheaper than the model for thousands of them)."""

    value: str
    board_value: str
    board_note: str
    comment: str


@dataclass
class Collation:
    cycle: Cycle
    sections: list[Section]
    questions: list[Question]
    returns: list[AuditReturn]  # the page of agencies shown (every return when not paged)
    rate: dict
    question_results: list[dict]
    heat_rows: list[dict]
    average_row: list[Cell]
    benchmark_row: list[float | None]
    moderation: list[dict]
    previous: Cycle | None
    changes: list[dict]
    answers: dict = field(default_factory=dict)
    previous_values: dict = field(default_factory=dict)
    page: Page | None = None

    @property
    def changes_by_agency(self) -> list[dict]:
        """The changes grouped by agency, with how many got better or weaker."""
        groups: dict[int, dict] = {}
        for change in self.changes:
            r = change["audit_return"]
            group = groups.setdefault(r.pk, {"agency": r.agency, "rows": [], "better": 0, "worse": 0})
            group["rows"].append(change)
            if change["direction"] in ("better", "worse"):
                group[change["direction"]] += 1
        return list(groups.values())

    @property
    def is_maturity(self) -> bool:
        return self.cycle.template.kind == TemplateKind.MATURITY


def collation_for_cycle(cycle: Cycle, *, page: str | int | None = None, per_page: int = 20) -> Collation:
    """The collated results of a cycle, whatever the number of agencies in a bounded number of queries.

    Partnership-wide figures (return rate, question by question, the average row) are counted
    in the database. The agency-by-agency parts (sections, profiles, ratings, changes) cover the
    returns of one ``page`` of agencies in name order, or every return when ``page`` is None.
    """
    version = cycle.template_version
    sections, questions = version_structure(version)
    # Every return's state counts towards the figures (one query reads them all, with what the page
    # shows of each); only the page of agencies shown has its answers read.
    every_return = _returns_of(cycle)
    states = [(r.pk, r.status, r.version) for r in every_return]
    page_obj = None
    shown = every_return
    if page is not None:
        page_obj = Paginator(states, per_page).get_page(page)
        shown_ids = {pk for pk, _, _ in page_obj.object_list}
        shown = [r for r in every_return if r.pk in shown_ids]
    shown_counted = [r for r in shown if r.status in COUNTED]

    answers: dict[tuple[int, int], AnswerRow] = {}
    values_by_return: dict[int, dict[int, str]] = {}
    for return_id, question_id, *fields in Answer.objects.filter(audit_return__in=[r.pk for r in shown]).values_list(
        "audit_return_id", "question_id", "value", "board_value", "board_note", "comment"
    ):
        answers[(return_id, question_id)] = AnswerRow(*fields)
        values_by_return.setdefault(return_id, {})[question_id] = fields[0]

    past_due = cycle.is_past_due
    status_counts = Counter(status for _, status, _ in states)
    counted = sum(status_counts[s] for s in COUNTED)
    rate = {
        "total": len(states),
        "draft": status_counts[ReturnStatus.DRAFT],
        "submitted": status_counts[ReturnStatus.SUBMITTED],
        "returned": status_counts[ReturnStatus.RETURNED],
        "accepted": status_counts[ReturnStatus.ACCEPTED],
        "overdue": sum(status_counts[s] for s in EDITABLE_STATUSES) if past_due else 0,
        "counted": counted,
        "past_due": past_due,
    }
    counted_answers = Answer.objects.filter(audit_return__cycle=cycle, audit_return__status__in=COUNTED)
    figures = _self_rating_figures_cached(cycle, states, version, sections, counted_answers, counted)
    # Board ratings change without the return changing: counted each time (an index holds only rated answers).
    differ = dict(
        counted_answers.exclude(board_value="")
        .exclude(board_value=F("value"))
        .values_list("question_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    question_results = _question_results(version, questions, figures["by_value"], differ, counted)
    average_row = _average_row(version, sections, figures["scores"])
    benchmark_row = [benchmark_score(version, s) for s in sections]

    heat_rows = []
    for r in shown_counted:
        values = values_by_return.get(r.pk, {})
        heat_rows.append({"audit_return": r, "cells": [section_cell(version, s, values) for s in sections]})

    question_items = list(questions.items())
    moderated = {return_id for (return_id, _), a in answers.items() if a.board_value}
    moderation = []
    for r in shown_counted:
        if r.pk not in moderated:
            continue
        for question_id, q in question_items:
            a = answers.get((r.pk, question_id))
            if a and a.board_value:
                moderation.append(
                    {
                        "audit_return": r,
                        "question": q,
                        "self": q.display(a.value) or "Not answered",
                        "board": q.display(a.board_value),
                        "note": a.board_note,
                        "differs": a.board_value != a.value,
                    }
                )

    previous = previous_cycle(cycle)
    changes = []
    previous_values: dict[tuple[int, str], str] = {}
    if previous is not None:
        old_answers = Answer.objects.filter(
            audit_return__cycle=previous,
            audit_return__status__in=COUNTED,
            audit_return__agency__in=[r.agency_id for r in shown_counted],
        ).values_list("audit_return__agency_id", "question__key", "value")
        previous_values = {(agency_id, key): value for agency_id, key, value in old_answers}
        previous_agencies = {agency_id for agency_id, _ in previous_values}
        for r in shown_counted:
            if r.agency_id not in previous_agencies:
                continue
            for question_id, q in question_items:
                old = previous_values.get((r.agency_id, q.key), "")
                a = answers.get((r.pk, question_id))
                new = a.value if a else ""
                if old != new:
                    changes.append(
                        {
                            "audit_return": r,
                            "question": q,
                            "last_year": q.display(old) or "Not answered",
                            "this_year": q.display(new) or "Not answered",
                            "direction": _direction(q, old, new),
                        }
                    )
    return Collation(
        cycle=cycle,
        sections=sections,
        questions=list(questions.values()),
        returns=shown,
        rate=rate,
        question_results=question_results,
        heat_rows=heat_rows,
        average_row=average_row,
        benchmark_row=benchmark_row,
        moderation=moderation,
        previous=previous,
        changes=changes,
        answers=answers,
        previous_values=previous_values,
        page=page_obj,
    )


def page_number(page: str | int | None) -> int:
    """The page asked for in a URL, as a number (1 when it is not one)."""
    return int(page) if str(page).isdigit() else 1


def collation_page(cycle: Cycle, *, page: str | int | None, per_page: int = 20) -> Collation:
    """One page of the cycle's collation as ``collation_for_cycle`` gives it, worked out once per version
    of the audits and of the register (agency names), per page and per day (what is overdue)."""
    number = page_number(page)
    return figures.cached(
        "audits:collation",
        lambda: collation_for_cycle(cycle, page=number, per_page=per_page),
        areas=(figures.AUDITS, figures.REGISTER),
        scope=(cycle.pk, number, per_page, timezone.localdate()),
    )


def _returns_of(cycle: Cycle) -> list[AuditReturn]:
    """The cycle's returns in agency name order, with what the collation shows of each."""
    rows = list(
        AuditReturn.objects.filter(cycle=cycle)
        .select_related("agency")
        .only("cycle_id", "agency_id", "status", "version", "submitted_at", "agency__name")
        .order_by("agency__name")
    )
    for r in rows:
        r.cycle = cycle
    return rows


def _self_rating_figures(version, sections: list[Section], counted_answers, counted: int) -> dict:
    """What the partnership figures need from the agencies' own answers, counted in the database:
    each question's answers by value, and each section's scores (as ``section_cell`` scores them)."""
    by_value: dict[int, dict[str, int]] = {}
    for question_id, value, n in (
        counted_answers.exclude(value="").values_list("question_id", "value").annotate(n=Count("pk")).order_by()
    ):
        by_value.setdefault(question_id, {})[value] = n
    scores: dict[int, list[float]] = {s.pk: [] for s in sections}
    if counted and version.template.kind == TemplateKind.MATURITY:
        levels = (
            counted_answers.filter(question__kind=QuestionKind.LEVEL)
            .exclude(value="")
            .values_list("audit_return_id", "question__section_id")
            .annotate(total=Sum(Cast("value", IntegerField())), n=Count("pk"))
            .order_by()
        )
        for _, section_id, total, n in levels:
            scores[section_id].append((5 - total / n) / 4)
    elif counted:
        met = dict(
            counted_answers.filter(question__kind=QuestionKind.YES_NO)
            .exclude(question__gap_when="")
            .exclude(value="")
            .exclude(value=F("question__gap_when"))
            .values_list("question__section_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for s in sections:
            scored = sum(1 for q in s.question_list if q.kind == QuestionKind.YES_NO and q.gap_when)
            if scored:
                scores[s.pk] = [met.get(s.pk, 0) / (scored * counted)]
    return {"by_value": by_value, "scores": scores}


def _self_rating_figures_cached(cycle: Cycle, states: list[tuple[int, str, int]], *args) -> dict:
    """The same figures, kept in the cache until a return of the cycle changes: saving answers moves a
    return's version, and submitting, accepting or sending it back moves its status."""
    key = f"audits:collation:{cycle.pk}:{hashlib.sha256(repr(sorted(states)).encode()).hexdigest()}"
    figures = cache.get(key)
    if figures is None:
        figures = _self_rating_figures(*args)
        cache.set(key, figures, COLLATION_CACHE_SECONDS)
    return figures


def _question_results(
    version, questions: dict[int, Question], by_value: dict, differ: dict, counted: int
) -> list[dict]:
    results = []
    for q in questions.values():
        counts = by_value.get(q.pk, {})
        answered = sum(counts.values())
        result = {"question": q, "answered": answered, "unanswered": counted - answered}
        if q.kind == QuestionKind.YES_NO:
            result["yes"] = counts.get("yes", 0)
            result["no"] = counts.get("no", 0)
        if q.kind == QuestionKind.LEVEL:
            result["levels"] = [(level, counts.get(str(level), 0)) for level in LEVELS]
            result["levels_text"] = " · ".join(f"L{level}: {n}" for level, n in result["levels"])
            total = sum(int(value) * n for value, n in counts.items())
            result["average"] = _level_text(version, total / answered) if answered else ""
        result["gaps"] = sum(n for value, n in counts.items() if q.is_gap(value))
        result["differ"] = differ.get(q.pk, 0)
        results.append(result)
    return results


def _average_row(version, sections: list[Section], scores: dict[int, list[float]]) -> list[Cell]:
    """The partnership's mean of the agencies' section results."""
    row = []
    for s in sections:
        if not scores[s.pk]:
            row.append(Cell("Not scored", "heat-none", None))
            continue
        mean = sum(scores[s.pk]) / len(scores[s.pk])
        if version.template.kind == TemplateKind.MATURITY:
            text = f"Level {_level_text(version, 5 - mean * 4)}"
        else:
            text = f"{mean * 100:.0f}% in place"
        row.append(Cell(text, _band(mean), mean))
    return row
