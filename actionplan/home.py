"""The action plan's sections on the home page and on an agency's page."""

from accounts import permissions
from actionplan import selectors


def section(user) -> dict | None:
    """Champions: actions their agencies lead, overdue first. Secretariat: the overdue count.
    Board (and other partnership roles): the RAG counts of the current plan."""
    if permissions.manages_register(user):
        plan = selectors.current_plan_with_overdue_count()
        if plan is None:
            return None
        return {"template": "actionplan/_home_secretariat.html", "plan": plan, "overdue": plan.overdue_count}
    if permissions.sees_whole_partnership(user):
        plan = selectors.current_plan()
        if plan is None:
            return None
        return {"template": "actionplan/_home_board.html", "plan": plan, "totals": selectors.plan_totals(plan)}
    championed = permissions.agency_roles(user).ids(permissions.CHAMPION)
    actions = selectors.current_plan_actions_led_by(user, championed, limit=50)
    if not actions:
        return None
    return {"template": "actionplan/_home_lead.html", "actions": actions}


def agency_section(agency, user) -> dict:
    """Actions the agency leads, with their status words (the plan is not restricted data)."""
    actions = list(selectors.actions_led_by_agency(agency.pk).order_by("-is_overdue", "timescale", "ref")[:100])
    return {"template": "actionplan/_agency_section.html", "agency": agency, "actions": actions}
