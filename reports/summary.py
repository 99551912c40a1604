"""The executive summary: the year's key messages in plain sentences, and what the Board is asked to do.

Built from the sections already gathered for the report (so it never disagrees with them) and a
handful of aggregate queries for last year's figures. Everything in it is plain text, so a
generated report keeps its summary (``AnnualReport.summary``) for the board member's home page.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from reports.sections import ReportPeriod

# The Board is shown this many names in a list before "and N more".
NAMES_SHOWN = 8


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _change(now: int | float, before: int | float | None, *, unit: str = "", points: bool = False) -> str:
    """'up 3 on 2024', 'down 5 points', 'no change'; an empty string when there is nothing to compare."""
    if before is None:
        return ""
    difference = now - before
    if not difference:
        return "no change"
    word = "up" if difference > 0 else "down"
    size = abs(difference)
    return f"{word} {size}{' point' + ('s' if size != 1 else '') if points else unit}"


def executive_summary(period: ReportPeriod, sections: list[dict]) -> dict:
    """Five to eight messages (each a sentence, its figure and the change on last year) and the Board's asks."""
    by_key = {section["key"]: section for section in sections}
    previous = period.previous
    messages, asks = [], []

    membership = by_key["membership"]
    messages.append(_membership_message(period, previous, membership))
    if membership["uncovered"]:
        asks.append(
            {
                "text": f"Ask the executive leads of the {_plural(len(membership['uncovered']), 'agency', 'agencies')} "
                f"without a current e-safety champion to nominate one: {_names(membership['uncovered'])}.",
                "detail": "sec-membership",
            }
        )

    audit_messages, audit_asks = _audit_messages(period, previous, by_key.get("audits"))
    messages += audit_messages
    asks += audit_asks

    plan = by_key.get("actionplan")
    if plan:
        message, ask = _action_message(period, previous, plan)
        messages.append(message)
        if ask:
            asks.append(ask)
    else:
        messages.append(
            {
                "topic": "Action plan",
                "text": f"No action plan covered {period.year}.",
                "figure": "No plan",
                "change": "",
            }
        )

    messages.append(_incident_message(period, previous, by_key["incidents"]))
    messages.append(_esig_message(previous, by_key["esig"]))
    return {"year": period.year, "messages": messages, "asks": asks}


def _membership_message(period, previous, membership) -> dict:
    from agencies.models import Agency
    from champions.models import Nomination

    # Last year's coverage, counted the same way: members at its end with a champion on that day.
    champion_then = Nomination.objects.current(on=previous.as_at).filter(agency=OuterRef("pk"))
    before = Agency.objects.members_as_of(previous.as_at).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(Exists(champion_then)))
    )
    before_coverage = round(100 * before["covered"] / before["total"]) if before["total"] else None
    if not membership["in_year"]:
        return {
            "topic": "Membership",
            "text": f"No agency was a member of the partnership in {period.year}.",
            "figure": "No members",
            "change": "",
        }
    moves = (
        f" ({membership['joined']} joined and {membership['left']} left during the year)"
        if membership["joined"] or membership["left"]
        else ""
    )
    text = (
        f"{_plural(membership['in_year'], 'agency', 'agencies')} took part in the partnership in {period.year}{moves}. "
        f"{membership['covered']:,} of the {membership['total']:,} members at the end of the year had a current "
        f"e-safety champion ({membership['coverage']}%)."
    )
    change = _change(membership["coverage"], before_coverage, points=True)
    return {
        "topic": "Champion coverage",
        "text": text,
        "figure": f"{membership['coverage']}%",
        "change": f"{previous.year}: {before_coverage}%, {change}" if change else f"no members in {previous.year}",
    }


def _audit_messages(period, previous, audits) -> tuple[list[dict], list[dict]]:
    from audits.models import AuditReturn, ReturnStatus

    collations = audits["collations"] if audits else []
    if not collations:
        return [
            {
                "topic": "Audit returns",
                "text": f"No self-assessment audit cycle was run in {period.year}.",
                "figure": "No audit",
                "change": "",
            }
        ], []
    counted = [ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED]
    before = {
        row["cycle__template_id"]: row
        for row in AuditReturn.objects.filter(cycle__year=previous.year)
        .values("cycle__template_id")
        .annotate(total=Count("pk"), returned=Count("pk", filter=Q(status__in=counted)))
        .order_by()
    }
    cycle_ids = [item["collation"].cycle.pk for item in collations]
    outstanding = list(
        AuditReturn.objects.filter(cycle__in=cycle_ids)
        .exclude(status__in=counted)
        .order_by("agency__name")
        .values_list("cycle_id", "agency__name")
    )
    messages, asks, gaps = [], [], []
    for item in collations:
        collation = item["collation"]
        cycle, rate = collation.cycle, collation.rate
        returned = rate["submitted"] + rate["accepted"]
        then = before.get(cycle.template_id)
        then_percent = round(100 * then["returned"] / then["total"]) if then and then["total"] else None
        change = _change(rate["percent"], then_percent, points=True)
        messages.append(
            {
                "topic": f"{cycle.template.name} returns",
                "text": f"{returned:,} of the {_plural(rate['total'], 'agency', 'agencies')} asked returned the "
                f"{cycle.template.name} ({rate['percent']}%)"
                + (
                    f"; {rate['overdue']} {'is' if rate['overdue'] == 1 else 'are'} overdue."
                    if rate["overdue"]
                    else f"; the other {rate['total'] - returned:,} {'has' if rate['total'] - returned == 1 else 'have'} "
                    f"until {cycle.due_on:%-d %B %Y}."
                    if returned < rate["total"] and not cycle.is_past_due
                    else "."
                ),
                "figure": f"{rate['percent']}%",
                "change": f"{previous.year}: {then_percent}%, {change}" if change else f"no cycle in {previous.year}",
            }
        )
        missing = [name for cycle_id, name in outstanding if cycle_id == cycle.pk]
        if missing:
            when = "past its due date" if cycle.is_past_due else f"due {cycle.due_on:%-d %B %Y}"
            asks.append(
                {
                    "text": f"Ask the {_plural(len(missing), 'agency', 'agencies')} that have not returned the "
                    f"{cycle.template.name} ({when}) to do so: {_names(missing)}.",
                    "detail": "sec-audits",
                }
            )
        gaps += [(r["gaps"], r["question"].text, rate["counted"]) for r in item["gaps"]]
    if gaps:
        gaps.sort(key=lambda g: -g[0])
        largest = "; ".join(f"{text} ({n} of {of} returns)" for n, text, of in gaps[:3])
        messages.append(
            {
                "topic": "Largest gaps",
                "text": f"The gaps most agencies reported: {largest}.",
                "figure": _plural(gaps[0][0], "agency", "agencies"),
                "change": "",
            }
        )
    return messages, asks


def _action_message(period, previous, plan) -> tuple[dict, dict | None]:
    from actionplan.models import Action, StatusChange

    totals, rows = plan["totals"], plan["rows"]
    # Red a year before: each action's status after its last change up to the end of last year.
    cutoff = timezone.make_aware(datetime.datetime.combine(previous.end + datetime.timedelta(days=1), datetime.time()))
    status_then = StatusChange.objects.filter(action=OuterRef("pk"), at__lt=cutoff).order_by("-at", "-pk")
    before = (
        Action.objects.active()
        .filter(plan=plan["plan"], created_at__lt=cutoff)
        .annotate(then=Subquery(status_then.values("new")[:1]))
        .aggregate(actions=Count("pk"), red=Count("pk", filter=Q(then="red")))
    )
    worst = [row for row in rows if row["red"] or row["overdue"]]
    by_priority = "; ".join(
        f"priority {row['priority'].number}: {row['red']} red, {row['overdue']} overdue" for row in worst
    )
    stands = f"As the plan stands on {plan['as_it_stands']:%-d %B %Y}, of" if plan["past_year"] else "Of"
    text = (
        f"{stands} the plan's {_plural(totals['total'], 'action')}, {totals['red']:,} {'is' if totals['red'] == 1 else 'are'} "
        f"Red and {totals['overdue']:,} overdue" + (f" ({by_priority})." if by_priority else ".")
    )
    change = _change(totals["red"], before["red"])
    message = {
        "topic": "Red and overdue actions",
        "text": text,
        "figure": f"{totals['red']:,} red, {totals['overdue']:,} overdue",
        "change": f"end of {previous.year}: {before['red']} red, {change}"
        if before["actions"]
        else f"the plan's actions were all added after {previous.year}",
    }
    ask = None
    attention = plan["attention"]
    if attention:
        both = sum(1 for a in attention if a.status == "red" and a.is_overdue)
        first = f", starting with the {both:,} that {'is' if both == 1 else 'are'} both Red and overdue" if both else ""
        ask = {
            "text": f"Agree what will be done about the {_plural(len(attention), 'action')} that "
            f"{'is' if len(attention) == 1 else 'are'} Red or overdue{first}; the action plan chapter lists them "
            "with their lead and latest update.",
            "detail": "sec-actionplan",
        }
    return message, ask


def _incident_message(period, previous, incidents) -> dict:
    from incidents.selectors import THRESHOLD, nature_and_range

    table = incidents["table"]
    before = nature_and_range(previous.year)
    total = table["grand_total"]
    if not total.count:
        return {
            "topic": "Incidents",
            "text": f"No e-safety incident was reported in {period.year}.",
            "figure": "None reported",
            "change": f"{previous.year}: {before['grand_total'].display}" if before["grand_total"].count else "",
        }
    quarters = ", ".join(
        f"{label} {cell.display}" for label, cell in zip(table["quarters"], table["column_totals"], strict=True)
    )
    # Rising categories are named only with counts the report already publishes (small ones stay hidden).
    then = {label: row_total for label, _cells, row_total in before["rows"]}
    rising = sorted(
        (
            (row_total.count - then[label].count, label, row_total.display, then[label].display)
            for label, _cells, row_total in table["rows"]
            # Only a rise the published figures show too: "about 5, from about 5" says nothing.
            if row_total.count >= THRESHOLD
            and row_total.count > then[label].count
            and row_total.display != then[label].display
        ),
        reverse=True,
    )[:2]
    rising_text = (
        " Rising most: "
        + "; ".join(f"{label} ({now}, from {was} in {previous.year})" for _, label, now, was in rising)
        + "."
        if rising
        else " No category rose on last year."
    )
    return {
        "topic": "Incidents",
        "text": f"Agencies reported {total.display} e-safety incidents in {period.year}; by quarter: {quarters}."
        + rising_text,
        "figure": total.display,
        "change": f"{previous.year}: {before['grand_total'].display}"
        if before["grand_total"].count
        else f"none in {previous.year}",
    }


def _esig_message(previous, esig) -> dict:
    from esig.models import Rules
    from esig.selectors import meetings_of_year, summarise

    summary = esig["summary"]
    rules = Rules.current()
    before = summarise(previous.year, meetings_of_year(previous.year, rules), rules)
    held = (
        f"The ESIG held {_plural(summary['held'], 'meeting')}, {summary['quorate']} of them quorate."
        if summary["held"]
        else f"No ESIG meeting was held in {summary['year']}."
    )
    return {
        "topic": "ESIG quorum",
        "text": f"{held} {esig['verdict']}",
        "figure": f"{summary['quorate']} of {summary['held']} quorate" if summary["held"] else "No meetings",
        "change": f"{previous.year}: {before['quorate']} of {before['held']} quorate"
        if before["held"]
        else f"no meeting in {previous.year}",
    }
