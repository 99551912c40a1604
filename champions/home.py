from accounts import permissions
from champions import selectors
from champions.models import ListConfirmation

# The home page names this many agencies without a champion; the register lists them all.
UNCOVERED_ON_HOME = 20


def section(user) -> dict | None:
    """Champions and executive leads: lists to confirm. Secretariat: coverage and the round."""
    if permissions.manages_register(user) or permissions.sees_whole_partnership(user):
        latest, progress = selectors.latest_round_with_progress()
        coverage = selectors.coverage(shown=UNCOVERED_ON_HOME)
        return {
            "template": "champions/_home_partnership.html",
            "coverage": coverage,
            "active_agencies": coverage.active_count,
            "latest_round": latest,
            "progress": progress,
            "manages_register": permissions.manages_register(user),
        }
    answering = permissions.agency_roles(user).ids(permissions.CHAMPION, permissions.EXECUTIVE_LEAD)
    if not answering:
        return None
    pending = ListConfirmation.objects.filter(agency__in=answering, status="pending").select_related("agency", "round")
    return {"template": "champions/_home_agency.html", "pending_confirmations": list(pending)}
