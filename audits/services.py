"""Writes for audits: templates, cycles, returns, answers, evidence, moderation."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from activity.models import Action as Activity
from activity.models import ActivityEvent
from activity.services import activity_record, activity_record_many
from audits import evidence_checks
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
    StatusChange,
    Template,
    TemplateVersion,
)
from audits.template_io import FileProblem, TemplateFileError, parse_and_validate
from esafety import figures

# --- templates ---------------------------------------------------------------------------------


def template_import(*, text: str, fmt: str, by=None) -> tuple[TemplateVersion, bool]:
    """Check a YAML/CSV template file and save it as data: all of it, or nothing.

    A new version is made when the template already has a version that a return uses;
    otherwise the latest version is replaced. An unchanged file changes nothing.
    Returns the version and whether anything changed. Raises ``TemplateFileError``.
    """
    clean = parse_and_validate(text, fmt)
    content_hash = hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        template = Template.objects.select_for_update().filter(slug=clean["slug"]).first()
        if template is None:
            template = Template.objects.create(slug=clean["slug"], name=clean["name"], kind=clean["kind"])
        elif template.kind != clean["kind"]:
            raise TemplateFileError(
                [FileProblem(None, f"'{template.slug}' is a {template.kind} template: its kind cannot change.")]
            )
        latest = template.versions.order_by("-number").first()
        if latest and latest.content_hash == content_hash:
            return latest, False
        if template.name != clean["name"]:
            template.name = clean["name"]
            template.save(update_fields=["name"])
        if latest and not AuditReturn.objects.filter(cycle__template_version=latest).exists():
            # Nobody has answered this version yet: replace its questions.
            latest.sections.all().delete()
            version = latest
            for field in ("name", "description", "source", "levels"):
                setattr(version, field, clean[field])
            version.content_hash = content_hash
            version.save()
        else:
            version = TemplateVersion.objects.create(
                template=template,
                number=(latest.number + 1) if latest else 1,
                name=clean["name"],
                description=clean["description"],
                source=clean["source"],
                levels=clean["levels"],
                content_hash=content_hash,
                created_by=by,
            )
        sections = Section.objects.bulk_create(
            [
                Section(
                    version=version,
                    key=s["key"],
                    title=s["title"],
                    element=s["element"],
                    guidance=s["guidance"],
                    order=i,
                )
                for i, s in enumerate(clean["sections"])
            ]
        )
        questions = []
        for section, data in zip(sections, clean["sections"], strict=True):
            for i, q in enumerate(data["questions"]):
                questions.append(Question(version=version, section=section, order=i, **q))
        Question.objects.bulk_create(questions)
    return version, True


def template_import_file(*, path, by=None) -> tuple[TemplateVersion, bool]:
    fmt = "csv" if str(path).lower().endswith(".csv") else "yaml"
    with open(path, encoding="utf-8") as handle:
        return template_import(text=handle.read(), fmt=fmt, by=by)


# --- cycles ------------------------------------------------------------------------------------


def cycle_open(
    *,
    template_version: TemplateVersion,
    year: int,
    opens_on: datetime.date,
    due_on: datetime.date,
    agencies: Iterable,
    by,
    lock_at_due: bool = False,
    prefill: bool = False,
) -> Cycle:
    """Open a cycle: one draft return per agency, optionally starting from last cycle's answers."""
    agencies = list(agencies)
    if due_on < opens_on:
        raise ValidationError({"due_on": "The due date must be on or after the opening date."})
    if not agencies:
        raise ValidationError({"agencies": "Choose at least one agency."})
    template = template_version.template
    if Cycle.objects.filter(template=template, year=year).exists():
        raise ValidationError({"year": f"A {year} cycle of {template.name} has already been opened."})
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                template=template,
                template_version=template_version,
                year=year,
                opens_on=opens_on,
                due_on=due_on,
                lock_at_due=lock_at_due,
                prefilled=prefill,
                created_by=by,
            )
            returns = AuditReturn.objects.bulk_create([AuditReturn(cycle=cycle, agency=a) for a in agencies])
            StatusChange.objects.bulk_create(
                [
                    StatusChange(audit_return=r, to_status=ReturnStatus.DRAFT, by=by, reason="Cycle opened")
                    for r in returns
                ]
            )
            activity_record_many(
                [
                    ActivityEvent(
                        actor=by,
                        actor_label=by.email if by else "",
                        action=Activity.RETURN_STATE_CHANGED,
                        object_type=AuditReturn._meta.label,
                        object_id=str(r.pk),
                        agency_id=r.agency_id,
                        summary=f"Return #{r.pk} of {cycle}: opened as a draft",
                    )
                    for r in returns
                ]
            )
            if prefill:
                _prefill(cycle, returns, by)
            figures.bump(figures.AUDITS)
            if opens_on <= timezone.localdate():
                _tell_champions_after_commit()
    except IntegrityError as error:
        raise ValidationError({"year": f"A {year} cycle of {template.name} has already been opened."}) from error
    return cycle


def _tell_champions_after_commit() -> None:
    """The champions hear of the new cycle at once (a cycle opening later is picked up by the daily sweep)."""
    from reminders.outbox import enqueue_on_commit
    from reminders.tasks import run_sweep

    enqueue_on_commit(run_sweep, codes=["audit-cycle-open"])


def _prefill(cycle: Cycle, returns: list[AuditReturn], by) -> None:
    """Copy each agency's answers from the previous cycle of the same template, marked for review."""
    previous = Cycle.objects.filter(template=cycle.template, year__lt=cycle.year).order_by("-year").first()
    if previous is None:
        return
    by_agency = {r.agency_id: r for r in returns}
    questions = {q.key: q for q in cycle.template_version.questions.all()}
    old_answers = Answer.objects.filter(
        audit_return__cycle=previous, audit_return__agency_id__in=by_agency
    ).select_related("question", "audit_return")
    copies = []
    for old in old_answers:
        question = questions.get(old.question.key)
        if question is None or question.kind != old.question.kind or not (old.value or old.comment):
            continue
        copies.append(
            Answer(
                audit_return=by_agency[old.audit_return.agency_id],
                question=question,
                value=old.value,
                comment=old.comment,
                needs_review=True,
                updated_by=by,
            )
        )
    Answer.objects.bulk_create(copies)


# --- answering ---------------------------------------------------------------------------------


class StaleReturnError(Exception):
    """Someone else saved the return since this page was loaded."""


@dataclass(frozen=True)
class AnswerInput:
    value: str = ""
    comment: str = ""
    reviewed: bool = False


def normalise_value(question: Question, raw) -> str:
    """The stored form of an answer: '', 'yes'/'no', an ISO date, a level '1'..'5' or text."""
    if raw is None:
        return ""
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    value = str(raw).strip()
    if not value:
        return ""
    if question.kind == QuestionKind.YES_NO:
        lowered = value.lower()
        if lowered in {"yes", "y"}:
            return "yes"
        if lowered in {"no", "n"}:
            return "no"
        raise ValidationError(f"'{question.text}': answer yes or no.")
    if question.kind == QuestionKind.DATE:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise ValidationError(f"'{question.text}': enter a real date.") from error
    if question.kind == QuestionKind.LEVEL:
        if value not in {str(level) for level in LEVELS}:
            raise ValidationError(f"'{question.text}': choose a level from 1 to 5.")
        return value
    return value


def return_save_answers(
    *, audit_return: AuditReturn, expected_version: int, answers: dict[Question, AnswerInput], by
) -> AuditReturn:
    """Save some answers of a return in one go (a fixed handful of queries, whatever their number).

    Refused with ``StaleReturnError`` when the return was saved by someone else since
    ``expected_version`` was read: the conditional UPDATE both checks and claims the version.
    """
    if not audit_return.is_open_for_answers:
        raise ValidationError("This return cannot be changed now.")
    for question in answers:
        if question.version_id != audit_return.cycle.template_version_id:
            raise ValidationError("That question is not part of this return.")
    cleaned = {q: (normalise_value(q, a.value), a.comment.strip(), a.reviewed) for q, a in answers.items()}
    now = timezone.now()
    with transaction.atomic():
        claimed = AuditReturn.objects.filter(
            pk=audit_return.pk, version=expected_version, status__in=EDITABLE_STATUSES
        ).update(version=F("version") + 1, last_saved_at=now, last_saved_by=by)
        if not claimed:
            raise StaleReturnError
        figures.bump(figures.AUDITS)
        existing = {
            a.question_id: a
            for a in Answer.objects.filter(audit_return=audit_return, question_id__in=[q.pk for q in cleaned])
        }
        to_create, to_update = [], []
        for question, (value, comment, reviewed) in cleaned.items():
            answer = existing.get(question.pk)
            if answer is None:
                if value or comment:
                    to_create.append(
                        Answer(
                            audit_return=audit_return,
                            question=question,
                            value=value,
                            comment=comment,
                            updated_by=by,
                            updated_at=now,
                        )
                    )
                continue
            changed = answer.value != value or answer.comment != comment
            if changed or (reviewed and answer.needs_review):
                answer.value, answer.comment, answer.needs_review = value, comment, False
                answer.updated_by, answer.updated_at = by, now
                to_update.append(answer)
        Answer.objects.bulk_create(to_create)
        Answer.objects.bulk_update(to_update, ["value", "comment", "needs_review", "updated_by", "updated_at"])
    audit_return.version = expected_version + 1
    audit_return.last_saved_at, audit_return.last_saved_by = now, by
    return audit_return


def missing_required(audit_return: AuditReturn) -> list[Question]:
    """Required questions with no answer yet, in template order (two queries)."""
    answered = set(
        Answer.objects.filter(audit_return=audit_return).exclude(value="").values_list("question_id", flat=True)
    )
    questions = Question.objects.filter(version=audit_return.cycle.template_version_id, required=True)
    return [q for q in questions.select_related("section") if q.pk not in answered]


class MissingAnswersError(ValidationError):
    def __init__(self, questions: list[Question]):
        super().__init__("Some required questions have not been answered.")
        self.questions = questions


def _change_status(
    *, audit_return: AuditReturn, allowed_from: set, to: str, by, reason: str = "", extra: dict | None = None
) -> AuditReturn:
    """Move a return to ``to`` if it is still in an allowed state (checked and set in one UPDATE)."""
    now = timezone.now()
    updates = {"status": to, **(extra or {})}
    with transaction.atomic():
        previous = (
            AuditReturn.objects.select_for_update().filter(pk=audit_return.pk).values_list("status", flat=True).get()
        )
        if previous not in allowed_from:
            labels = dict(ReturnStatus.choices)
            raise ValidationError(f"This return is {labels[previous].lower()}: that cannot be done now.")
        AuditReturn.objects.filter(pk=audit_return.pk).update(version=F("version") + 1, **updates)
        StatusChange.objects.create(
            audit_return=audit_return, from_status=previous, to_status=to, reason=reason, by=by, at=now
        )
        labels = dict(ReturnStatus.choices)
        activity_record(
            Activity.RETURN_STATE_CHANGED,
            actor=by,
            obj=audit_return,
            summary=f"Return #{audit_return.pk} of {audit_return.cycle}: {labels[previous]} → {labels[to]}",
        )
        figures.bump(figures.AUDITS)
    audit_return.refresh_from_db()
    return audit_return


def return_submit(*, audit_return: AuditReturn, by) -> AuditReturn:
    """The champion submits the return: every required question must be answered."""
    if audit_return.is_locked:
        raise ValidationError("The due date has passed and this cycle locks returns: ask the secretariat.")
    missing = missing_required(audit_return)
    if missing:
        raise MissingAnswersError(missing)
    return _change_status(
        audit_return=audit_return,
        allowed_from=EDITABLE_STATUSES,
        to=ReturnStatus.SUBMITTED,
        by=by,
        extra={"submitted_at": timezone.now(), "submitted_by": by},
    )


def return_send_back(*, audit_return: AuditReturn, reason: str, by) -> AuditReturn:
    """The secretariat returns a submitted return for amendment, saying why.

    A draft locked at the due date can be reopened the same way.
    """
    if not reason.strip():
        raise ValidationError("Say what needs amending.")
    allowed = {ReturnStatus.SUBMITTED} | ({ReturnStatus.DRAFT} if audit_return.is_locked else set())
    return _change_status(
        audit_return=audit_return, allowed_from=allowed, to=ReturnStatus.RETURNED, by=by, reason=reason
    )


def return_accept(*, audit_return: AuditReturn, by, note: str = "") -> AuditReturn:
    return _change_status(
        audit_return=audit_return, allowed_from={ReturnStatus.SUBMITTED}, to=ReturnStatus.ACCEPTED, by=by, reason=note
    )


def return_moderate(*, audit_return: AuditReturn, ratings: dict[Question, tuple[str, str]], by) -> int:
    """Record the board's own rating (and a note) beside the agency's self-rating. Bulk writes."""
    if audit_return.status not in {ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, ReturnStatus.RETURNED}:
        raise ValidationError("Only a submitted return can be moderated.")
    now = timezone.now()
    cleaned = {q: (normalise_value(q, value), note.strip()) for q, (value, note) in ratings.items()}
    with transaction.atomic():
        existing = {
            a.question_id: a
            for a in Answer.objects.select_for_update().filter(
                audit_return=audit_return, question_id__in=[q.pk for q in cleaned]
            )
        }
        to_create, to_update = [], []
        for question, (value, note) in cleaned.items():
            answer = existing.get(question.pk)
            if answer is None:
                if value or note:
                    to_create.append(
                        Answer(
                            audit_return=audit_return,
                            question=question,
                            board_value=value,
                            board_note=note,
                            moderated_by=by,
                            moderated_at=now,
                        )
                    )
            elif answer.board_value != value or answer.board_note != note:
                answer.board_value, answer.board_note, answer.moderated_by, answer.moderated_at = value, note, by, now
                to_update.append(answer)
        Answer.objects.bulk_create(to_create)
        Answer.objects.bulk_update(to_update, ["board_value", "board_note", "moderated_by", "moderated_at"])
        figures.bump(figures.AUDITS)
    return len(to_create) + len(to_update)


# --- evidence ----------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    return getattr(settings, "AUDIT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def evidence_add(
    *, audit_return: AuditReturn, uploaded_file, by, question: Question | None = None, description: str = ""
) -> Evidence:
    """Store an evidence file privately after checking its size and what it really contains."""
    if not audit_return.is_open_for_answers:
        raise ValidationError("This return cannot be changed now.")
    if question is not None and question.version_id != audit_return.cycle.template_version_id:
        raise ValidationError("That question is not part of this return.")
    limit = evidence_max_bytes()
    if uploaded_file.size > limit:
        raise ValidationError(
            f"'{uploaded_file.name}' is {uploaded_file.size / 1048576:.1f} MB; the limit is {limit // 1048576} MB."
        )
    content_type = evidence_checks.detect(uploaded_file)
    evidence = Evidence(
        audit_return=audit_return,
        question=question,
        original_name=uploaded_file.name[-255:],
        content_type=content_type,
        size=uploaded_file.size,
        description=description.strip(),
        uploaded_by=by,
    )
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def evidence_archive(*, evidence: Evidence, by) -> Evidence:
    """Take a file off the return (kept, never deleted)."""
    if not evidence.audit_return.is_open_for_answers:
        raise ValidationError("This return cannot be changed now.")
    evidence.archived_at = timezone.now()
    evidence.save(update_fields=["archived_at"])
    return evidence
