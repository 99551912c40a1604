"""Large data set: ten annual cycles of the maturity review, with a return from every agency each year.

Past years' returns were all submitted, nearly all accepted (some after being sent back); this
year's are mixed: accepted, submitted, sent back, drafts and untouched. Ratings carry over from
year to year with some change, and agencies slowly improve, so the trends look real. The two
checklist cycles of the demo are topped up with a return from every other agency too.

What the services would have written is written here directly: each return's status history,
its ``version`` (one per save and per change of state), submission and save stamps, and, in a
cycle opened with last year's answers, the copies still marked for review.
"""

import datetime

from django.utils import timezone

from accounts.large import at, bulk_insert, secretariat, years_before
from agencies.models import Agency
from audits.demo import _answer
from audits.management.commands.load_audit_templates import load_all
from audits.models import Answer, AuditReturn, Cycle, QuestionKind, ReturnStatus, StatusChange, Template
from champions.models import Nomination

MATURITY = "maturity-review"
CHECKLIST = "bromley-annex-6"

# How far each return got, with weights: earlier years; this year once past the due date; this year while open.
# Every earlier return was submitted in the end: the reminder rules chase an unsubmitted one every week, for ever.
PAST = [("accepted", 93), ("submitted", 7)]
CURRENT_PAST_DUE = [("accepted", 20), ("submitted", 35), ("returned", 5), ("draft", 25), ("untouched", 15)]
CURRENT_OPEN = [("accepted", 10), ("submitted", 25), ("returned", 3), ("draft", 37), ("untouched", 25)]

COMMENTS = [
    "Evidence: e-safety policy, reviewed by the governing body this year.",
    "Staff training records held by the DSL.",
    "Filtering reports checked termly by the network manager.",
    "Discussed at the last safeguarding committee; minutes available.",
    "New acceptable use agreements signed by all staff and volunteers.",
    "Parents' workshop run in the spring term.",
]
SEND_BACK = [
    "Please add evidence for the ratings of Leading practice.",
    "Please give the date of your latest policy review and attach the policy.",
    "The named responsible person has left: please update.",
]


def seed(ctx):
    if not Template.objects.filter(slug=MATURITY).exists():
        load_all()
    by = secretariat(ctx)
    agencies = list(Agency.objects.select_related("executive_lead").order_by("pk"))
    answerer = _answerers(agencies)
    made = {"returns": 0, "answers": 0}
    for slug, new_years in ((MATURITY, ctx.sizes.years), (CHECKLIST, 0)):
        template = Template.objects.filter(slug=slug).first()
        if template is None:
            continue
        carried: dict = {}  # (agency, question key) -> last year's value
        for cycle in _cycles(ctx, template, new_years, by):
            _fill_cycle(ctx, cycle, agencies, answerer, by, carried, made)
    maturity = Cycle.objects.filter(template__slug=MATURITY)
    ctx.log.append(
        f"Large: {maturity.count()} maturity review cycles "
        f"({AuditReturn.objects.filter(cycle__in=maturity).count()} returns); "
        f"{made['returns']} returns and {made['answers']} answers added in all"
    )


def _answerers(agencies):
    """Who answered an agency's return due on a day: its champion then, else (in earlier years) its lead."""
    spans: dict[int, list] = {}
    for n in Nomination.objects.filter(agency__in=agencies).select_related("user").order_by("started_on", "pk"):
        spans.setdefault(n.agency_id, []).append((n.started_on, n.ended_on, n.user))
    leads = {a.pk: a.executive_lead for a in agencies}

    def answerer(agency_id: int, day: datetime.date, *, lead_allowed: bool):
        for started, ended, user in spans.get(agency_id, []):
            if started <= day and (ended is None or ended >= day):
                return user
        return leads.get(agency_id) if lead_allowed else None

    return answerer


def _cycles(ctx, template, new_years: int, by) -> list[Cycle]:
    """The template's cycles, oldest first, after opening any of the last ``new_years`` years not there yet."""
    today = ctx.today
    existing = {c.year: c for c in Cycle.objects.filter(template=template)}
    reference = min(existing.values(), key=lambda c: c.year) if existing else None
    version = template.versions.order_by("-number").first()
    made = []
    for year in range(today.year - new_years + 1, today.year + 1):
        if year in existing:
            continue
        if reference:
            opens = years_before(reference.opens_on, reference.year - year)
            due = years_before(reference.due_on, reference.year - year)
        else:
            opens = years_before(today - datetime.timedelta(days=45), today.year - year)
            due = years_before(today - datetime.timedelta(days=10), today.year - year)
        made.append(
            Cycle(
                template=template,
                template_version=version,
                year=year,
                opens_on=opens,
                due_on=due,
                prefilled=False,
                created_by=by,
                created_at=at(opens, 9),
            )
        )
    bulk_insert(Cycle, made)
    return sorted(
        Cycle.objects.filter(template=template).select_related("template_version", "template"), key=lambda c: c.year
    )


def _strength(agency, year: int, today) -> float:
    """How good an agency's arrangements are: fixed per agency, a little better each year."""
    base = 0.45 + (sum(map(ord, agency.name)) % 40) / 100
    return min(0.97, base + 0.02 * (year - (today.year - 10)))


def _fill_cycle(ctx, cycle, agencies, answerer, by, carried: dict, made: dict) -> None:
    rng, today = ctx.rng, ctx.today
    now = timezone.now()
    current = cycle.year == today.year
    states = (CURRENT_PAST_DUE if cycle.is_past_due else CURRENT_OPEN) if current else PAST
    questions = list(cycle.template_version.questions.select_related("section"))
    has_return = set(cycle.returns.values_list("agency_id", flat=True))
    plans = []
    for agency in agencies:
        if agency.pk in has_return:
            # The demo made this one: remember its answers for next year's.
            continue
        # Only the partnership's members on the day the cycle opened are asked for a return.
        if not agency.is_member_on(cycle.opens_on) or (
            agency.archived_at and agency.archived_at.date() <= cycle.opens_on
        ):
            continue
        person = answerer(agency.pk, cycle.due_on, lead_allowed=not current)
        state = rng.choices([s for s, _ in states], weights=[w for _, w in states])[0] if person else "untouched"
        plans.append((agency, person, state))
    returns, history = [], []
    for agency, person, state in plans:
        audit_return, changes = _return(ctx, cycle, agency, person, state, by, now)
        returns.append(audit_return)
        history.append(changes)
    bulk_insert(AuditReturn, returns)
    answers, status_changes = [], []
    for (agency, person, state), audit_return, changes in zip(plans, returns, history, strict=True):
        for change in changes:
            change.audit_return = audit_return
        status_changes += changes
        answers += _answers(ctx, cycle, questions, agency, person, state, audit_return, by, carried)
    bulk_insert(StatusChange, status_changes)
    bulk_insert(Answer, answers)
    # The demo's own returns of this cycle carry over too.
    for agency_id, key, value in Answer.objects.filter(
        audit_return__cycle=cycle, audit_return__agency_id__in=has_return
    ).values_list("audit_return__agency_id", "question__key", "value"):
        if value:
            carried[(agency_id, key)] = value
    made["returns"] += len(returns)
    made["answers"] += len(answers)


def _return(ctx, cycle, agency, person, state, by, now):
    """The return row and its status history, dated within the cycle and never after now."""
    rng = ctx.rng
    opened = at(cycle.opens_on, 9)
    latest = now - datetime.timedelta(hours=1)
    changes = [StatusChange(from_status="", to_status=ReturnStatus.DRAFT, reason="Cycle opened", by=by, at=opened)]
    audit_return = AuditReturn(cycle=cycle, agency=agency, status=ReturnStatus.DRAFT, version=1, created_at=opened)
    if state == "untouched":
        return audit_return, changes
    window = max(1, (cycle.due_on - cycle.opens_on).days)
    saved_day = cycle.opens_on + datetime.timedelta(days=rng.randint(1, window + (25 if state != "draft" else 0)))
    saved = min(at(saved_day, rng.randint(9, 16), rng.randint(0, 59)), latest)
    audit_return.version = 2
    audit_return.last_saved_at, audit_return.last_saved_by = saved, person
    if state == "draft":
        return audit_return, changes
    submitted = min(saved + datetime.timedelta(minutes=rng.randint(5, 90)), latest)
    audit_return.submitted_at, audit_return.submitted_by = submitted, person
    moves = [(ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, "", person, submitted)]
    when = submitted
    if state == "returned" or (state == "accepted" and rng.random() < 0.08):
        when = min(when + datetime.timedelta(days=rng.randint(2, 20)), latest)
        moves.append((ReturnStatus.SUBMITTED, ReturnStatus.RETURNED, rng.choice(SEND_BACK), by, when))
        if state == "accepted":
            when = min(when + datetime.timedelta(days=rng.randint(2, 15)), latest)
            moves.append((ReturnStatus.RETURNED, ReturnStatus.SUBMITTED, "", person, when))
            audit_return.submitted_at = when
    if state == "accepted":
        when = min(when + datetime.timedelta(days=rng.randint(3, 40)), latest)
        moves.append((ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, "", by, when))
    for old, new, reason, who, moment in moves:
        changes.append(StatusChange(from_status=old, to_status=new, reason=reason, by=who, at=moment))
    audit_return.status = moves[-1][1]
    audit_return.version = 2 + len(moves)
    return audit_return, changes


def _answers(ctx, cycle, questions, agency, person, state, audit_return, by, carried) -> list[Answer]:
    """Every question answered for a finished return; part of them for a draft.

    In a cycle opened with last year's answers, what the champion has not looked at yet is still
    last year's value, marked for review.
    """
    rng, today = ctx.rng, ctx.today
    year_offset = today.year - cycle.year
    strength = _strength(agency, cycle.year, today)
    share = {"untouched": 0.0, "draft": rng.uniform(0.3, 0.8)}.get(state, 1.0)
    answers = []
    for q in questions:
        previous = carried.get((agency.pk, q.key))
        if rng.random() < share:
            keep = previous and q.kind != QuestionKind.DATE and rng.random() < 0.85
            value = previous if keep else _answer(rng, q, strength, agency, year_offset, today)
            answer = Answer(
                audit_return=audit_return,
                question=q,
                value=value,
                comment=rng.choice(COMMENTS) if rng.random() < 0.08 else "",
                updated_by=person,
                updated_at=audit_return.last_saved_at,
            )
            if state == "accepted" and q.kind == QuestionKind.LEVEL and rng.random() < 0.004:
                answer.board_value = str(min(5, int(value) + 1))
                answer.board_note = "Peer review panel: evidence did not support the self-rating."
                answer.moderated_by = by
                answer.moderated_at = min(audit_return.submitted_at + datetime.timedelta(days=7), timezone.now())
            answers.append(answer)
            carried[(agency.pk, q.key)] = value
        elif cycle.prefilled and previous:
            answers.append(
                Answer(
                    audit_return=audit_return,
                    question=q,
                    value=previous,
                    needs_review=True,
                    updated_by=by,
                    updated_at=audit_return.created_at,
                )
            )
    return answers
