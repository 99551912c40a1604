"""Demo action plan: the Bromley six priorities with actions from the Wandsworth and Telford seeds.

The plan itself is data in ``demo_data/plan.yaml``; dates there are offsets in days from today so
the demo always has a believable mix of overdue, due-soon and ongoing actions.
"""

import datetime
from pathlib import Path

import yaml
from django.utils import timezone

from actionplan import services
from actionplan.models import Action, Plan, ProgressUpdate, Status

PLAN_FILE = Path(__file__).resolve().parent / "demo_data" / "plan.yaml"


def _date(ctx, offset) -> datetime.date | None:
    return ctx.today + datetime.timedelta(days=int(offset)) if offset is not None else None


def _lead(ctx, name: str) -> dict:
    """A lead named like an agency of the demo becomes that agency; anything else is a group."""
    by_lower = {key.lower(): agency for key, agency in ctx.agencies.items()}
    agency = by_lower.get((name or "").strip().lower())
    if agency:
        return {"lead_agency": agency}
    return {"lead_text": (name or "").strip()[:200]}


def seed(ctx):
    data = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    secretariat = ctx.users["secretariat"]
    plan = Plan.objects.filter(name=data["name"], period=str(data["period"])).first()
    if plan is None:
        plan = services.plan_create(name=data["name"], period=str(data["period"]), is_current=True, by=secretariat)
    created = 0
    for p in data["priorities"]:
        priority = services.priority_get_or_create(plan=plan, number=int(p["number"]), title=p["title"])
        for o in p.get("objectives", []):
            objective = services.objective_get_or_create(priority=priority, number=str(o["number"]), title=o["title"])
            for a in o.get("actions", []):
                ref = str(a["ref"])
                if Action.objects.filter(plan=plan, ref=ref).exists():
                    continue
                ongoing = bool(a.get("ongoing"))
                action = services.action_create(
                    objective=objective,
                    ref=ref,
                    method=a.get("method", "") or "",
                    action=a["action"],
                    success_measure=a.get("success_measure", "") or "",
                    due_on=None if ongoing else _date(ctx, a.get("due_offset_days")),
                    ongoing=ongoing,
                    review_on=_date(ctx, a.get("review_offset_days")) if ongoing else None,
                    status=Status.RED,
                    by=secretariat,
                    **_lead(ctx, a.get("lead", "")),
                )
                created += 1
                _history(ctx, action, a)
    ctx.log.append(f"Action plan: {plan} with {Action.objects.filter(plan=plan).count()} actions ({created} new)")


def _history(ctx, action: Action, a: dict) -> None:
    """Dated progress updates, and the status changes that led to the seed's status."""
    updates = sorted(a.get("updates", []) or [], key=lambda u: u["offset_days"])
    author = ctx.users["champion"] if action.lead_agency and action.lead_agency.name == "Northfield Academy" else None
    author = author or ctx.users["secretariat"]
    for u in updates:
        when = min(_date(ctx, u["offset_days"]), ctx.today)
        if not ProgressUpdate.objects.filter(action=action, text=u["text"]).exists():
            ProgressUpdate.objects.create(action=action, date=when, text=u["text"], by=author)
    first_update = _date(ctx, updates[0]["offset_days"]) if updates else ctx.today - datetime.timedelta(days=60)
    # The action joined the plan a month before its first update.
    added = _at(min(first_update, ctx.today) - datetime.timedelta(days=30))
    action.status_changes.filter(old="").update(at=added)
    target = a.get("status", Status.RED)
    if target == Status.RED:
        return
    # Red → Amber first when the action ends Green or Blue: the history reads like real work.
    steps = [Status.AMBER, target] if target in (Status.GREEN, Status.BLUE) else [target]
    for index, status in enumerate(steps):
        change = services.action_set_status(
            action=action,
            status=status,
            reason=updates[min(index, len(updates) - 1)]["text"][:500] if updates else "Reviewed at ESIG.",
            by=ctx.users["secretariat"],
        )
        if change:
            # Back-date the change to when the work happened, for a believable "changed since" view.
            day = min(first_update + datetime.timedelta(days=20 * index), ctx.today)
            change.at = _at(day)
            change.save(update_fields=["at"])


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
