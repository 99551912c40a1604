"""Large data set: the current plan grows to ``sizes.actions`` actions, with years of progress updates.

New objectives are added under each of the plan's priorities and filled with actions led by
agencies (Northfield Academy among them), by named champions or by groups. Actions due long ago
are mostly done, some are still red or amber and overdue; ongoing actions have review dates.
Each action's status history starts Red when it was added ("Action added to the plan", as
``services.action_create`` records it) and walks to its status today.
"""

import datetime
from itertools import accumulate

from django.utils import timezone

from accounts.large import at, bulk_insert, secretariat
from actionplan.models import DONE_STATUSES, Action, Objective, Plan, Priority, ProgressUpdate, Status, StatusChange
from agencies.models import Agency
from champions.models import Nomination

OBJECTIVES = [
    "Every agency has a trained e-safety champion and an up-to-date policy",
    "Staff in every agency know how to recognise and respond to online harm",
    "Children and young people know how to stay safe online and where to get help",
    "Parents and carers are confident to talk with their children about life online",
    "Incidents are reported, recorded and learned from consistently across the partnership",
    "Filtering and monitoring in every setting is effective and reviewed",
    "Vulnerable groups (looked-after children, SEND) receive targeted support",
    "The Board receives assurance on e-safety from audits and monitoring figures",
]
WORK = [
    "Deliver online safety sessions for {who}",
    "Review the acceptable use policy with {who}",
    "Run a sextortion awareness campaign for {who}",
    "Audit filtering and monitoring arrangements with {who}",
    "Train designated safeguarding leads of {who} in the incident flow chart",
    "Publish guidance on sharing nudes and semi-nudes for {who}",
    "Hold a Safer Internet Day event with {who}",
    "Add online safety to the induction of {who}",
    "Survey young people's online experiences with {who}",
    "Refresh the e-safety pages of the website for {who}",
]
AUDIENCES = ["parents and carers", "primary pupils", "secondary pupils", "foster carers", "youth workers", "volunteers"]
GROUPS = ["All agencies", "e-Safety Working Group", "Education sub-group", "Board secretariat", "Health partners"]
METHODS = ["Training", "Awareness", "Policy", "Monitoring", "Partnership working", "Communication"]
MEASURES = [
    "Sessions delivered and evaluated; 80% rate them useful.",
    "Policy adopted and shared with all staff.",
    "Fewer repeat incidents of the same kind next year.",
    "Every agency confirms it has done this at ESIG.",
]
UPDATES = [
    "Sessions booked for next term.",
    "First session delivered; feedback positive.",
    "Delayed by staff changes; new date agreed.",
    "Draft shared with the working group for comment.",
    "Reported to ESIG; partners asked to cascade.",
    "Materials updated after the latest UKCIS guidance.",
    "Evaluation forms collated; summary to the Board.",
    "Waiting for the new champion to start.",
    "Completed at two sites; three more planned.",
    "Discussed with the designated safeguarding leads' network.",
]
REASONS = {
    Status.AMBER: "Work has started.",
    Status.GREEN: "Completed; evidence seen at ESIG.",
    Status.BLUE: "Achieved and now part of normal practice.",
    Status.RED: "Stalled: no progress since the last review.",
}


def seed(ctx):
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None:
        ctx.log.append("Large: no current action plan, no actions added.")
        return
    wanted = ctx.sizes.actions - plan.actions.count()
    objectives = _objectives(plan) if wanted > 0 else []
    if not objectives:
        return
    by = secretariat(ctx)
    agencies = list(Agency.objects.active().order_by("pk"))
    champion_of = {}
    for n in Nomination.objects.current().order_by("started_on", "pk"):
        champion_of.setdefault(n.agency_id, n.user_id)
    taken = set(plan.actions.values_list("ref", flat=True))
    counters = {o.pk: o.actions.count() for o in objectives}
    actions, histories = [], []
    for _ in range(max(0, wanted)):
        objective = ctx.rng.choice(objectives)
        counters[objective.pk] += 1
        ref = f"{objective.number}.{counters[objective.pk]}"
        while ref in taken:
            counters[objective.pk] += 1
            ref = f"{objective.number}.{counters[objective.pk]}"
        taken.add(ref)
        action, history = _action(ctx, plan, objective, ref, agencies, champion_of, by)
        actions.append(action)
        histories.append(history)
    bulk_insert(Action, actions)
    changes = []
    for action, history in zip(actions, histories, strict=True):
        for change in history:
            change.action = action
        changes += history
    bulk_insert(StatusChange, changes)
    updates = _updates(ctx, actions, champion_of, by)
    ctx.log.append(
        f"Large: {plan} with {plan.actions.count()} actions, {len(updates)} progress updates "
        f"and {len(changes)} status changes added"
    )


def _objectives(plan) -> list[Objective]:
    """The plan's objectives, after adding the large scale's under each priority (once)."""
    new = []
    for priority in Priority.objects.filter(plan=plan).order_by("number"):
        numbers = set(priority.objectives.values_list("number", flat=True))
        n = len(numbers)
        for title in OBJECTIVES[priority.number % 3 :: 3]:
            n += 1
            while f"{priority.number}.{n}" in numbers:
                n += 1
            if not Objective.objects.filter(priority=priority, title=title).exists():
                new.append(Objective(priority=priority, number=f"{priority.number}.{n}", title=title))
    bulk_insert(Objective, new)
    return list(Objective.objects.filter(priority__plan=plan).order_by("pk"))


def _action(ctx, plan, objective, ref, agencies, champion_of, by):
    rng, today = ctx.rng, ctx.today
    added = today - datetime.timedelta(days=rng.randint(14, 640))
    lead = {}
    pick = rng.random()
    if pick < 0.6 and agencies:
        # Northfield Academy (the demo champion's school) leads a few more than most.
        agency = next((a for a in agencies if a.name == "Northfield Academy"), None) if pick < 0.02 else None
        agency = agency or rng.choice(agencies)
        lead, who = {"lead_agency": agency}, agency.name
    elif pick < 0.75 and champion_of:
        lead, who = {"lead_person_id": rng.choice(list(champion_of.values()))}, rng.choice(AUDIENCES)
    else:
        group = rng.choice(GROUPS)
        lead, who = {"lead_text": group}, rng.choice(AUDIENCES)
    ongoing = rng.random() < 0.25
    due_on = None if ongoing else added + datetime.timedelta(days=rng.randint(60, 720))
    review_on = today + datetime.timedelta(days=rng.randint(-90, 180)) if ongoing else None
    status = _status(rng, today, due_on, ongoing)
    if due_on and due_on < today - datetime.timedelta(days=120) and status not in DONE_STATUSES:
        # Long-overdue actions are given a new date at review; the reminders chase the new one.
        due_on = today - datetime.timedelta(days=rng.randint(1, 120))
    path = _path(rng, status)
    history, when = [], at(added, 11)
    history.append(StatusChange(old="", new=Status.RED, reason="Action added to the plan.", by=by, at=when))
    for old, new in zip([Status.RED, *path], path, strict=False):
        day = min(when.date() + datetime.timedelta(days=rng.randint(20, 200)), today)
        when = min(at(day, 15), timezone.now())
        history.append(StatusChange(old=old, new=new, reason=REASONS[new], by=by, at=when))
    action = Action(
        plan=plan,
        objective=objective,
        ref=ref,
        method=rng.choice(METHODS),
        action=rng.choice(WORK).format(who=who),
        due_on=due_on,
        ongoing=ongoing,
        review_on=review_on,
        success_measure=rng.choice(MEASURES),
        status=status,
        created_by=by,
        created_at=at(added, 11),
        updated_at=history[-1].at,
        **lead,
    )
    return action, history


def _status(rng, today, due_on, ongoing) -> str:
    if ongoing:
        options = [(Status.BLUE, 40), (Status.AMBER, 40), (Status.GREEN, 10), (Status.RED, 10)]
    elif due_on < today:
        options = [(Status.GREEN, 50), (Status.BLUE, 10), (Status.AMBER, 22), (Status.RED, 18)]
    else:
        options = [(Status.RED, 30), (Status.AMBER, 50), (Status.GREEN, 15), (Status.BLUE, 5)]
    return rng.choices([s for s, _ in options], weights=[w for _, w in options])[0]


def _path(rng, status: str) -> list[str]:
    """The statuses an action went through after Red to reach ``status``."""
    if status == Status.RED:
        return [Status.AMBER, Status.RED] if rng.random() < 0.15 else []
    if status == Status.AMBER:
        return [Status.AMBER]
    return [Status.AMBER, status]


def _updates(ctx, actions, champion_of, by) -> list[ProgressUpdate]:
    """``sizes.progress_updates`` dated notes, more on busy actions, written by whoever leads each."""
    rng, today = ctx.rng, ctx.today
    if not actions:
        return []
    cumulative = list(
        accumulate(
            (3 if a.lead_agency and a.lead_agency.name == "Northfield Academy" else 1)
            * (0.3 if a.status == Status.RED else 1.5 if a.status in DONE_STATUSES else 1)
            * rng.uniform(0.2, 2)
            for a in actions
        )
    )
    rows = []
    for action in rng.choices(actions, cum_weights=cumulative, k=ctx.sizes.progress_updates):
        start = action.created_at.date()
        day = start + datetime.timedelta(days=rng.randint(0, max(0, (today - start).days)))
        author = action.lead_person_id or champion_of.get(action.lead_agency_id) or by.pk
        rows.append(
            ProgressUpdate(
                action=action,
                date=day,
                text=rng.choice(UPDATES),
                by_id=author,
                created_at=at(day, rng.randint(9, 17), rng.randint(0, 59)),
            )
        )
    return bulk_insert(ProgressUpdate, rows)
