"""Demo step: actions raised from last year's audit gaps (for the partnership picture), the open-data feed, and
last year's annual report, built and marked as the Board's copy, for board members to download.

The demo partnership publishes its incident figures as open data (the feed is off by default elsewhere).
"""

from actionplan.models import Objective
from actionplan.services import action_set_status
from audits import gap_actions
from audits.models import Answer, AuditReturn, Cycle, GapAction, ReturnStatus
from reports import picture, services
from reports.models import AnnualReport, OpenDataSwitch

# What became of the actions raised from last year's gaps, in turn.
STATUSES = ["green", "blue", "amber", "red", "green", "amber"]


def seed(ctx):
    if not GapAction.objects.exists():
        _gap_actions(ctx)
    if not OpenDataSwitch.objects.exists():
        services.open_data_switch(enabled=True, by=ctx.users["secretariat"])
    state = "published" if OpenDataSwitch.is_on() else "not published"
    ctx.log.append(f"Open-data feed of the incident figures: {state} (/open-data/)")
    _last_years_report(ctx)


def _last_years_report(ctx) -> None:
    year = ctx.today.year - 1
    if AnnualReport.objects.filter(year=year).exists():
        return
    report = services.annual_report_request(year=year, by=ctx.users["secretariat"])
    # Built here rather than by the queued task, which then finds the report claimed and does nothing.
    report = services.annual_report_generate(report_id=report.pk)
    services.annual_report_mark_board_version(report=report, by=ctx.users["secretariat"])
    ctx.log.append(f"Annual report {year}: built ({report.pages} pages) and marked as the Board's copy.")


def _gap_actions(ctx, *, agencies: int = 8, per_agency: int = 2) -> int:
    """Some agencies turned a few of last year's gaps into actions of the current plan; some are done now."""
    template = picture.default_template()
    cycle = template and Cycle.objects.filter(template=template, year=ctx.today.year - 1).first()
    objective = Objective.objects.filter(priority__plan__is_current=True).order_by("priority__number", "number").first()
    if cycle is None or objective is None:
        return 0
    made = []
    returns = AuditReturn.objects.filter(cycle=cycle, status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])
    linked = set(GapAction.objects.values_list("answer__audit_return_id", flat=True))
    chosen = [
        r for r in returns.select_related("agency", "cycle__template").order_by("agency__name") if r.pk not in linked
    ]
    for audit_return in chosen[:agencies]:
        answers = [
            a for a in Answer.objects.filter(audit_return=audit_return).select_related("question__section") if a.is_gap
        ][:per_agency]
        if answers:
            made += gap_actions.gaps_to_actions(
                audit_return=audit_return, answers=answers, objective=objective, by=ctx.users["secretariat"]
            )
    for index, action in enumerate(made):
        status = STATUSES[index % len(STATUSES)]
        if status != action.status:
            action_set_status(
                action=action, status=status, reason="Progress reported at ESIG.", by=ctx.users["secretariat"]
            )
    _done_actions_close_their_gaps(cycle)
    ctx.log.append(f"Partnership picture: {len(made)} actions raised from the {cycle} gaps")
    return len(made)


def _done_actions_close_their_gaps(cycle):
    """Where an action is done (Green or Blue), the agency's answer this year no longer shows the gap."""
    this_year = Cycle.objects.filter(template=cycle.template, year=cycle.year + 1).first()
    if this_year is None:
        return
    for link in GapAction.objects.filter(
        answer__audit_return__cycle=cycle, action__status__in=["green", "blue"]
    ).select_related("answer__question", "answer__audit_return"):
        question = link.answer.question
        good = str(question.benchmark) if question.benchmark else {"yes": "no", "no": "yes"}.get(question.gap_when, "")
        Answer.objects.filter(
            audit_return__cycle=this_year,
            audit_return__agency_id=link.answer.audit_return.agency_id,
            question__key=question.key,
        ).update(value=good)
