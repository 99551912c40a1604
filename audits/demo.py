"""Demo audits: last year's accepted cycles and this year's open ones, with a realistic mix of returns.

- Bromley annex 6: last year accepted by every agency that answered; this year open (due in three
  weeks) with drafts, submitted, accepted and one returned for amendment. Northfield Academy
  (the demo champion) has an open draft, started from last year's answers.
- Maturity review: last year accepted; this year past its due date, so unfinished drafts are overdue.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from audits import services
from audits.management.commands.load_audit_templates import load_all
from audits.models import AuditReturn, Cycle, QuestionKind, StatusChange, Template
from champions.models import Nomination

DEMO_AGENCY = "Northfield Academy"


def _champions(agencies) -> dict[int, object]:
    champions = {}
    for n in Nomination.objects.current().filter(agency__in=agencies).select_related("user").order_by("started_on"):
        champions.setdefault(n.agency_id, n.user)
    return champions


def _answer(rng, question, strength: float, agency, year_offset: int, today) -> str:
    if question.kind == QuestionKind.YES_NO:
        good = "no" if question.gap_when == "yes" else "yes"
        bad = "yes" if good == "no" else "no"
        return good if rng.random() < strength else bad
    if question.kind == QuestionKind.DATE:
        return (today - datetime.timedelta(days=365 * year_offset + rng.randint(20, 300))).isoformat()
    if question.kind == QuestionKind.PERSON:
        lead = agency.executive_lead
        return f"{lead.full_name}, {lead.job_title}" if lead else "Not named"
    if question.kind == QuestionKind.LEVEL:
        centre = 1 + (1 - strength) * 4
        return str(min(5, max(1, round(centre + rng.uniform(-1, 1)))))
    return rng.choice(
        [
            "Covered in the annual safeguarding report to our board.",
            "Reviewed by the e-safety working group this year.",
            "Part of the induction pack for all staff and volunteers.",
        ]
    )


def _fill(ctx, audit_return, questions, champion, strength, *, year_offset, share=1.0):
    """Answer a share of the questions (all for a finished return) through the service."""
    answers = {}
    # A return started from last year's answers keeps most of them: agencies change a few a year.
    kept = {a.question_id: a.value for a in audit_return.answers.all()}
    for q in questions:
        if ctx.rng.random() <= share:
            value = kept.get(q.pk) if q.pk in kept and ctx.rng.random() > 0.15 else None
            value = value or _answer(ctx.rng, q, strength, audit_return.agency, year_offset, ctx.today)
            comment = "See attached policy." if q.kind == QuestionKind.YES_NO and ctx.rng.random() < 0.1 else ""
            answers[q] = services.AnswerInput(value=value, comment=comment, reviewed=True)
    audit_return.refresh_from_db()
    services.return_save_answers(
        audit_return=audit_return, expected_version=audit_return.version, answers=answers, by=champion
    )


def _review_some(audit_return, questions, champion):
    """The demo champion has checked the first third of last year's answers and changed one."""
    copied = {a.question_id: a for a in audit_return.answers.all()}
    answers = {}
    for q in questions[: len(questions) // 3]:
        if q.pk in copied:
            answers[q] = services.AnswerInput(value=copied[q.pk].value, comment=copied[q.pk].comment, reviewed=True)
    date_question = next((q for q in answers if q.kind == QuestionKind.DATE), None)
    if date_question:
        answers[date_question] = services.AnswerInput(value="", comment="Policy review booked for next month.")
    audit_return.refresh_from_db()
    services.return_save_answers(
        audit_return=audit_return, expected_version=audit_return.version, answers=answers, by=champion
    )


def _backdate(cycle, when):
    """Last year's cycle happened last year: move its timestamps back."""
    delta = timezone.now() - when
    StatusChange.objects.filter(audit_return__cycle=cycle).update(at=F("at") - delta)
    AuditReturn.objects.filter(cycle=cycle).update(
        submitted_at=F("submitted_at") - delta, last_saved_at=F("last_saved_at") - delta
    )


def _run_cycle(ctx, template, year, *, opens_on, due_on, plan, prefill):
    """Open a cycle and take each agency's return as far as ``plan(agency_name)`` says."""
    if Cycle.objects.filter(template=template, year=year).exists():
        return None
    version = template.versions.order_by("-number").first()
    agencies = list(ctx.agencies.values()) if ctx.agencies else []
    agencies = [a for a in agencies if a.archived_at is None]
    secretariat = ctx.users["secretariat"]
    cycle = services.cycle_open(
        template_version=version,
        year=year,
        opens_on=opens_on,
        due_on=due_on,
        agencies=agencies,
        by=secretariat,
        prefill=prefill,
    )
    questions = list(version.questions.select_related("version", "section"))
    champions = _champions(agencies)
    for audit_return in cycle.returns.select_related("agency", "cycle__template_version"):
        agency = audit_return.agency
        step = plan(agency.name)
        # Last year's returns were all made; an agency without a champion now had its lead answer then.
        champion = champions.get(agency.pk) or (agency.executive_lead if year < ctx.today.year else None)
        if champion is None or step == "untouched":
            continue
        if step == "reviewing":
            _review_some(audit_return, questions, ctx.users["champion"])
            continue
        strength = 0.55 + (sum(map(ord, agency.name)) % 40) / 100
        year_offset = ctx.today.year - year
        if step == "draft":
            _fill(ctx, audit_return, questions, champion, strength, year_offset=year_offset, share=0.5)
            continue
        _fill(ctx, audit_return, questions, champion, strength, year_offset=year_offset)
        services.return_submit(audit_return=audit_return, by=champion)
        if step == "returned":
            services.return_send_back(
                audit_return=audit_return,
                reason="Please give the date of your latest policy review and attach the policy.",
                by=secretariat,
            )
        elif step == "accepted":
            services.return_accept(audit_return=audit_return, by=secretariat)
            if ctx.rng.random() < 0.4:
                q = ctx.rng.choice([q for q in questions if q.kind in (QuestionKind.YES_NO, QuestionKind.LEVEL)])
                board = "no" if q.kind == QuestionKind.YES_NO else str(min(5, 1 + ctx.rng.randint(1, 3)))
                services.return_moderate(
                    audit_return=audit_return,
                    ratings={q: (board, "Peer review panel: evidence did not support the self-rating.")},
                    by=secretariat,
                )
    return cycle


def seed(ctx):
    load_all()
    today = ctx.today
    names = sorted(ctx.agencies)

    def this_year_bromley(name):
        if name == DEMO_AGENCY:
            return "reviewing"  # the demo champion's open draft, started from last year's answers
        index = names.index(name)
        return ["accepted", "submitted", "draft", "submitted", "accepted", "untouched", "returned"][index % 7]

    def this_year_maturity(name):
        if name == DEMO_AGENCY:
            return "submitted"
        index = names.index(name)
        return ["accepted", "submitted", "draft", "accepted", "submitted"][index % 5]

    for slug, plan_now, due_now in (
        ("bromley-annex-6", this_year_bromley, today + datetime.timedelta(days=21)),
        ("maturity-review", this_year_maturity, today - datetime.timedelta(days=10)),
    ):
        template = Template.objects.filter(slug=slug).first()
        if template is None:
            continue
        last = _run_cycle(
            ctx,
            template,
            today.year - 1,
            opens_on=today - datetime.timedelta(days=400),
            due_on=today - datetime.timedelta(days=340),
            plan=lambda name: "accepted",
            prefill=False,
        )
        if last is not None:
            _backdate(last, timezone.now() - datetime.timedelta(days=350))
        current = _run_cycle(
            ctx,
            template,
            today.year,
            opens_on=today - datetime.timedelta(days=45),
            due_on=due_now,
            plan=plan_now,
            prefill=True,
        )
        if current is not None:
            ctx.log.append(f"Audits: {template.name} {today.year - 1} (accepted) and {today.year} (open).")
