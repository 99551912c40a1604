"""Large data set: the reminder log, ``sizes.reminders`` of the most recent reminders the daily sweep sent.

The rows are the ones the rules in ``reminders.rules`` would have made on each past day: the same
keys, recipients (the agency's champions on that day), occasions, copies to the secretariat once
overdue, and bodies rendered from the same e-mail templates. Whatever the rules find due today is
logged as already sent this morning, so the next sweep does not send a burst of catch-up e-mails;
for the same reason every row is delivered (``sent``): a pending or failed row would be sent again.
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from accounts.large import at, bulk_insert
from accounts.models import Role, User
from actionplan.models import DONE_STATUSES, Action
from agencies.models import Agency
from audits.models import AuditReturn, ReturnStatus
from champions.models import ListConfirmation, Nomination
from esafety.emails import absolute_url, render_email
from incidents.models import Referral
from reminders.models import Reminder, ReminderStatus
from reminders.rules import RULES
from reminders.services import rules_ensure
from reminders.workdays import add_working_days

CHASERS = 12  # weekly reminders once overdue that the history goes back over


def seed(ctx):
    today = ctx.today
    rules = rules_ensure()
    champions = _champion_spans()
    leads = dict(Agency.objects.values_list("pk", "executive_lead_id"))
    secretariat = list(User.objects.filter(role=Role.SECRETARIAT, is_active=True).values_list("email", flat=True))
    candidates = []
    for make in (_audit_returns, _actions, _confirmations, _referrals):
        candidates += make(rules, champions, leads, today)
    existing = set(Reminder.objects.values_list("key", flat=True))
    today_due = {due.key: due for code, rule in rules.items() if rule.enabled for due in RULES[code][0](rule, today)}
    # Everything due today (as the history has it, else sent this morning), then the rest, most recent first.
    candidates += [_candidate_today(due, today) for key, due in today_due.items() if key not in existing]
    candidates.sort(key=lambda c: (c["key"] in today_due, "due" not in c, c["day"], c["key"]), reverse=True)
    chosen, seen = [], set(existing)
    for candidate in candidates:
        if candidate["key"] in seen:
            continue
        if candidate["key"] not in today_due and len(chosen) >= ctx.sizes.reminders:
            break
        seen.add(candidate["key"])
        chosen.append(candidate)
    rows = _render(ctx, chosen, rules, secretariat)
    bulk_insert(Reminder, rows)
    ctx.log.append(f"Large: {Reminder.objects.count()} reminders in the log")


def _champion_spans():
    spans = defaultdict(list)
    for agency_id, user_id, began, ended in Nomination.objects.values_list(
        "agency_id", "user_id", "started_on", "ended_on"
    ):
        spans[agency_id].append((began, ended, user_id))

    def on(agency_id, day) -> list[int]:
        return sorted({u for b, e, u in spans.get(agency_id, []) if b <= day and (e is None or e >= day)})

    return on


def _candidate(rule_code, object_key, occasion, recipient_id, day, **extra) -> dict:
    return {
        "key": f"{rule_code}:{object_key}:{recipient_id}:{occasion}",
        "rule": rule_code,
        "occasion": occasion,
        "recipient": recipient_id,
        "day": day,
        **extra,
    }


def _candidate_today(due, today) -> dict:
    return _candidate(due.rule_code, due.object_key, due.occasion, due.recipient.pk, today, due=due)


def _occasions(rule, due_on, opened_on, done_on, today):
    """(day, occasion) the rule fired for a deadline: each threshold reached, then weekly chasers."""
    for before in rule.days_before_list:
        day = due_on - datetime.timedelta(days=before)
        if opened_on < day <= today and (done_on is None or done_on > day):
            yield day, f"before-{before}"
    if rule.repeat_after_days:
        for week in range(CHASERS):
            day = due_on + datetime.timedelta(days=1 + week * rule.repeat_after_days)
            if day <= today and (done_on is None or done_on > day):
                yield day, f"overdue-{week}"


def _audit_returns(rules, champions, leads, today):
    rows = []
    opening, due = rules["audit-cycle-open"], rules["audit-return-due"]
    for r in AuditReturn.objects.select_related("cycle").order_by("pk"):
        cycle = r.cycle
        submitted = r.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
        done_on = timezone.localdate(r.submitted_at) if submitted else None
        if cycle.opens_on <= today:
            for person in champions(r.agency_id, cycle.opens_on):
                rows.append(_candidate(opening.code, f"return-{r.pk}", "open", person, cycle.opens_on, obj=r.pk))
        for day, occasion in _occasions(due, cycle.due_on, cycle.opens_on, done_on, today):
            for person in champions(r.agency_id, day):
                rows.append(_candidate(due.code, f"return-{r.pk}", occasion, person, day, obj=r.pk))
    return rows


def _actions(rules, champions, leads, today):
    rule = rules["action-due"]
    rows = []
    for action in Action.objects.filter(archived_at__isnull=True).order_by("pk"):
        deadline = action.review_on if action.ongoing else action.due_on
        if deadline is None or not (action.lead_person_id or action.lead_agency_id):
            continue
        done_on = action.updated_at.date() if action.status in DONE_STATUSES else None
        for day, occasion in _occasions(rule, deadline, action.created_at.date(), done_on, today):
            people = [action.lead_person_id] if action.lead_person_id else champions(action.lead_agency_id, day)
            for person in people:
                key = f"action-{action.pk}-{deadline.isoformat()}"
                rows.append(_candidate(rule.code, key, occasion, person, day, obj=action.pk))
    return rows


def _confirmations(rules, champions, leads, today):
    request, reminder = rules["champions-confirmation-request"], rules["champions-confirmation-reminder"]
    rows = []
    for c in ListConfirmation.objects.select_related("round").order_by("pk"):
        opened, replied = c.round.opened_on, (timezone.localdate(c.responded_at) if c.responded_at else None)

        def people(day, agency_id=c.agency_id):
            return sorted(set(champions(agency_id, day)) | ({leads[agency_id]} if leads.get(agency_id) else set()))

        for person in people(opened):
            rows.append(_candidate(request.code, f"confirmation-{c.pk}", "request", person, opened, obj=c.pk))
        for day, occasion in _occasions(reminder, c.round.due_on, opened, replied, today):
            for person in people(day):
                rows.append(_candidate(reminder.code, f"confirmation-{c.pk}", occasion, person, day, obj=c.pk))
    return rows


def _referrals(rules, champions, leads, today):
    """A required referral not dated one working day after the incident was logged."""
    rule = rules["incident-referral-missing"]
    rows = []
    for r in Referral.objects.filter(required=True, incident__reported_at__isnull=False).select_related("incident"):
        alert_on = add_working_days(timezone.localdate(r.incident.reported_at), 1)
        if alert_on > today or (r.referred_on is not None and r.referred_on <= alert_on):
            continue
        for person in champions(r.incident.agency_id, alert_on):
            rows.append(_candidate(rule.code, f"referral-{r.pk}", "missing", person, alert_on, obj=r.pk))
    return rows


def _render(ctx, chosen, rules, secretariat) -> list[Reminder]:
    """The log rows, with subject and bodies from the rule's e-mail template, sent on the day."""
    rng, now = ctx.rng, timezone.now()
    ids = defaultdict(set)
    for c in chosen:
        if "obj" in c:
            ids[c["rule"]].add(c["obj"])
    people = User.objects.in_bulk({c["recipient"] for c in chosen})
    returns = AuditReturn.objects.select_related("cycle__template", "agency").in_bulk(
        ids["audit-cycle-open"] | ids["audit-return-due"]
    )
    actions = Action.objects.in_bulk(ids["action-due"])
    confirmations = ListConfirmation.objects.select_related("round", "agency").in_bulk(
        ids["champions-confirmation-request"] | ids["champions-confirmation-reminder"]
    )
    referrals = Referral.objects.select_related("incident__agency").in_bulk(ids["incident-referral-missing"])
    rows = []
    for c in chosen:
        overdue = c["occasion"].startswith("overdue")
        code = c["rule"]
        if "due" in c:
            due = c["due"]
            about, due_on, url, template, context = due.about, due.due_on, due.action_url, due.template, due.context
        elif code in ("audit-cycle-open", "audit-return-due"):
            r = returns[c["obj"]]
            about, due_on, url = f"{r.cycle} return of {r.agency.name}", r.cycle.due_on, r.get_absolute_url()
            template = "audit_cycle_open" if code == "audit-cycle-open" else "audit_return_reminder"
            context = {"audit_return": r, "cycle": r.cycle, "agency": r.agency, "overdue": overdue}
        elif code == "action-due":
            a = actions[c["obj"]]
            deadline = a.review_on if a.ongoing else a.due_on
            about, due_on, url = f"Action {a.ref or a.pk}: {a.action[:120]}", deadline, a.get_absolute_url()
            template = "action_reminder"
            context = {"action": a, "deadline": deadline, "overdue": overdue, "review": a.ongoing}
        elif code.startswith("champions-confirmation"):
            conf = confirmations[c["obj"]]
            about = f"Champions list of {conf.agency.name} ({conf.round.year})"
            due_on, url = conf.round.due_on, conf.get_absolute_url()
            template = code.replace("-", "_")
            context = {"round": conf.round, "agency": conf.agency, "overdue": overdue}
        else:
            ref = referrals[c["obj"]]
            about = f"{ref} for an incident at {ref.incident.agency.name}"
            due_on, url = c["day"], ref.incident.get_absolute_url()
            template = "incident_referral_missing"
            context = {"referral_type": ref.get_agency_type_display(), "agency": ref.incident.agency}
        recipient = people[c["recipient"]]
        link = absolute_url(url)
        subject, text, html = render_email(
            template, {**context, "recipient": recipient, "action_url": link, "due_on": due_on}
        )
        made = min(at(c["day"], 7, rng.randint(0, 14)), now)
        retried = rng.random() < 0.03  # the mail server refused it once; the next sweep delivered it
        delay = datetime.timedelta(days=1) if retried else datetime.timedelta(seconds=rng.randint(2, 90))
        rows.append(
            Reminder(
                key=c["key"],
                rule=rules[code],
                recipient=recipient,
                cc=", ".join(
                    c["due"].cc if "due" in c else secretariat if overdue and code == "audit-return-due" else []
                ),
                about=about[:255],
                due_on=due_on,
                action_url=link,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                status=ReminderStatus.SENT,
                attempts=2 if retried else 1,
                created_at=made,
                sent_at=min(made + delay, now),
            )
        )
    return rows
