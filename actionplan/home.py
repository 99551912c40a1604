"""The action plan's sections on the home page and on an agency's page."""

from accounts import permissions
from actionplan import selectors


def section(user) -> dict | None:
    """Champions: actions their agencies lead, overdue first. Secretariat: the overdue count.
    Board (and other partnership roles): the RAG counts of the current plan."""
    plan = selectors.current_plan()
    if plan is None:
        return None
    if permissions.manages_register(user):
        return {
            "template": "actionplan/_home_secretariat.html",
            "plan": plan,
            "overdue": selectors.plan_actions(plan).filter(is_overdue=True).count(),
        }
    if permissions.sees_whole_partnership(user):
        rows = selectors.rag_by_priority(plan)
        return {"template": "actionplan/_home_board.html", "plan": plan, "totals": selectors.totals(rows)}
    championed = permissions.agency_roles(user).ids(permissions.CHAMPION)
    actions = selectors.plan_actions(plan).filter(lead_agency__in=championed) if championed else None
    led_by_me = selectors.plan_actions(plan).filter(lead_person=user)
    actions = (actions | led_by_me) if actions is not None else led_by_me
    actions = list(actions.order_by("-is_overdue", "timescale", "ref")[:50])
    if not actions:
        return None
    return {"template": "actionplan/_home_lead.html", "plan": plan, "actions": actions}


def agency_section(agency, user) -> dict:
    """Actions the agency leads, with their status words (the plan is not restricted data)."""
    actions = list(selectors.actions_led_by_agency(agency.pk).order_by("-is_overdue", "timescale", "ref")[:100])
    return {"template": "actionplan/_agency_section.html", "agency": agency, "actions": actions}
