from accounts import permissions
from agencies.models import Agency
from champions.models import ConfirmationRound, ListConfirmation
from champions.selectors import round_progress


def section(user) -> dict | None:
    """Champions and executive leads: lists to confirm. Secretariat: coverage and the round."""
    if permissions.manages_register(user) or permissions.sees_whole_partnership(user):
        latest = ConfirmationRound.objects.first()
        return {
            "template": "champions/_home_partnership.html",
            "uncovered": list(Agency.objects.active().without_champion().only("pk", "name")),
            "active_agencies": Agency.objects.active().count(),
            "latest_round": latest,
            "progress": round_progress(latest) if latest else None,
            "manages_register": permissions.manages_register(user),
        }
    answering = permissions.agency_roles(user).ids(permissions.CHAMPION, permissions.EXECUTIVE_LEAD)
    if not answering:
        return None
    pending = ListConfirmation.objects.filter(agency__in=answering, status="pending").select_related("agency", "round")
    return {"template": "champions/_home_agency.html", "pending_confirmations": list(pending)}
